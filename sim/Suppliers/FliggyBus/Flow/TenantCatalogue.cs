using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>A schedule Fliggy sells, with its line and route.</summary>
public sealed record CatalogueEntry(Line Line, Schedule Schedule);

/// <summary>
/// What Fliggy knows of one merchant's network (spec §8, catalogue sync): the departure cities, the arrival cities of
/// each, and per route the lines and schedules number.query answered, kept as the merchant sent them. Schedules are
/// found by <c>scheduleId</c>; the ids seen so far are remembered for the stability check (§4.3). Safe for concurrent
/// sync calls; <see cref="Catalogues"/> persists it.
/// </summary>
public sealed class TenantCatalogue
{
    readonly Lock _gate = new();
    JsonArray _fromCities = [];
    readonly Dictionary<string, JsonArray> _toCities = new(StringComparer.Ordinal);
    readonly Dictionary<string, JsonArray> _routes = new(StringComparer.Ordinal);
    Dictionary<string, CatalogueEntry> _bySchedule = new(StringComparer.Ordinal);
    readonly List<string> _flags = [];

    public ScheduleIdRegistry ScheduleIds { get; } = new();

    /// <summary>The tenant's virtual time of the last change, Unix ms.</summary>
    public long? ChangedMs { get; private set; }

    public static string RouteKey(string fromCity, string toCity) => fromCity + "|" + toCity;

    public bool IsEmpty
    {
        get
        {
            lock (_gate) return _bySchedule.Count == 0;
        }
    }

    public CatalogueEntry? Find(string scheduleId)
    {
        lock (_gate) return _bySchedule.GetValueOrDefault(scheduleId);
    }

    public IReadOnlyList<CatalogueEntry> Entries()
    {
        lock (_gate) return _bySchedule.Values.ToList();
    }

    public IReadOnlyList<string> FromCities()
    {
        lock (_gate) return _fromCities.OfType<JsonObject>().Select(c => Str(c, "fromCity")).OfType<string>().Distinct().ToList();
    }

    public IReadOnlyList<(string From, string To)> Routes()
    {
        lock (_gate)
            return _toCities.SelectMany(kv => kv.Value.OfType<JsonObject>().Select(c => Str(c, "toCity")).OfType<string>().Distinct().Select(to => (kv.Key, to)))
                .ToList();
    }

    public void SetFromCities(JsonArray cities, long nowMs)
    {
        lock (_gate)
        {
            _fromCities = (JsonArray)cities.DeepClone();
            ChangedMs = nowMs;
        }
    }

    public void SetToCities(string fromCity, JsonArray cities, long nowMs)
    {
        lock (_gate)
        {
            _toCities[fromCity] = (JsonArray)cities.DeepClone();
            ChangedMs = nowMs;
        }
    }

    /// <summary>Replaces a route's lines and schedules (a full sync), or only those of <paramref name="fromDate"/> (a re-sync after item.notify).</summary>
    public void SetRoute(string fromCity, string toCity, string? fromDate, JsonArray lineSchedule, long nowMs)
    {
        lock (_gate)
        {
            var key = RouteKey(fromCity, toCity);
            var fresh = (JsonArray)lineSchedule.DeepClone();
            if (fromDate is not null && _routes.TryGetValue(key, out var old)) fresh = MergeDate(old, fresh, fromDate);
            _routes[key] = fresh;
            ChangedMs = nowMs;
            Reindex();
        }
    }

