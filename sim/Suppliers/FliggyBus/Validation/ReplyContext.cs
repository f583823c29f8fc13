using Sandbox.Suppliers.FliggyBus.Model;

namespace Sandbox.Suppliers.FliggyBus.Validation;

/// <summary>
/// What Fliggy knows when a reply arrives, for the checks a field table alone cannot make: the schedule ids of
/// earlier syncs, the line and departure of an order, what each passenger paid.
/// </summary>
public sealed record ReplyContext
{
    public static readonly ReplyContext None = new();

    /// <summary>Schedule ids seen in earlier syncs of this merchant (stability check); null skips it.</summary>
    public ScheduleIdRegistry? Schedules { get; init; }
    public Line? Line { get; init; }
    public DateTimeOffset? Departure { get; init; }
    /// <summary>Ticket price paid per passengerId, in fen.</summary>
    public IReadOnlyDictionary<string, long>? PassengerPrices { get; init; }
    /// <summary>The rule a line without <c>refundRuleList</c> is held to (the scenario's <c>catalog.refundRules</c>).</summary>
    public IReadOnlyList<RefundRule> DefaultRefundRules { get; init; } = RefundRule.SeedExample;
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}
