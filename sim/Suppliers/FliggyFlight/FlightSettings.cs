using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Scenarios;

namespace Sandbox.Suppliers.FliggyFlight;

/// <summary>A fee rate that applies when a flight departs at least <paramref name="Before"/> later.</summary>
public sealed record FeeBand(TimeSpan Before, decimal Rate);

/// <summary>
/// The <c>settings:</c> of scenarios/fliggyflight/&lt;set&gt;.yaml (documented in docs/suppliers/fliggy-flight.md):
/// offer validity, seat counting, the price-change step, and the refund and change fee tables. A tenant's own
/// <c>settings.fliggyflight</c> (admin API, tenants.yaml) overrides the scenario's, name by name, as for every supplier.
/// </summary>
public sealed record FlightSettings(TimeSpan ItemTtl, bool TrackInventory, decimal PriceChange, IReadOnlyList<FeeBand> RefundFees, decimal NoShowRate,
    IReadOnlyList<FeeBand> ChangeFees)
{
    public static readonly string[] Known = ["itemTtl", "inventory", "priceChange", "refundFees", "noShowRate", "changeFees"];

    static readonly ConditionalWeakTable<Scenario, FlightSettings> Cache = new();

    // Per scenario, per tenant settings object (a tenant update replaces the object, so a stale entry is never read).
    static readonly ConditionalWeakTable<Scenario, ConditionalWeakTable<JsonObject, FlightSettings>> TenantCache = new();

    static readonly FeeBand[] DefaultRefundFees =
        [new(TimeSpan.FromDays(7), 0.05m), new(TimeSpan.FromDays(2), 0.10m), new(TimeSpan.FromHours(4), 0.20m), new(TimeSpan.Zero, 0.30m)];

    static readonly FeeBand[] DefaultChangeFees = [new(TimeSpan.FromDays(7), 0.05m), new(TimeSpan.FromDays(2), 0.10m), new(TimeSpan.Zero, 0.20m)];

    public static FlightSettings From(Scenario s) => Cache.GetValue(s, x => Parse(x.Settings));

    /// <summary>The scenario's settings with the tenant's <c>settings.fliggyflight</c> over them.</summary>
    public static FlightSettings For(Scenario s, JsonObject tenantSettings)
    {
        if (tenantSettings.Count == 0) return From(s);
        return TenantCache.GetValue(s, _ => new()).GetValue(tenantSettings, t =>
        {
            var merged = s.Settings.DeepClone().AsObject();
            foreach (var (name, value) in t) merged[name] = value?.DeepClone();
            try
            {
                return Parse(merged);
            }
            catch (FormatException)
            {
                // The admin API does not validate free-form settings: a malformed tenant value leaves the scenario's.
                return From(s);
            }
        });
    }

    static string? Str(JsonObject o, string name) => o[name] is JsonValue v ? v.ToString() : null;

    static FlightSettings Parse(JsonObject s) => new(
        Str(s, "itemTtl") is { } ttl && Durations.TryParse(ttl, out var t) ? t : TimeSpan.FromMinutes(30),
        !string.Equals(Str(s, "inventory"), "unlimited", StringComparison.OrdinalIgnoreCase),
        Rate(Str(s, "priceChange")) ?? 0.05m,
        Bands(s["refundFees"]) ?? DefaultRefundFees,
        Rate(Str(s, "noShowRate")) ?? 0.5m,
        Bands(s["changeFees"]) ?? DefaultChangeFees);

    static decimal? Rate(string? v) => decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>A fee table: <c>[{before: P7D, rate: 0.05}, …]</c>, most generous first; a malformed one throws <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<FeeBand>? Bands(JsonNode? node)
    {
        if (node is null) return null;
        if (node is not JsonArray list) throw new FormatException("a fee table is a list");
        return list.Select(b => b is JsonObject o && o["before"] is { } before && o["rate"] is { } rate
                && decimal.TryParse(rate.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
                    ? new FeeBand(Durations.Parse(before.ToString()), r)
                    : throw new FormatException("a fee band is {before: <duration>, rate: <0..1>}"))
            .OrderByDescending(b => b.Before).ToList();
    }

    /// <summary>The rate for a flight departing <paramref name="ahead"/> from now (negative: departed); null when no band applies.</summary>
    public static decimal? RateFor(IReadOnlyList<FeeBand> bands, TimeSpan ahead) => bands.FirstOrDefault(b => ahead >= b.Before)?.Rate;
}
