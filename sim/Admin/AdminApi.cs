using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Engine.Yaml;

namespace Sandbox.Admin;

/// <summary>The services admin handlers need, injected as one parameter record.</summary>
public sealed record AdminServices(
    TenantRegistry Tenants,
    TenantAdministration Administration,
    VirtualClock Clock,
    ScenarioCatalog Scenarios,
    RuleEngine Rules,
    CallbackDispatcher Callbacks,
    RequestJournal Journal,
    EntityCatalog Entities,
    Lifecycle Lifecycle,
    IStore Store,
    IEnumerable<ISupplierModule> Modules);

/// <summary>The admin API (ARCHITECTURE §9): tenants, entities, clock, callbacks, journal, scenarios, faults.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Health).WithTags("health");

        var api = app.MapGroup("/admin/api").AddEndpointFilter<AdminAuth>().WithTags("admin");
        api.MapGet("/suppliers", Suppliers);
        api.MapGet("/stats", Stats);
        api.MapGet("/listeners", (Listeners.Table table) => Results.Json(table.All.Select(l => new { name = l.Name, url = l.Url })));

        api.MapGet("/tenants", ListTenants);
        api.MapPost("/tenants", CreateTenant);
        api.MapGet("/tenants/{tenant}", GetTenant);
        api.MapPut("/tenants/{tenant}", PutTenant);
        api.MapDelete("/tenants/{tenant}", DeleteTenant);
        api.MapPost("/tenants/{tenant}/reset", ResetTenant);

        api.MapGet("/tenants/{tenant}/orders", ListOrders);
        api.MapGet("/tenants/{tenant}/orders/{id}", GetOrder);
        api.MapPost("/tenants/{tenant}/orders/{id}/transition", Transition);

        api.MapGet("/tenants/{tenant}/clock", GetClock);
        api.MapPut("/tenants/{tenant}/clock", PutClock);
        api.MapPost("/tenants/{tenant}/clock/advance", AdvanceClock);

        api.MapGet("/callbacks", ListCallbacks);
        api.MapGet("/callbacks/{id:long}", GetCallback);
        api.MapPost("/callbacks/{id:long}/redeliver", Redeliver);

        api.MapGet("/journal", QueryJournal);
        api.MapGet("/journal/counts", JournalCounts);

        api.MapGet("/scenarios", ListScenarios);
        api.MapGet("/scenarios/magic", Magic);
        api.MapPost("/scenarios/reload", Reload);
        api.MapPut("/tenants/{tenant}/scenario", SelectScenario);

        api.MapGet("/tenants/{tenant}/faults", ListFaults);
        api.MapPost("/tenants/{tenant}/faults", AddFault);
        api.MapDelete("/tenants/{tenant}/faults/{id}", DeleteFault);
        return app;
    }

    static long _healthCheckedMs;
    static string? _healthError;

    /// <summary>Liveness and readiness. The store is probed at most once a second: load balancers and load tests poll this.</summary>
    static IResult Health([AsParameters] AdminServices s)
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _healthCheckedMs) > 1000)
        {
            try
            {
                s.Store.Ping();
                _healthError = null;
            }
            catch (Exception e)
            {
                _healthError = e.Message;
            }
            Interlocked.Exchange(ref _healthCheckedMs, now);
        }
        return _healthError is null
            ? Results.Json(new { status = "ok", storage = "ok", tenants = s.Tenants.All.Count })
            : Results.Json(new { status = "unavailable", storage = _healthError }, statusCode: 503);
    }

    static IResult Suppliers([AsParameters] AdminServices s) => Results.Json(s.Modules.Select(m => new
    {
        name = m.Supplier,
        title = m.Title,
        listener = m.DedicatedListener ?? "main",
        identity = $"credentials.{m.Supplier}.{m.IdentityField}",
        operations = m.Catalogue,
        callbacks = m.Callbacks,
        entityKinds = m.MachineKinds,
    }));

    static IResult Stats()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        return Results.Json(new
        {
            workingSetBytes = p.WorkingSet64,
            gcHeapBytes = GC.GetTotalMemory(false),
            // The heap as the last collection left it, and what the GC holds from the OS.
            gcHeapAfterLastGcBytes = gc.HeapSizeBytes,
            gcCommittedBytes = gc.TotalCommittedBytes,
            gcCollections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
            threads = p.Threads.Count,
        });
    }

    // ---- tenants

    static IResult ListTenants([AsParameters] AdminServices s) => Results.Json(s.Tenants.All, StoreJson.Options);

    static IResult GetTenant(string tenant, [AsParameters] AdminServices s) =>
        s.Tenants.Find(tenant) is { } t ? Results.Json(t, StoreJson.Options) : NotFound($"tenant '{tenant}' not found");

    static async Task<IResult> CreateTenant(HttpRequest request, [AsParameters] AdminServices s)
    {
        var (t, error) = await ReadTenant(request, null);
        if (t is null) return Bad(error!);
        if (s.Tenants.Find(t.Id) is not null) return Results.Json(new { error = $"tenant '{t.Id}' exists; use PUT /admin/api/tenants/{t.Id}" }, statusCode: 409);
        if (s.Tenants.Conflict(t) is { } conflict) return Results.Json(new { error = conflict }, statusCode: 409);
        await s.Tenants.UpsertAsync(t);
        return Results.Json(t, StoreJson.Options, statusCode: 201);
    }

    static async Task<IResult> PutTenant(string tenant, HttpRequest request, [AsParameters] AdminServices s)
    {
        var (t, error) = await ReadTenant(request, tenant);
        if (t is null) return Bad(error!);
        if (s.Tenants.Conflict(t) is { } conflict) return Results.Json(new { error = conflict }, statusCode: 409);
        await s.Tenants.UpsertAsync(t);
        return Results.Json(t, StoreJson.Options);
    }

    static async Task<(Tenant?, string?)> ReadTenant(HttpRequest request, string? id)
    {
        Tenant? t;
        try
        {
            t = await JsonSerializer.DeserializeAsync<Tenant>(request.Body, StoreJson.Options);
        }
        catch (JsonException e)
        {
            return (null, "invalid tenant JSON: " + e.Message);
        }
        if (t is null) return (null, "body must be a tenant object");
        if (id is not null) t.Id = id;
        if (string.IsNullOrWhiteSpace(t.Id) || t.Id.Length > 64 || !t.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return (null, "'id' is required: 1-64 letters, digits, '-' or '_'");
        t.Credentials = new Dictionary<string, JsonObject>(t.Credentials, StringComparer.OrdinalIgnoreCase);
        t.Callbacks = new Dictionary<string, string>(t.Callbacks, StringComparer.OrdinalIgnoreCase);
        t.Scenarios = new Dictionary<string, string>(t.Scenarios, StringComparer.OrdinalIgnoreCase);
        t.Settings = new Dictionary<string, JsonObject>(t.Settings, StringComparer.OrdinalIgnoreCase);
        return (t, null);
    }

    static async Task<IResult> DeleteTenant(string tenant, [AsParameters] AdminServices s) =>
        await s.Administration.DeleteAsync(tenant) ? Results.NoContent() : NotFound($"tenant '{tenant}' not found");

    static async Task<IResult> ResetTenant(string tenant, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return NotFound($"tenant '{tenant}' not found");
        await s.Administration.ResetAsync(tenant);
        return Results.Json(new { tenant, reset = true });
    }

    // ---- entities

    static IResult ListOrders(string tenant, string? supplier, string? kind, int? limit, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return NotFound($"tenant '{tenant}' not found");
        var sets = s.Entities.All.Where(e => (supplier is null || e.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase))
                                             && e.Kind.Equals(kind ?? "order", StringComparison.OrdinalIgnoreCase));
        var list = sets.SelectMany(set => set.List(tenant, limit ?? 100).Select(o =>
        {
            o["supplier"] = set.Supplier;
            o["kind"] = set.Kind;
            return o;
        })).OrderByDescending(o => o["createdMs"]?.GetValue<long>() ?? 0).Take(limit ?? 100);
        return Results.Json(new JsonArray(list.Select(o => (JsonNode)o).ToArray()), StoreJson.Options);
    }

    static async Task<IResult> GetOrder(string tenant, string id, string? supplier, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return NotFound($"tenant '{tenant}' not found");
        foreach (var set in s.Entities.All.Where(e => supplier is null || e.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase)))
        {
            if (set.Find(tenant, id) is not { } entity) continue;
            var key = EntityCatalog.Key(set.Supplier, set.Kind, id);
            await s.Journal.FlushAsync();
            var o = JsonSerializer.SerializeToNode(entity, entity.GetType(), StoreJson.Options)!.AsObject();
            o["supplier"] = set.Supplier;
            o["kind"] = set.Kind;
            var callbacks = s.Callbacks.Query(tenant, null, key, null, 100);
            o["timeline"] = WithCallbacks(s.Entities.Timeline(tenant, key), callbacks);
            o["callbacks"] = callbacks;
            o["requests"] = s.Journal.Query(tenant, null, null, key, 100);
            return Results.Json(o, StoreJson.Options);
        }
        return NotFound($"no entity '{id}' for tenant '{tenant}'");
    }

    /// <summary>The outbox already records each callback, so the timeline shows them from there rather than storing them twice.</summary>
    static JsonArray WithCallbacks(JsonArray timeline, JsonArray callbacks)
    {
        var events = timeline.Select(e => e!.DeepClone())
            .Concat(callbacks.Select(c => (JsonNode)new JsonObject
            {
                ["at"] = c!["createdAt"]!.GetValue<string>(),
                ["kind"] = "callback",
                ["detail"] = new JsonObject { ["id"] = c["id"]!.GetValue<long>(), ["name"] = c["name"]!.GetValue<string>(), ["status"] = c["status"]!.GetValue<string>() },
            }))
            .OrderBy(e => DateTimeOffset.Parse(e["at"]!.GetValue<string>()));
        return new JsonArray(events.ToArray());
    }

    public sealed record TransitionRequest(string To, string? Supplier, string? Kind, string? Emit);

    static async Task<IResult> Transition(string tenant, string id, TransitionRequest body, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is not { } t) return NotFound($"tenant '{tenant}' not found");
        if (string.IsNullOrWhiteSpace(body.To)) return Bad("'to' (target state) is required");
        foreach (var set in s.Entities.All.Where(e => (body.Supplier is null || e.Supplier.Equals(body.Supplier, StringComparison.OrdinalIgnoreCase))
                                                     && (body.Kind is null || e.Kind.Equals(body.Kind, StringComparison.OrdinalIgnoreCase))))
        {
            if (set.Find(tenant, id) is not { } entity) continue;
            var machine = s.Scenarios.For(set.Supplier, t.ScenarioSet(set.Supplier)).Machines.GetValueOrDefault(set.Kind);
            if (machine is not null && !machine.States.Contains(body.To))
                return Bad($"'{body.To}' is not a state of the {set.Supplier} {set.Kind} machine ({string.Join(", ", machine.States)})");
            var uow = new UnitOfWork(s.Store);
            lock (entity)
            {
                var emit = body.Emit ?? machine?.Between(entity.Status, body.To)?.Emit;
                s.Lifecycle.Apply(t, set.Supplier, set.Kind, entity, body.To, emit, "admin transition", uow);
            }
            await uow.CommitAsync();
            return Results.Json(JsonSerializer.SerializeToNode(entity, entity.GetType(), StoreJson.Options), StoreJson.Options);
        }
        return NotFound($"no entity '{id}' for tenant '{tenant}'");
    }

    // ---- clock

    static JsonObject ClockView(string tenant, ClockState c, VirtualClock clock) => new()
    {
        ["tenant"] = tenant,
        ["now"] = clock.Now(tenant).ToString("O"),
        ["real"] = clock.RealNow.ToString("O"),
        ["frozen"] = c.FrozenAtMs is not null,
        ["offset"] = Durations.ToIso(TimeSpan.FromMilliseconds(c.OffsetMs)),
    };

    /// <summary>The clock after a change, with what the replay of the window did.</summary>
    static JsonObject ClockView(string tenant, AdvanceSummary summary, VirtualClock clock)
    {
        var view = ClockView(tenant, clock.Get(tenant), clock);
        view["fired"] = summary.Fired;
        view["callbacks"] = summary.Callbacks;
        view["until"] = summary.Until.ToString("O");
        return view;
    }

    static IResult GetClock(string tenant, [AsParameters] AdminServices s) =>
        s.Tenants.Find(tenant) is null ? NotFound($"tenant '{tenant}' not found") : Results.Json(ClockView(tenant, s.Clock.Get(tenant), s.Clock));

    public sealed record ClockRequest(DateTimeOffset? Now, bool? Frozen, string? Offset);

    static async Task<IResult> PutClock(string tenant, ClockRequest body, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return NotFound($"tenant '{tenant}' not found");
        var real = s.Clock.RealNow;
        var current = s.Clock.Now(tenant);
        var target = body.Now ?? current;
        if (body.Offset is not null)
        {
            if (!Durations.TryParse(body.Offset, out var offset)) return Bad("'offset' must be a duration such as PT2H or -P1D");
            target = real + offset;
        }
        var frozen = body.Frozen ?? s.Clock.Get(tenant).FrozenAtMs is not null;
        var state = frozen
            ? new ClockState(0, target.ToUnixTimeMilliseconds())
            : new ClockState(target.ToUnixTimeMilliseconds() - real.ToUnixTimeMilliseconds(), null);
        var summary = await s.Administration.SetClockAsync(tenant, state);
        return Results.Json(ClockView(tenant, summary, s.Clock));
    }

    public sealed record AdvanceRequest(string By);

    static async Task<IResult> AdvanceClock(string tenant, AdvanceRequest body, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return NotFound($"tenant '{tenant}' not found");
        if (!Durations.TryParse(body.By, out var by) || by < TimeSpan.Zero) return Bad("'by' must be a positive duration such as PT2H or 90s");
        var summary = await s.Administration.AdvanceAsync(tenant, by);
        return Results.Json(ClockView(tenant, summary, s.Clock));
    }

    // ---- callbacks and journal

    static IResult ListCallbacks(string? tenant, string? status, string? entity, int? limit, [AsParameters] AdminServices s) =>
        Results.Json(s.Callbacks.Query(tenant, status, entity, null, limit ?? 100), StoreJson.Options);

    static IResult GetCallback(long id, [AsParameters] AdminServices s) =>
        s.Callbacks.Get(id) is { } c ? Results.Json(c, StoreJson.Options) : NotFound($"callback {id} not found");

    static async Task<IResult> Redeliver(long id, [AsParameters] AdminServices s) =>
        await s.Callbacks.RedeliverAsync(id) is { } c ? Results.Json(c, StoreJson.Options) : NotFound($"callback {id} not found");

    static async Task<IResult> QueryJournal(string? tenant, string? supplier, string? operation, string? entity, int? limit, [AsParameters] AdminServices s)
    {
        await s.Journal.FlushAsync();
        return Results.Json(s.Journal.Query(tenant, supplier, operation, entity, limit ?? 100), StoreJson.Options);
    }

    static IResult JournalCounts(string? tenant, [AsParameters] AdminServices s) => Results.Json(s.Journal.Counts(tenant), StoreJson.Options);

    // ---- scenarios and faults

    static IResult ListScenarios([AsParameters] AdminServices s) => Results.Json(new
    {
        root = s.Scenarios.Root,
        sets = s.Scenarios.All.Select(x => new
        {
            supplier = x.Supplier, name = x.Name, description = x.Description, seed = x.Seed,
            files = x.Files.Select(f => Path.GetRelativePath(s.Scenarios.Root, f)),
            machines = x.Machines.Values.Select(m => new
            {
                kind = m.Name, initial = m.Initial,
                transitions = m.Transitions.Select(t => new
                {
                    from = t.From, to = t.To, on = t.On, after = t.After is { } a ? Durations.ToIso(a) : null, emit = t.Emit, @if = t.If, unless = t.Unless,
                }),
            }),
            rules = x.Rules.Count,
        }),
        errors = s.Scenarios.LastErrors,
    });

    static IResult Magic(string? supplier, [AsParameters] AdminServices s) =>
        Results.Json(new JsonArray(s.Scenarios.All
            .Where(x => supplier is null || x.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase))
            .SelectMany(x => x.Rules.Where(r => r.Predicates.Count > 0).Select(r => (JsonNode)r.Describe(x.Supplier, x.Name)))
            .ToArray()), StoreJson.Options);

    static IResult Reload([AsParameters] AdminServices s)
    {
        var report = s.Scenarios.Reload();
        return Results.Json(report, statusCode: report.Errors.Count == 0 ? 200 : 422);
    }

    public sealed record ScenarioSelection(string Supplier, string Set);

    static async Task<IResult> SelectScenario(string tenant, ScenarioSelection body, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is not { } t) return NotFound($"tenant '{tenant}' not found");
        if (s.Scenarios.Find(body.Supplier, body.Set) is null)
            return Bad($"no scenario set '{body.Set}' for '{body.Supplier}' (see GET /admin/api/scenarios)");
        t.Scenarios[body.Supplier.ToLowerInvariant()] = body.Set.ToLowerInvariant();
        await s.Tenants.UpsertAsync(t);
        return Results.Json(t, StoreJson.Options);
    }

    static IResult ListFaults(string tenant, [AsParameters] AdminServices s) =>
        Results.Json(s.Rules.List(tenant).Select(a => new { id = a.Id, supplier = a.Supplier, created = a.Created, rule = a.Rule.Describe(a.Supplier, "ad-hoc") }), StoreJson.Options);

    /// <summary>Adds a runtime rule in the scenario rule syntax, as JSON: {"supplier": "techhouse", "rule": {when, reply|fault|set|tags, times, probability}}.</summary>
    static async Task<IResult> AddFault(string tenant, HttpRequest request, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return NotFound($"tenant '{tenant}' not found");
        string text;
        using (var reader = new StreamReader(request.Body)) text = await reader.ReadToEndAsync();
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("empty body");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Bad("body must be a JSON object: " + e.Message);
        }
        var supplier = body["supplier"]?.ToString();
        var module = s.Modules.FirstOrDefault(m => m.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase));
        if (module is null) return Bad($"'supplier' must be one of {string.Join(", ", s.Modules.Select(m => m.Supplier))}");
        if (body["rule"] is not JsonObject ruleJson) return Bad("'rule' must be an object with 'when' and an effect");
        try
        {
            // JSON is YAML: the same parser and validation as scenario files.
            var node = Yml.LoadMapping(ruleJson.ToJsonString(), "fault");
            var rule = ScenarioParser.Rule("ad-hoc", node, module, body["seed"] is JsonValue seed && seed.TryGetValue<int>(out var n) ? n : 0, 0);
            var added = s.Rules.Add(tenant, module.Supplier, rule);
            return Results.Json(new { id = added.Id, supplier = added.Supplier, rule = rule.Describe(module.Supplier, "ad-hoc") }, statusCode: 201);
        }
        catch (YamlLoadException e)
        {
            return Bad(e.Reason);
        }
    }

    static IResult DeleteFault(string tenant, string id, [AsParameters] AdminServices s) =>
        s.Rules.Remove(tenant, id) ? Results.NoContent() : NotFound($"fault '{id}' not found");

    static IResult NotFound(string message) => Results.Json(new { error = message }, statusCode: 404);

    static IResult Bad(string message) => Results.Json(new { error = message }, statusCode: 400);
}
