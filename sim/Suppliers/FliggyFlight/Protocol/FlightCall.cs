using System.Text.Json.Nodes;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Protocol;
using Sandbox.Suppliers.Top.Sessions;

namespace Sandbox.Suppliers.FliggyFlight.Protocol;

/// <summary>One alitrip.flight call being handled: the TOP call, its session user, the tenant's scenario, catalogue and settings.</summary>
public sealed class FlightCall(TopCall top, FliggyFlightServices services)
{
    public TopCall Top { get; } = top;
    public FliggyFlightServices Services { get; } = services;
    public OperationContext Ctx => Top.Ctx;
    public Tenant Tenant => Ctx.Tenant;
    public TopSessionInfo User => Top.User;
    public DateTimeOffset Now => Ctx.Now;
    public long NowMs => Ctx.Now.ToUnixTimeMilliseconds();
    public Scenario Scenario => Ctx.Scenario;
    public UnitOfWork Uow => Ctx.Uow;
    public FlightSettings Settings { get; } = FlightSettings.For(top.Ctx.Scenario, top.Ctx.Tenant.SettingsFor(FliggyFlightServices.Supplier));
    public FlightCatalog Catalog => FlightCatalog.For(Scenario);

    /// <summary>A structured parameter the gateway checked is a JSON object.</summary>
    public JsonFields Param(string name) => new(Top.Json(name) ?? throw TopError.MissingArgument(name), name);

    /// <summary>A success reply: <c>is_success</c> first, the API's fields after.</summary>
    public static TopObject Ok() => new TopObject().Add("is_success", true);

    /// <summary>The caller's order: another session user's order is as unknown as a missing one (spec §2.8).</summary>
    public FlightOrder Order(long orderId)
    {
        var order = Services.Orders.Get(Tenant.Id, orderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (order is null || order.UserId != User.UserId) throw FlightError.OrderNotFound();
        Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.OrderKind, order.Id);
        return order;
    }

    public RefundOrder Refund(long refundOrderId)
    {
        var refund = Services.Refunds.Get(Tenant.Id, refundOrderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (refund is null || refund.UserId != User.UserId) throw FlightError.RefundOrderNotFound();
        Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.RefundKind, refund.Id);
        return refund;
    }

    public ChangeOrder Change(long changeOrderId)
    {
        var change = Services.Changes.Get(Tenant.Id, changeOrderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (change is null || change.UserId != User.UserId) throw FlightError.ChangeOrderNotFound();
        Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.ChangeKind, change.Id);
        return change;
    }

    /// <summary>Fires the scenario machine's transition for <paramref name="operation"/> out of the entity's state; false when it has none.</summary>
    public bool Transition(Entity entity, string kind, string operation)
    {
        if (!Scenario.Machines.TryGetValue(kind, out var machine)) return false;
        if (machine.OnOperation(entity.Status, operation, entity.Tags) is not { } t) return false;
        Services.Engine.Lifecycle.Apply(Tenant, FliggyFlightServices.Supplier, kind, entity, t.To, t.Emit, operation, Uow);
        return true;
    }

    public bool CanTransition(Entity entity, string kind, string operation) =>
        Scenario.Machines.TryGetValue(kind, out var machine) && machine.OnOperation(entity.Status, operation, entity.Tags) is not null;

    /// <summary>Starts the machine's timer out of a new entity's initial state.</summary>
    public void ScheduleTimed(Entity entity, string kind) =>
        Services.Engine.Lifecycle.ScheduleTimed(Tenant, FliggyFlightServices.Supplier, kind, entity, Scenario, Uow, NowMs);

    /// <summary>The machine's initial state of a kind (the state a new entity starts in).</summary>
    public string Initial(string kind, string fallback) => Scenario.Machines.TryGetValue(kind, out var m) ? m.Initial : fallback;

    /// <summary>When the machine's timer out of <paramref name="state"/> fires for an entity with these tags (a pay deadline), or null.</summary>
    public long? TimedFrom(string kind, string state, ISet<string> tags, long fromMs) =>
        Scenario.Machines.TryGetValue(kind, out var m) && m.Timed(state, tags) is { After: { } after } ? fromMs + (long)after.TotalMilliseconds : null;

    public void Timeline(string kind, string id, string what, JsonObject detail) =>
        Services.Engine.Timeline(Uow, Tenant.Id, FliggyFlightServices.Key(kind, id), what, detail);

    public bool Tagged(string tag) => Ctx.Has(tag);

    /// <summary>Seats still for sale in a booking class for this tenant (all of them with <c>inventory: unlimited</c>).</summary>
    public int SeatsLeft(Flight flight, Cabin cabin) =>
        Settings.TrackInventory ? Services.Inventory.Left(Tenant.Id, flight, cabin) : cabin.Seats;

    public void HoldSeats(string inventoryKey, int seats)
    {
        if (Settings.TrackInventory) Services.Inventory.Hold(Tenant.Id, inventoryKey, seats);
    }
}
