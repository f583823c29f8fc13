using Sandbox.Engine.Machines;
using Sandbox.Engine.Scenarios;

namespace Sandbox.Suppliers.FliggyBus.Model;

public sealed record TicketChange(string PassengerId, string From, string To);

/// <summary>What one event does to one order: the order's move, the Qimen call it makes and each ticket's move.</summary>
public sealed record BusTransition(string Event, string OrderFrom, string OrderTo, string? Emit, IReadOnlyList<TicketChange> Tickets);

/// <summary>The outcome of offering an event to an order: the transition, or why the order's state refuses it.</summary>
public sealed record BusStep(BusTransition? Transition, string? Refusal)
{
    public bool Allowed => Transition is not null;
}

/// <summary>
/// Runs the order and ticket machines of scenarios/fliggybus (spec §6.3) on a <see cref="BusOrder"/>. An event moves
/// the tickets it names (all when it names none) that their machine lets move, then the order, whose machine sees the
/// tags <c>all-refunded</c> and <c>fully-refunded</c> computed from the tickets' new states and the refunds paid. An
/// event the order's state does not allow changes nothing.
/// </summary>
public sealed class BusMachines(MachineDefinition order, MachineDefinition ticket)
{
    public const string OrderKind = "order";
    public const string TicketKind = "ticket";

    public MachineDefinition Order { get; } = order;
    public MachineDefinition Ticket { get; } = ticket;

    public static BusMachines From(Scenario scenario) =>
        new(scenario.Machines.TryGetValue(OrderKind, out var o) ? o : throw new InvalidOperationException($"scenario {scenario.Name} has no '{OrderKind}' machine"),
            scenario.Machines.TryGetValue(TicketKind, out var t) ? t : throw new InvalidOperationException($"scenario {scenario.Name} has no '{TicketKind}' machine"));

    /// <summary>A new order after create order succeeded: the machines' initial states.</summary>
    public void Start(BusOrder busOrder)
    {
        busOrder.Status = Order.Initial;
        foreach (var t in busOrder.Tickets) t.Status = Ticket.Initial;
    }

    /// <summary>What <paramref name="evt"/> would do, without changing the order.</summary>
    public BusStep Plan(BusOrder busOrder, BusEvent evt)
    {
        var named = evt.PassengerIds is { Count: > 0 } ids ? ids : null;
        if (named is not null && named.FirstOrDefault(id => busOrder.Ticket(id) is null) is { } unknown)
            return new BusStep(null, $"passenger {unknown} is not on order {busOrder.Id}");
        var changes = new List<TicketChange>();
        foreach (var t in busOrder.Tickets)
        {
            if (named is not null && !named.Contains(t.PassengerId)) continue;
            if (Ticket.OnOperation(t.Status, evt.Name, EmptyTags) is { } move && move.To != t.Status)
                changes.Add(new TicketChange(t.PassengerId, t.Status, move.To));
        }
        var tags = new HashSet<string>(busOrder.Tags, StringComparer.OrdinalIgnoreCase);
        var after = busOrder.Tickets.Select(t => changes.FirstOrDefault(c => c.PassengerId == t.PassengerId)?.To ?? t.Status).ToList();
        if (after.Count > 0 && after.All(s => s == TicketStatus.Refunded)) tags.Add(BusEvents.AllRefundedTag);
        var refunded = busOrder.RefundedAmount + (BusEvents.Refunds(evt.Name) ? evt.RefundAmount : 0);
        if (busOrder.OrderAmount > 0 && refunded >= busOrder.OrderAmount) tags.Add(BusEvents.FullyRefundedTag);
        var orderMove = Order.OnOperation(busOrder.Status, evt.Name, tags);
        if (orderMove is null)
            return new BusStep(null, $"{evt.Name} is not allowed for an order in status {busOrder.Status} ({OrderStatus.Label(busOrder.Status)})");
        return new BusStep(new BusTransition(evt.Name, busOrder.Status, orderMove.To, orderMove.Emit, changes), null);
    }

    /// <summary>Applies <paramref name="evt"/>; returns what changed, or the refusal with the order unchanged.</summary>
    public BusStep Apply(BusOrder busOrder, BusEvent evt)
    {
        var step = Plan(busOrder, evt);
        if (step.Transition is not { } t) return step;
        MoveTickets(busOrder, t, evt);
        busOrder.Status = t.OrderTo;
        return step;
    }

    /// <summary>
    /// The part of a planned transition below the order's own status: the tickets' moves and the money the event pays
    /// back. The order's status is the caller's to set (the engine's lifecycle records it with its timeline).
    /// </summary>
    public static void MoveTickets(BusOrder busOrder, BusTransition transition, BusEvent evt)
    {
        foreach (var change in transition.Tickets) busOrder.Ticket(change.PassengerId)!.Status = change.To;
        if (BusEvents.Refunds(evt.Name)) busOrder.RefundedAmount += evt.RefundAmount;
    }

    static readonly HashSet<string> EmptyTags = [];
}