    /// <summary>The old route with the schedules of one date replaced by the new reply's (lines updated, others kept).</summary>
    static JsonArray MergeDate(JsonArray old, JsonArray fresh, string fromDate)
    {
        var byLine = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var ls in old.OfType<JsonObject>().Concat(fresh.OfType<JsonObject>()))
        {
            if (ls["line"] is not JsonObject line || Str(line, "id") is not { } id) continue;
            var schedules = ls["scheduleList"] as JsonArray ?? [];
            if (!byLine.TryGetValue(id, out var merged))
            {
                order.Add(id);
                byLine[id] = new JsonObject
                {
                    ["line"] = line.DeepClone(),
                    ["scheduleList"] = new JsonArray(schedules.OfType<JsonObject>().Where(s => Str(s, "fromDate") != fromDate).Select(s => (JsonNode)s.DeepClone()).ToArray()),
                };
                continue;
            }
            // The second sighting of a line is the re-sync's: its line fields and its schedules of that date win.
            merged["line"] = line.DeepClone();
            var list = (JsonArray)merged["scheduleList"]!;
            foreach (var s in schedules.OfType<JsonObject>().Where(s => Str(s, "fromDate") == fromDate)) list.Add(s.DeepClone());
        }
        return new JsonArray(order.Select(id => (JsonNode)byLine[id]).ToArray());
    }

    /// <summary>
    /// What seat.query said changed (spec §4.4): the schedule's price and departure; returns the route to store, or
    /// null when the schedule is no longer in the catalogue.
    /// </summary>
    public string? UpdateSchedule(string scheduleId, long? ticketPrice, string fromDate, string? fromTime, long nowMs)
    {
        lock (_gate)
        {
            foreach (var (key, route) in _routes)
            foreach (var ls in route.OfType<JsonObject>())
            foreach (var s in Objects(ls, "scheduleList"))
            {
                if (Str(s, "scheduleId") != scheduleId) continue;
                if (ticketPrice is { } price) s["ticketPrice"] = price;
                if (fromTime is not null)
                {
                    s["fromDate"] = fromDate;
                    s["fromTime"] = fromTime;
                }
                ChangedMs = nowMs;
                Reindex();
                return key;
            }
        }
        return null;
    }

    /// <summary>
    /// Marks schedules stopped (<c>saleStatus</c> 0) as offline.number.query reported them; returns the routes that changed.
    /// </summary>
    public IReadOnlyList<string> MarkStopped(IReadOnlySet<string> scheduleIds, long nowMs)
    {
        var changed = new List<string>();
        lock (_gate)
        {
            foreach (var (key, route) in _routes)
            {
                var hit = false;
                foreach (var ls in route.OfType<JsonObject>())
                foreach (var s in Objects(ls, "scheduleList"))
                    if (Str(s, "scheduleId") is { } id && scheduleIds.Contains(id) && Str(s, "saleStatus") != "0")
                    {
                        s["saleStatus"] = 0;
                        hit = true;
                    }
                if (hit) changed.Add(key);
            }
            if (changed.Count > 0)
            {
                ChangedMs = nowMs;
                Reindex();
            }
        }
        return changed;
    }

    /// <summary>Records (or clears, with null) a problem of the last sync of one call, shown with the catalogue.</summary>
    public void Flag(string call, string? problem)
    {
        lock (_gate)
        {
            _flags.RemoveAll(f => f.StartsWith(call + ": ", StringComparison.Ordinal));
            if (problem is not null) _flags.Add(call + ": " + problem);
        }
    }

    void Reindex()
    {
        var index = new Dictionary<string, CatalogueEntry>(StringComparer.Ordinal);
        foreach (var route in _routes.Values)
        foreach (var ls in LineSchedule.ReadAll(new JsonObject { ["lineSchedule"] = route.DeepClone() }))
        foreach (var s in ls.Schedules)
            if (s.ScheduleId.Length > 0) index[s.ScheduleId] = new CatalogueEntry(ls.Line, s);
        _bySchedule = index;
    }

    // ---- persistence: the cities in one document, each route in its own

    public const string CitiesKey = "fliggybus:catalogue:cities";
    public const string RoutePrefix = "fliggybus:catalogue:route:";

    public string CitiesJson()
    {
        lock (_gate)
            return new JsonObject
            {
                ["fromCityList"] = _fromCities.DeepClone(),
                ["toCities"] = new JsonObject(_toCities.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.DeepClone()))),
                ["changedMs"] = ChangedMs,
                ["flags"] = new JsonArray(_flags.Select(f => (JsonNode)f).ToArray()),
            }.ToJsonString();
    }

    public string RouteJson(string routeKey)
    {
        lock (_gate) return (_routes.GetValueOrDefault(routeKey) ?? []).ToJsonString();
    }

    /// <summary>Rebuilds a catalogue from its stored documents; the schedule ids it holds count as seen.</summary>
    public static TenantCatalogue Load(string? citiesJson, IEnumerable<(string Key, string Json)> routes)
    {
        var c = new TenantCatalogue();
        if (citiesJson is not null && JsonNode.Parse(citiesJson) is JsonObject cities)
        {
            c._fromCities = cities["fromCityList"] as JsonArray is { } f ? (JsonArray)f.DeepClone() : [];
            if (cities["toCities"] is JsonObject to)
                foreach (var (city, list) in to)
                    if (list is JsonArray a) c._toCities[city] = (JsonArray)a.DeepClone();
            c.ChangedMs = Long(cities, "changedMs");
            c._flags.AddRange((cities["flags"] as JsonArray ?? []).Select(x => x?.ToString()).OfType<string>());
        }
        foreach (var (key, json) in routes)
            if (JsonNode.Parse(json) is JsonArray route) c._routes[key[RoutePrefix.Length..]] = route;
        c.Reindex();
        foreach (var route in c._routes.Values)
        foreach (var ls in LineSchedule.ReadAll(new JsonObject { ["lineSchedule"] = route.DeepClone() }))
        foreach (var s in ls.Schedules)
            c.ScheduleIds.Observe(ls.Line, s);
        return c;
    }

    /// <summary>The catalogue as the admin API shows it: cities, routes with their lines and schedules, the last sync's problems.</summary>
    public JsonObject ToJson()
    {
        lock (_gate)
            return new JsonObject
            {
                ["fromCityList"] = _fromCities.DeepClone(),
                ["routes"] = new JsonArray(_routes.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r =>
                {
                    var (from, to) = (r.Key[..r.Key.IndexOf('|')], r.Key[(r.Key.IndexOf('|') + 1)..]);
                    return (JsonNode)new JsonObject { ["fromCity"] = from, ["toCity"] = to, ["lineSchedule"] = r.Value.DeepClone() };
                }).ToArray()),
                ["schedules"] = _bySchedule.Count,
                ["changedAt"] = ChangedMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O") : null,
                ["problems"] = new JsonArray(_flags.Select(f => (JsonNode)f).ToArray()),
            };
    }
}
