using System.Text.Json.Nodes;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>
/// What happens when an order enters a state (tickets issued, refund, …) and the getticketovertime notice (spec
/// §6.1): when ticketing will take longer than the order's getticketovertime minutes — the machine's delay out of
/// 4 is longer, or it has none yet (ZZTS) — a failure notice (code 0, orderstatus 4) goes out at that point, and the
/// success notice follows when issuance completes. The notice is a per-order timer on the virtual clock, re-armed
/// from the store after a restart.
/// </summary>
public sealed class Ticketing
{
    readonly BptServices s;

    Ticketing(BptServices services) => s = services;

    /// <summary>The module's ticketing, with its notice timer's handler registered on the engine.</summary>
    public static Ticketing Register(BptServices services)
    {
        var t = new Ticketing(services);
        services.Engine.Timers.Handle(OvertimeTimer, t.OvertimeAsync);
        return t;
    }

    public const string OvertimeNotified = "overtime-notified";

    public void OnEnter(TransitionContext ctx)
    {
        var order = (BptOrder)ctx.Entity;
        switch (ctx.To)
        {
            case OrderStatus.Ticketed:
                if (order.Tickets.Count == 0)
                    order.Tickets = order.Passengers.Select((p, i) => new BptTicket(p.Name, TicketNumbers.Issue(order.Air, order.Id, i))).ToList();
                order.Message = BptCallbacks.TicketedText;
                order.OvertimeDueMs = null;
                break;
            case OrderStatus.Refunded:
                order.Message = BptCallbacks.RefundedText;
                order.OvertimeDueMs = null;
                break;
            case OrderStatus.NotTicketed:
                order.Message = BptCallbacks.RefundPendingText;
                order.OvertimeDueMs = null;
                break;
            case OrderStatus.AwaitingTicket when ctx.From != OrderStatus.AwaitingTicket:
                ArmOvertime(ctx, order);
                break;
            default:
                order.Message = ctx.To == OrderStatus.AwaitingTicket ? order.Message : OrderStatus.Name(ctx.To);
                break;
        }
        if (ctx.Emit == BptCallbacks.TicketNoInfo && ctx.To is OrderStatus.Ticketed or OrderStatus.Refunded or OrderStatus.NotTicketed
            && TicketUrl(ctx.Tenant, order) is { } url && !order.NotifiedUrls.Contains(url))
            order.NotifiedUrls.Add(url);
    }

    public static string? TicketUrl(Tenant tenant, BptOrder order) => order.CallbackUrl ?? tenant.CallbackUrl(BptServices.Supplier);

    public const string OvertimeTimer = "bpt.getticketovertime";

    void ArmOvertime(TransitionContext ctx, BptOrder order)
    {
        var overtime = TimeSpan.FromMinutes(order.GetTicketOverTime);
        var timed = ctx.Scenario.Machines.GetValueOrDefault(BptServices.OrderKind)?.Timed(OrderStatus.AwaitingTicket, order.Tags);
        if (timed is not null && timed.After <= overtime) return;
        var due = ctx.VirtualNowMs + (long)overtime.TotalMilliseconds;
        order.OvertimeDueMs = due;
        var tenant = ctx.Tenant.Id;
        s.Engine.Timers.Schedule(ctx.Uow, new TimerRow(DurableTimers.Id(tenant, "bpt:getticketovertime:" + order.Id), tenant, OvertimeTimer,
            BptServices.Supplier, BptServices.OrderKind, order.Id, OrderStatus.AwaitingTicket, OrderStatus.AwaitingTicket, null, due));
    }

    /// <summary>The notice's timer came due (a durable timer: re-armed from the store after a restart).</summary>
    public ValueTask OvertimeAsync(TimerRow timer, UnitOfWork uow)
    {
        var tenantId = timer.Tenant;
        if (s.Engine.Tenants.Find(tenantId) is not { } tenant || s.Orders.Get(tenantId, timer.EntityId) is not { } order) return ValueTask.CompletedTask;
        var scenario = s.Engine.ScenarioFor(tenant);
        var machine = scenario.Machines.GetValueOrDefault(BptServices.OrderKind);
        lock (order)
        {
            if (order.Status != OrderStatus.AwaitingTicket || order.OvertimeDueMs is null) return ValueTask.CompletedTask;
            var waitingForNotice = machine?.Timed(OrderStatus.AwaitingTicket, order.Tags) is null;
            order.OvertimeDueMs = null;
            order.Tags.Add(OvertimeNotified);
            order.Message = BptCallbacks.OvertimeText;
            var config = BptTenantConfig.For(tenant, scenario);
            s.Engine.Timeline(uow, tenantId, BptServices.OrderKey(order.Id), "getticketovertime", new JsonObject { ["minutes"] = order.GetTicketOverTime });
            s.Engine.Callbacks.Enqueue(uow, BptCallbacks.Message(tenantId, config, order, BptCallbacks.TicketNoInfo, order.CallbackUrl,
                BptCallbacks.TicketXml(order, config.PlainPassengerNames, BptCallbacks.OvertimeText)));
            s.Orders.Save(uow, tenantId, order);
            // Slow ticketing (ZZTS) has no timed transition until the notice went out; now it has one.
            if (waitingForNotice)
                s.Engine.Lifecycle.ScheduleTimed(tenant, BptServices.Supplier, BptServices.OrderKind, order, scenario, uow, s.Engine.Clock.NowMs(tenantId));
        }
        return ValueTask.CompletedTask;
    }
}
