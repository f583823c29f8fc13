using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>A group of the tenant's app and what it routes: messages of the listed users first, then of the listed topics.</summary>
public sealed record TmcGroup(string Name, IReadOnlySet<string> Topics, IReadOnlySet<string> Nicks);

/// <summary>
/// A tenant's TMC configuration, from <c>settings.top.tmc</c> of the tenant JSON (spec §3.1.6, sandbox definition):
/// the topics the app subscribes to, whether authorised users are permitted without <c>taobao.tmc.user.permit</c>,
/// the app's groups, and the delivery timings. Every field is optional; a value of the wrong type is ignored (its
/// default applies) and reported in <see cref="Warnings"/>, which the admin queue read shows.
/// </summary>
public sealed class TmcSettings
{
    public const string DefaultGroup = "default";

    /// <summary>The flight topics of spec §3.1 (the fifth exists under two names): the default subscription.</summary>
    public static readonly IReadOnlyList<string> FlightTopics =
    [
        "alitrip_flight_TradeNotify", "alitrip_flight_RefundNotify", "alitrip_flight_ChangeStatusNotify",
        "alitrip_flight_PayNotification", "alitrip_flight_FlightChange", "alitrip_flight_Change",
    ];

    public IReadOnlySet<string> Topics { get; private init; } = new HashSet<string>(FlightTopics, StringComparer.Ordinal);
    public bool AutoPermit { get; private init; } = true;
    /// <summary>Configured groups in their order; <c>default</c> always exists besides them.</summary>
    public IReadOnlyList<TmcGroup> Groups { get; private init; } = [];
    /// <summary>The AppKey messages carry as their publisher (<c>publisher</c> / <c>pub_app_key</c>).</summary>
    public string Publisher { get; private init; } = "4272";
    /// <summary>A pushed message not confirmed in this time is redelivered (spec §3.3.5).</summary>
    public TimeSpan PushAckTimeout { get; private init; } = TimeSpan.FromSeconds(60);
    /// <summary>A message handed out by taobao.tmc.messages.consume not confirmed in this time is handed out again (spec §3.2.1).</summary>
    public TimeSpan ConsumeAckTimeout { get; private init; } = TimeSpan.FromMinutes(5);
    /// <summary>A message a client reported failed is deliverable again after this delay.</summary>
    public TimeSpan FailedRetryDelay { get; private init; } = TimeSpan.FromSeconds(10);
    /// <summary>After this many deliveries that were not confirmed the message is parked.</summary>
    public int MaxDeliveries { get; private init; } = 16;
    /// <summary>How far a CONNECT timestamp may be from the real or the tenant's virtual time.</summary>
    public TimeSpan TimestampTolerance { get; private init; } = TimeSpan.FromMinutes(10);
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    static readonly ConditionalWeakTable<Tenant, TmcSettings> Cache = new();

    /// <summary>The tenant's settings, parsed once per tenant version (an admin update replaces the tenant object).</summary>
    public static TmcSettings For(Tenant tenant) => Cache.GetValue(tenant, t => Parse(t.SettingsFor("top")["tmc"]));

    public bool HasGroup(string name) => name == DefaultGroup || Groups.Any(g => g.Name == name);

    /// <summary>
    /// The group a message goes to: a group listing the user comes first (taobao.tmc.group.add routes users), then one
    /// listing the topic (taobao.tmc.topic.group.add), then <c>default</c>.
    /// </summary>
    public string GroupFor(string topic, string userNick)
    {
        foreach (var g in Groups)
            if (g.Nicks.Contains(userNick)) return g.Name;
        foreach (var g in Groups)
            if (g.Topics.Contains(topic)) return g.Name;
        return DefaultGroup;
    }

    public static TmcSettings Parse(JsonNode? node)
    {
        var warnings = new List<string>();
        if (node is null) return new TmcSettings();
        if (node is not JsonObject o)
        {
            warnings.Add("settings.top.tmc must be an object; defaults apply");
            return new TmcSettings { Warnings = warnings };
        }
        var d = new TmcSettings();
        return new TmcSettings
        {
            Topics = Strings(o, "topics", warnings) is { } topics ? topics : d.Topics,
            AutoPermit = Bool(o, "auto_permit", warnings) ?? d.AutoPermit,
            Groups = ParseGroups(o, warnings),
            Publisher = o["publisher"] is JsonValue p && p.TryGetValue<string>(out var pub) && pub.Length > 0 ? pub : d.Publisher,
            PushAckTimeout = Seconds(o, "push_ack_timeout_seconds", warnings) ?? d.PushAckTimeout,
            ConsumeAckTimeout = Seconds(o, "consume_ack_timeout_seconds", warnings) ?? d.ConsumeAckTimeout,
            FailedRetryDelay = Seconds(o, "failed_retry_seconds", warnings, allowZero: true) ?? d.FailedRetryDelay,
            MaxDeliveries = Int(o, "max_deliveries", warnings) ?? d.MaxDeliveries,
            TimestampTolerance = Seconds(o, "timestamp_tolerance_seconds", warnings) ?? d.TimestampTolerance,
            Warnings = warnings,
        };
    }

    static IReadOnlyList<TmcGroup> ParseGroups(JsonObject o, List<string> warnings)
    {
        if (o["groups"] is null) return [];
        if (o["groups"] is not JsonObject groups)
        {
            warnings.Add("groups must be an object {name: {topics: [...], nicks: [...]}}");
            return [];
        }
        var list = new List<TmcGroup>();
        foreach (var (name, value) in groups)
        {
            if (name.Length == 0 || name == DefaultGroup)
            {
                warnings.Add($"group '{name}' cannot be configured: 'default' gets what no other group routes");
                continue;
            }
            if (value is not JsonObject g)
            {
                warnings.Add($"groups.{name} must be an object {{topics: [...], nicks: [...]}}");
                continue;
            }
            list.Add(new TmcGroup(name, Strings(g, "topics", warnings) ?? new HashSet<string>(), Strings(g, "nicks", warnings) ?? new HashSet<string>()));
        }
        return list;
    }

    static IReadOnlySet<string>? Strings(JsonObject o, string field, List<string> warnings)
    {
        switch (o[field])
        {
            case null:
                return null;
            case JsonArray a when a.All(i => i is JsonValue v && v.TryGetValue<string>(out _)):
                return a.Select(i => i!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            case JsonValue v when v.TryGetValue<string>(out var csv):
                return csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            default:
                warnings.Add($"{field} must be a list of strings");
                return null;
        }
    }

    static bool? Bool(JsonObject o, string field, List<string> warnings)
    {
        if (o[field] is null) return null;
        if (o[field] is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
        warnings.Add($"{field} must be true or false");
        return null;
    }

    static int? Int(JsonObject o, string field, List<string> warnings)
    {
        if (o[field] is null) return null;
        if (o[field] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0) return n;
        warnings.Add($"{field} must be a positive integer");
        return null;
    }

    static TimeSpan? Seconds(JsonObject o, string field, List<string> warnings, bool allowZero = false)
    {
        if (o[field] is null) return null;
        if (o[field] is JsonValue v && v.TryGetValue<double>(out var s) && (s > 0 || (allowZero && s == 0)) && s <= 86_400 * 30)
            return TimeSpan.FromSeconds(s);
        warnings.Add($"{field} must be a number of seconds ({(allowZero ? "0" : "above 0")} to 2592000)");
        return null;
    }
}
