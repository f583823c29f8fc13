using System.Text.Json.Nodes;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>
/// One refund window of a line (spec §7, machine form <c>refundRuleList</c>): hours before departure in
/// [<see cref="MinHoursBefore"/>, <see cref="MaxHoursBefore"/>), refundable or not, and the fee in percent.
/// </summary>
public sealed record RefundRule(decimal MinHoursBefore, decimal? MaxHoursBefore, bool CanRefund, decimal FeePercent)
{
    public bool Covers(decimal hoursBefore) => hoursBefore >= MinHoursBefore && (MaxHoursBefore is null || hoursBefore < MaxHoursBefore);

    public static RefundRule Read(JsonObject o) =>
        new(Decimal(o, "minHoursBefore") ?? 0, Decimal(o, "maxHoursBefore"), Bool(o, "canRefund") ?? false, Decimal(o, "feePercent") ?? 0);

    /// <summary>
    /// The seed's example rule: under 3 h no refund; 3–6 h 25 %; 6–24 h 10 %; 24–48 h 5 %; beyond 48 h free.
    /// Used when a line carries no machine rule.
    /// </summary>
    public static readonly IReadOnlyList<RefundRule> SeedExample =
    [
        new(0, 3, false, 0),
        new(3, 6, true, 25),
        new(6, 24, true, 10),
        new(24, 48, true, 5),
        new(48, null, true, 0),
    ];
}

/// <summary>What a refund costs at a given moment: whether it is allowed and the fee in fen.</summary>
public sealed record RefundQuote(bool CanRefund, long Fee, RefundRule? Rule);

public static class RefundPolicy
{
    /// <summary>
    /// The fee of a ticket <paramref name="hoursBefore"/> hours before departure:
    /// <c>round_half_up(ticketPrice × feePercent / 100)</c> fen under the window that covers it; no window, no refund.
    /// </summary>
    public static RefundQuote Quote(IReadOnlyList<RefundRule> rules, long ticketPrice, decimal hoursBefore)
    {
        var rule = rules.FirstOrDefault(r => r.Covers(hoursBefore));
        if (rule is null || !rule.CanRefund || hoursBefore < 0) return new RefundQuote(false, 0, rule);
        var fee = Math.Round(ticketPrice * rule.FeePercent / 100m, MidpointRounding.AwayFromZero);
        return new RefundQuote(true, (long)fee, rule);
    }

    /// <summary>Defects of a rule list: bounds, percentages, overlapping windows.</summary>
    public static IEnumerable<string> Problems(IReadOnlyList<RefundRule> rules)
    {
        foreach (var r in rules)
        {
            if (r.MinHoursBefore < 0) yield return $"minHoursBefore {r.MinHoursBefore} is negative";
            if (r.MaxHoursBefore is { } max && max <= r.MinHoursBefore) yield return $"window [{r.MinHoursBefore} h, {max} h) is empty";
            if (r.FeePercent is < 0 or > 100) yield return $"feePercent {r.FeePercent} is outside 0–100";
        }
        var ordered = rules.OrderBy(r => r.MinHoursBefore).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i - 1].MaxHoursBefore is not { } prevMax || prevMax > ordered[i].MinHoursBefore)
                yield return $"windows starting at {ordered[i - 1].MinHoursBefore} h and {ordered[i].MinHoursBefore} h overlap";
    }
}
