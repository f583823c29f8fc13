using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyBus.Model;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// Offers an event to an order (spec §6.3): the order and ticket machines of the tenant's scenario decide; what they
/// allow moves the tickets and the money, and the order's move goes through the engine's lifecycle (saved, on the
/// timeline, its <c>emit</c> — the Qimen call the transition makes — scheduled). The caller holds the order's lock.
/// </summary>
public static class OrderEvents
{
    public static BusStep Offer(FliggyBusServices s, BusTenant bus, BusOrder order, BusEvent evt, UnitOfWork uow, string? because = null)
    {
        var step = bus.Machines.Plan(order, evt);
        if (step.Transition is not { } t) return step;
        BusMachines.MoveTickets(order, t, evt);
        if (t.Tickets.Count > 0 || evt.RefundAmount > 0)
            s.Engine.Timeline(uow, bus.Id, FliggyBusServices.OrderKey(order.Id), "tickets", new JsonObject
            {
                ["event"] = evt.Name,
                ["moves"] = new JsonArray(t.Tickets.Select(c => (JsonNode)$"{c.PassengerId}: {c.From} → {c.To}").ToArray()),
                ["refunded"] = BusEvents.Refunds(evt.Name) ? evt.RefundAmount : null,
                ["because"] = because,
            });
        s.Engine.Lifecycle.Apply(bus.Tenant, FliggyBusServices.Supplier, FliggyBusServices.OrderKind, order, t.OrderTo, t.Emit, evt.Name, uow);
        return step;
    }

    /// <summary>Saves an order changed outside a transition (ticket details, a pending call) with a timeline note.</summary>
    public static void Note(FliggyBusServices s, string tenant, BusOrder order, UnitOfWork uow, string kind, JsonObject detail)
    {
        order.UpdatedMs = s.Engine.Clock.NowMs(tenant);
        s.Orders.Save(uow, tenant, order);
        s.Engine.Timeline(uow, tenant, FliggyBusServices.OrderKey(order.Id), kind, detail);
    }
}
