using System.Text.Json.Nodes;
using Sandbox.Engine.Clock;
using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Config;

/// <summary>
/// Fliggy's side of the flow for one tenant: the per-API timeouts and retries of spec §3, the payment deadline and
/// ticketing timeout of §6.3, the stopped-schedule polling of §4.10, the signed trace header of §2.1 and the refund
/// permission of §5, and the simulated customers' scheduled bookings. The scenario's <c>settings:</c> section gives
/// every value; a tenant's <c>settings.fliggybus</c> overrides any of them (a call policy field by field).
/// </summary>
public sealed record FliggyBusSettings(
    IReadOnlyDictionary<string, CallPolicy> Calls,
    bool SignedTrace,
    TimeSpan PaymentDeadline,
    TimeSpan TicketingTimeout,
    TimeSpan OfflinePolling,
    int OfflineHorizonDays,
    bool RefundPermission,
    ScheduledBookings? Bookings = null)
{
    public CallPolicy PolicyFor(string method) => Calls[method];

    public static ConfigResult<FliggyBusSettings> Parse(JsonObject scenarioSettings, JsonObject? tenantOverrides = null)
    {
        var merged = (JsonObject)scenarioSettings.DeepClone();
        if (tenantOverrides is not null) Merge(merged, tenantOverrides);
        var errors = new List<ConfigError>();
        foreach (var (key, _) in merged)
            if (!Keys.Contains(key)) errors.Add(new($"settings.{key}", $"unknown setting (expected {string.Join(", ", Keys)})"));

        var calls = new Dictionary<string, CallPolicy>(StringComparer.Ordinal);
        if (merged["calls"] is not JsonObject callsNode) errors.Add(new("settings.calls", "required: one {timeout, attempts, delays} per merchant API"));
        else
        {
            foreach (var (method, node) in callsNode)
                if (!QimenMethods.IsKnown(method)) errors.Add(new($"settings.calls.{method}", $"'{method}' is not one of the 11 merchant APIs"));
            foreach (var method in QimenMethods.Names)
            {
                var at = $"settings.calls.{method}";
                if (callsNode[method] is not JsonObject policy)
                {
                    errors.Add(new(at, "required: {timeout, attempts, delays}"));
                    continue;
                }
                if (ParsePolicy(policy, at, errors) is { } p) calls[method] = p;
            }
        }
        var signedTrace = Flag(merged, "signedTrace", false, errors);
        var refundPermission = Flag(merged, "refundPermission", true, errors);
        var payment = Duration(merged, "paymentDeadline", errors);
        var ticketing = Duration(merged, "ticketingTimeout", errors);
        var polling = Duration(merged, "offlinePolling", errors);
        var horizon = Long(merged, "offlineHorizonDays");
        if (horizon is not (>= 1 and <= 60)) errors.Add(new("settings.offlineHorizonDays", "required: days ahead the stopped-schedule poll covers, 1–60"));
        var bookings = ParseBookings(merged["bookings"], errors);
        return errors.Count > 0
            ? new(null, errors)
            : new(new FliggyBusSettings(calls, signedTrace, payment, ticketing, polling, (int)horizon!.Value, refundPermission, bookings), errors);
    }

    static readonly string[] Keys =
        ["calls", "signedTrace", "paymentDeadline", "ticketingTimeout", "offlinePolling", "offlineHorizonDays", "refundPermission", "bookings"];

    /// <summary><c>bookings: {every, passengers, payAfter, refundAfter}</c>; absent (or <c>null</c>) turns them off.</summary>
    static ScheduledBookings? ParseBookings(JsonNode? node, List<ConfigError> errors)
    {
        const string at = "settings.bookings";
        if (node is null) return null;
        if (node is not JsonObject o)
        {
            errors.Add(new(at, "a mapping {every, passengers, payAfter, refundAfter}"));
            return null;
        }
        var before = errors.Count;
        foreach (var (key, _) in o)
            if (key is not ("every" or "passengers" or "payAfter" or "refundAfter"))
                errors.Add(new($"{at}.{key}", "unknown key (expected every, passengers, payAfter, refundAfter)"));
        var every = Duration(o, "every", errors, at);
        var passengers = o["passengers"] is null ? 1 : Long(o, "passengers");
        if (passengers is not (>= 1 and <= 9)) errors.Add(new($"{at}.passengers", "1–9 passengers per booking"));
        TimeSpan? Optional(string key) => o[key] is null ? null : Duration(o, key, errors, at);
        var payAfter = Optional("payAfter");
        var refundAfter = Optional("refundAfter");
        if (refundAfter is not null && payAfter is null) errors.Add(new($"{at}.refundAfter", "needs payAfter: only a paid, issued order is refunded"));
        return errors.Count == before ? new ScheduledBookings(every, (int)passengers!.Value, payAfter, refundAfter) : null;
    }

    static CallPolicy? ParsePolicy(JsonObject policy, string at, List<ConfigError> errors)
    {
        var before = errors.Count;
        foreach (var (key, _) in policy)
            if (key is not ("timeout" or "attempts" or "delays")) errors.Add(new($"{at}.{key}", "unknown key (expected timeout, attempts, delays)"));
        var timeout = Duration(policy, "timeout", errors, at);
        if (timeout > TimeSpan.FromMinutes(2)) errors.Add(new($"{at}.timeout", "at most 2 minutes: Fliggy does not wait longer for a merchant"));
        var attempts = Long(policy, "attempts");
        if (attempts is not (>= 1 and <= 10)) errors.Add(new($"{at}.attempts", "required: 1–10"));
        var delays = new List<TimeSpan>();
        if (policy["delays"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
                if (list[i] is JsonValue v && v.TryGetValue<string>(out var s) && Durations.TryParse(s, out var d) && d >= TimeSpan.Zero) delays.Add(d);
                else errors.Add(new($"{at}.delays[{i}]", "a delay is a duration (5s, 1m, PT30S)"));
        }
        else if (policy["delays"] is not null) errors.Add(new($"{at}.delays", "a list of durations"));
        if (attempts is >= 1 and <= 10 && delays.Count != attempts - 1 && errors.Count == before)
            errors.Add(new($"{at}.delays", $"{attempts} attempts need {attempts - 1} delay(s) between them, {delays.Count} given"));
        return errors.Count == before ? new CallPolicy(timeout, (int)attempts!.Value, delays) : null;
    }

    static TimeSpan Duration(JsonObject o, string key, List<ConfigError> errors, string at = "settings")
    {
        if (Str(o, key) is { } s && Durations.TryParse(s, out var d) && d > TimeSpan.Zero) return d;
        errors.Add(new($"{at}.{key}", o[key] is null ? "required: a duration (5s, 15m, PT30M)" : $"'{o[key]!.ToJsonString()}' is not a positive duration"));
        return TimeSpan.Zero;
    }

    static bool Flag(JsonObject o, string key, bool fallback, List<ConfigError> errors)
    {
        if (o[key] is null) return fallback;
        if (Bool(o, key) is { } b) return b;
        errors.Add(new($"settings.{key}", "true or false"));
        return fallback;
    }

    /// <summary>Tenant values over scenario values; objects merge key by key so one field of one policy can change.</summary>
    static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (target[key] is JsonObject t && value is JsonObject s) Merge(t, s);
            else target[key] = value?.DeepClone();
        }
    }
}

/// <summary>
/// Simulated Fliggy customers booking on their own [sandbox definition]: a booking of <see cref="Passengers"/> on a
/// random saleable schedule every <see cref="Every"/> of the tenant's virtual time, paid <see cref="PayAfter"/> after
/// the merchant locked the seats (never, when null: the payment deadline closes it), refunded
/// <see cref="RefundAfter"/> after the tickets were issued (never, when null).
/// </summary>
public sealed record ScheduledBookings(TimeSpan Every, int Passengers, TimeSpan? PayAfter, TimeSpan? RefundAfter);
