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
/// offer validity, seat counting, the price-change step, and the refund and change fee tables.
/// </summary>
public sealed record FlightSettings(TimeSpan ItemTtl, bool TrackInventory, decimal PriceChange, IReadOnlyList<FeeBand> RefundFees, decimal NoShowRate,
    IReadOnlyList<FeeBand> ChangeFees)
{
    public static readonly string[] Known = ["itemTtl", "inventory", "priceChange", "refundFees", "noShowRate", "changeFees"];

    static readonly ConditionalWeakTable<Scenario, FlightSettings> Cache = new();

    static readonly FeeBand[] DefaultRefundFees =
        [new(TimeSpan.FromDays(7), 0.05m), new(TimeSpan.FromDays(2), 0.10m), new(TimeSpan.FromHours(4), 0.20m), new(TimeSpan.Zero, 0.30m)];

    static readonly FeeBand[] DefaultChangeFees = [new(TimeSpan.FromDays(7), 0.05m), new(TimeSpan.FromDays(2), 0.10m), new(TimeSpan.Zero, 0.20m)];

    public static FlightSettings From(Scenario s) => Cache.GetValue(s, Parse);

    static FlightSettings Parse(Scenario s) => new(
        s.SettingString("itemTtl") is { } ttl && Durations.TryParse(ttl, out var t) ? t : TimeSpan.FromMinutes(30),
        !string.Equals(s.SettingString("inventory"), "unlimited", StringComparison.OrdinalIgnoreCase),
        Rate(s.SettingString("priceChange")) ?? 0.05m,
        Bands(s.Settings["refundFees"]) ?? DefaultRefundFees,
        Rate(s.SettingString("noShowRate")) ?? 0.5m,
        Bands(s.Settings["changeFees"]) ?? DefaultChangeFees);

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
