using System.Text.Json.Serialization;

namespace Sandbox.Suppliers.Bpt.Model;

public sealed record FixturePolicy(
    [property: JsonPropertyName("pgcode")] string PgCode,
    [property: JsonPropertyName("policynum")] decimal PolicyNum);

/// <summary>
/// What the airline knows about a PNR: the big PNR (大编码) and the CRS PNR it was converted from (小编码),
/// passengers, segments, the face price and taxes (totals over all passengers) and the policies on offer.
/// Loaded from a scenario's <c>catalog.pnrs</c>, generated from the seed, or posted to the admin API.
/// </summary>
public sealed record PnrFixture
{
    [JsonPropertyName("air")] public required string Air { get; init; }
    [JsonPropertyName("pnr")] public required string BigPnr { get; init; }
    [JsonPropertyName("pnrc")] public string? SmallPnr { get; init; }
    [JsonPropertyName("passengers")] public IReadOnlyList<BptPassenger> Passengers { get; init; } = [];
    [JsonPropertyName("segments")] public IReadOnlyList<BptSegment> Segments { get; init; } = [];
    [JsonPropertyName("ticketprice")] public decimal TicketPrice { get; init; }
    [JsonPropertyName("totaltax")] public decimal TotalTax { get; init; }
    [JsonPropertyName("policies")] public IReadOnlyList<FixturePolicy> Policies { get; init; } = [];
    /// <summary>A PNR the airline has cancelled: queries answer PNR不存在或已取消.</summary>
    [JsonPropertyName("cancelled")] public bool Cancelled { get; init; }

    /// <summary>payprice = ticketprice × (1 − policynum/100) + totaltax, rounded to 2 decimals (spec §5.2).</summary>
    public decimal PayPrice(FixturePolicy p) =>
        Math.Round(TicketPrice * (1 - p.PolicyNum / 100m) + TotalTax, 2, MidpointRounding.AwayFromZero);

    public int Adults => Passengers.Count(p => !p.Type.Equals("CHD", StringComparison.OrdinalIgnoreCase));
}
