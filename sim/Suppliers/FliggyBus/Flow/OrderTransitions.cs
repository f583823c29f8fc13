using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Machines;
using Sandbox.Suppliers.FliggyBus.Flow.Steps;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// What entering an order status sets off (spec §6.3): at 1 the payment deadline, at 2 the ticketing timeout, at 4 the
/// user's money back; the simulated customer's next step on a scheduled booking; and the Qimen call a transition
/// emits (order.confirm after payment, order.close with the close type of the cause), sent right after the commit.
/// </summary>
public sealed class OrderTransitions(FliggyBusServices s, ILogger<OrderTransitions> log)
{
    public void OnEnter(TransitionContext ctx)
    {
        var order = (BusOrder)ctx.Entity;
        if (s.Resolve(ctx.Tenant).Value is not { } bus) return;
        var tenant = ctx.Tenant.Id;
        var scheduled = order.Tags.Contains(Customers.ScheduledTag) ? bus.Settings.Bookings : null;
        switch (ctx.To)
        {
            case OrderStatus.AwaitingPayment when ctx.From == OrderStatus.Creating:
                FliggyTimers.ArmPaymentDeadline(s, ctx.Uow, tenant, order);
                if (scheduled?.PayAfter is { } payAfter)
                    FliggyTimers.ArmCustomerPayment(s, ctx.Uow, tenant, order, Math.Min(ctx.VirtualNowMs + (long)payAfter.TotalMilliseconds, order.PaymentDeadlineMs - 1));
                break;
            case OrderStatus.AwaitingTickets when ctx.From != OrderStatus.AwaitingTickets:
                FliggyTimers.ArmTicketingTimeout(s, bus, ctx.Uow, order, ctx.VirtualNowMs);
                break;
            case OrderStatus.Issued when ctx.From is OrderStatus.AwaitingPayment or OrderStatus.AwaitingTickets:
                if (scheduled?.RefundAfter is { } refundAfter)
                    FliggyTimers.ArmCustomerRefund(s, ctx.Uow, tenant, order, ctx.VirtualNowMs + (long)refundAfter.TotalMilliseconds);
                break;
            case OrderStatus.Closed when order.Paid && order.RefundedAmount < order.OrderAmount:
                var owed = order.OrderAmount - order.RefundedAmount;
                order.RefundedAmount = order.OrderAmount;
                s.Engine.Timeline(ctx.Uow, tenant, FliggyBusServices.OrderKey(order.Id), "user-refunded", new JsonObject { ["amount"] = owed });
                break;
        }
    }

    /// <summary>Schedules the call a transition emits; the scenario's emits name Qimen methods (checked when it loads).</summary>
    public void Emit(TransitionContext ctx, string method)
    {
        var order = (BusOrder)ctx.Entity;
        var tenant = ctx.Tenant.Id;
        switch (method)
        {
            case QimenMethods.OrderClose when order.AgentOrderId is null:
                return;
            case QimenMethods.OrderClose:
                CallJobs.Schedule(s, ctx.Uow, new CallJob(tenant, method, order.Id, 1, null,
                    CloseTypes.For(ctx.From, ctx.Cause).ToString(CultureInfo.InvariantCulture)), ctx.VirtualNowMs);
                return;
            case QimenMethods.OrderConfirm or QimenMethods.OrderQuery or QimenMethods.ReturnQuery or QimenMethods.ReturnConfirm:
                CallJobs.Schedule(s, ctx.Uow, new CallJob(tenant, method, order.Id, 1), ctx.VirtualNowMs);
                return;
            default:
                log.LogWarning("fliggybus {Tenant}: a transition of order {Order} emits {Method}, which is not a call about one order; nothing sent",
                    tenant, order.Id, method);
                return;
        }
    }
}
