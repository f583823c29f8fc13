using Sandbox.Engine.Machines;

namespace Sandbox.Tests.Engine;

/// <summary>Scenario state machines: timed transitions chosen by tags, operation-driven transitions, states.</summary>
public class StateMachineTests
{
    static Transition T(string from, string to, string? on = null, TimeSpan? after = null, string? emit = null, string[]? @if = null, string[]? unless = null) =>
        new(from, to, on, after, emit, @if ?? [], unless ?? []);

    // The shape of scenarios/techhouse/default.yaml: tagged orders take their own path; first match wins.
    static readonly MachineDefinition Order = new("order", "PENDING",
    [
        T("PENDING", "TICKET_FAILED", after: TimeSpan.FromMinutes(2), emit: "SyncOrderStatus", @if: ["ticketing-fails"]),
        T("PENDING", "TICKETED", after: TimeSpan.FromHours(2), emit: "SyncOrderStatus", @if: ["slow-ticketing"]),
        T("PENDING", "TICKETED", after: TimeSpan.FromMinutes(2), emit: "SyncOrderStatus", unless: ["manual"]),
        T("NEED_PAYMENT", "PENDING", after: TimeSpan.FromMinutes(30), @if: ["paid-later"]),
        T("PENDING", "CANCELLED", on: "Cancel"),
        T("*", "VOIDED", on: "Void", unless: ["ticketed-elsewhere"]),
    ]);

    static HashSet<string> Tags(params string[] tags) => new(tags, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void An_untagged_order_takes_the_default_timed_transition()
    {
        var t = Order.Timed("PENDING", Tags())!;
        Assert.Equal("TICKETED", t.To);
        Assert.Equal(TimeSpan.FromMinutes(2), t.After);
        Assert.Equal("SyncOrderStatus", t.Emit);
    }

    [Fact]
    public void The_first_transition_whose_if_tags_hold_wins()
    {
        Assert.Equal("TICKET_FAILED", Order.Timed("PENDING", Tags("ticketing-fails"))!.To);
        Assert.Equal(TimeSpan.FromHours(2), Order.Timed("PENDING", Tags("slow-ticketing"))!.After);
        // Both tags: the earlier transition in the file wins.
        Assert.Equal("TICKET_FAILED", Order.Timed("PENDING", Tags("slow-ticketing", "ticketing-fails"))!.To);
    }

    [Fact]
    public void Unless_tags_exclude_a_transition()
    {
        Assert.Null(Order.Timed("PENDING", Tags("manual")));
        Assert.Equal("TICKET_FAILED", Order.Timed("PENDING", Tags("manual", "ticketing-fails"))!.To);
    }

    [Fact]
    public void A_state_without_a_matching_timed_transition_waits()
    {
        Assert.Null(Order.Timed("TICKETED", Tags()));
        Assert.Null(Order.Timed("NEED_PAYMENT", Tags()));
        Assert.Equal("PENDING", Order.Timed("NEED_PAYMENT", Tags("paid-later"))!.To);
    }

    [Fact]
    public void Operation_transitions_match_the_operation_and_the_source_state()
    {
        Assert.Equal("CANCELLED", Order.OnOperation("PENDING", "cancel", Tags())!.To);
        Assert.Null(Order.OnOperation("TICKETED", "Cancel", Tags()));
        Assert.Null(Order.OnOperation("PENDING", "Refund", Tags()));
        // A wildcard source matches every state, still subject to tags.
        Assert.Equal("VOIDED", Order.OnOperation("TICKETED", "Void", Tags())!.To);
        Assert.Null(Order.OnOperation("TICKETED", "Void", Tags("ticketed-elsewhere")));
        // Timed transitions are not operation transitions.
        Assert.Null(Order.OnOperation("PENDING", "SyncOrderStatus", Tags()));
    }

    [Fact]
    public void States_are_every_source_and_target_without_the_wildcard()
    {
        Assert.Equal(["CANCELLED", "NEED_PAYMENT", "PENDING", "TICKETED", "TICKET_FAILED", "VOIDED"], Order.States.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Between_finds_the_transition_an_admin_forced_move_takes_its_emit_from()
    {
        Assert.Equal("SyncOrderStatus", Order.Between("PENDING", "TICKETED")!.Emit);
        Assert.Null(Order.Between("PENDING", "VOIDED")!.Emit);
        Assert.Null(Order.Between("TICKETED", "PENDING"));
    }
}
