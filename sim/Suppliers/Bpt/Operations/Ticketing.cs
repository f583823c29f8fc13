using System.Text.Json.Nodes;
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
public sealed class Ticketing(BptServices s)
{
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
        s.Orders.Save(ctx.Uow, ctx.Tenant.Id, order);
    }

    public static string? TicketUrl(Tenant tenant, BptOrder order) => order.CallbackUrl ?? tenant.CallbackUrl(BptServices.Supplier);

    void ArmOvertime(TransitionContext ctx, BptOrder order)
    {
        var overtime = TimeSpan.FromMinutes(order.GetTicketOverTime);
        var timed = ctx.Scenario.Machines.GetValueOrDefault(BptServices.OrderKind)?.Timed(OrderStatus.AwaitingTicket, order.Tags);
        if (timed is not null && timed.After <= overtime) return;
        var due = ctx.VirtualNowMs + (long)overtime.TotalMilliseconds;
        order.OvertimeDueMs = due;
        var tenant = ctx.Tenant.Id;
        ctx.Uow.AfterCommit(() => Arm(tenant, order.Id, due));
    }

    public void Arm(string tenant, string orderId, long dueMs) => s.Scheduler.At(tenant, dueMs, () => OvertimeAsync(tenant, orderId));

    async Task OvertimeAsync(string tenantId, string orderId)
    {
        if (s.Tenants.Find(tenantId) is not { } tenant || s.Orders.Get(tenantId, orderId) is not { } order) return;
        var uow = new UnitOfWork(s.Store);
        var scenario = s.ScenarioOf(tenant);
        var machine = scenario.Machines.GetValueOrDefault(BptServices.OrderKind);
        lock (order)
        {
            if (order.Status != OrderStatus.AwaitingTicket || order.OvertimeDueMs is null) return;
            var waitingForNotice = machine?.Timed(OrderStatus.AwaitingTicket, order.Tags) is null;
            order.OvertimeDueMs = null;
            order.Tags.Add(OvertimeNotified);
            order.Message = BptCallbacks.OvertimeText;
            var nowV = s.Clock.NowMs(tenantId);
            var config = BptTenantConfig.For(tenant, scenario);
            uow.Timeline(tenantId, BptServices.OrderKey(order.Id), s.Clock.RealNow.ToUnixTimeMilliseconds(), nowV, "getticketovertime",
                new JsonObject { ["minutes"] = order.GetTicketOverTime });
            s.Dispatcher.Enqueue(uow, BptCallbacks.Message(tenantId, config, order, BptCallbacks.TicketNoInfo, TicketUrl(tenant, order),
                BptCallbacks.TicketXml(order, config.PlainPassengerNames, BptCallbacks.OvertimeText)));
            s.Orders.Save(uow, tenantId, order);
            // Slow ticketing (ZZTS) has no timed transition until the notice went out; now it has one.
            if (waitingForNotice) s.Lifecycle.ScheduleTimed(tenant, BptServices.Supplier, BptServices.OrderKind, order, scenario, uow, nowV);
        }
        await uow.CommitAsync();
    }

    /// <summary>Re-arms pending notices after a restart (the machine's own timers are re-armed by the engine).</summary>
    public void Recover()
    {
        using var c = s.Store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
                          SELECT tenant, id, json_extract(json, '$.overtimeDueMs') FROM entities
                          WHERE supplier = 'bpt' AND kind = 'order' AND status = '4' AND json_extract(json, '$.overtimeDueMs') IS NOT NULL
                          """;
        using var r = cmd.ExecuteReader();
        while (r.Read()) Arm(r.GetString(0), r.GetString(1), r.GetInt64(2));
    }
}
