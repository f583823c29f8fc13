using System.Globalization;
using Sandbox.Engine.Machines;
using Sandbox.Suppliers.FliggyFlight.Messages;
using Sandbox.Suppliers.FliggyFlight.Model;

namespace Sandbox.Suppliers.FliggyFlight;

/// <summary>
/// What entering a state does, whatever moved the entity there (an API call, a timer, an admin): tickets, seats,
/// passengers' ticket statuses, audit results — and which TMC message the transition emits (spec §2.15–2.17, §3.1).
/// </summary>
static class FlightTransitions
{
    public static void OnEnter(FliggyFlightServices s, TransitionContext ctx)
    {
        switch (ctx.Entity)
        {
            case FlightOrder order:
                EnterOrder(s, ctx, order);
                break;
            case RefundOrder refund:
                EnterRefund(s, ctx, refund);
                break;
            case ChangeOrder change:
                EnterChange(s, ctx, change);
                break;
        }
    }

    static void EnterOrder(FliggyFlightServices s, TransitionContext ctx, FlightOrder order)
    {
        switch (ctx.To)
        {
            case OrderStatus.PaidTicketing:
                foreach (var p in order.Passengers) p.TicketStatus = TicketStatus.Ticketing;
                break;
            case OrderStatus.Ticketed:
                foreach (var p in order.Passengers.Where(p => p.TicketNo is null))
                {
                    p.TicketNo = s.NextTicketNo(order.Segments[0].MarketingAirline);
                    p.TicketStatus = TicketStatus.Ticketed;
                }
                break;
            case OrderStatus.TicketFailed:
                foreach (var p in order.Passengers) p.TicketStatus = TicketStatus.Failed;
                ReleaseSeats(s, ctx, order);
                break;
            case OrderStatus.Closed:
                order.CloseReason ??= ctx.Cause;
                ReleaseSeats(s, ctx, order);
                break;
        }
    }

    static void ReleaseSeats(FliggyFlightServices s, TransitionContext ctx, FlightOrder order)
    {
        if (order.SeatsReleased) return;
        order.SeatsReleased = true;
        foreach (var seg in order.Segments) s.Inventory.Release(ctx.Tenant.Id, seg.InventoryKey, order.SeatCount);
    }

    static void EnterRefund(FliggyFlightServices s, TransitionContext ctx, RefundOrder refund)
    {
        if (s.Orders.Get(ctx.Tenant.Id, refund.OrderId.ToString(CultureInfo.InvariantCulture)) is not { } order) return;
        lock (order)
        {
            var names = refund.Items.Select(i => i.CredentialNo).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var passengers = order.Passengers.Where(p => names.Contains(p.CredentialNo)).ToList();
            switch (ctx.To)
            {
                case RefundStatus.Applied or RefundStatus.WaitAttachment when ctx.From == RefundStatus.New:
                    foreach (var p in passengers) p.TicketStatus = TicketStatus.Refunding;
                    break;
                case RefundStatus.Refunded:
                    refund.AuditTimeMs ??= ctx.VirtualNowMs;
                    refund.RefundTimeMs = ctx.VirtualNowMs;
                    refund.AllRefundFee ??= refund.Items.Sum(i => i.RefundFee);
                    foreach (var p in passengers) p.TicketStatus = TicketStatus.Refunded;
                    break;
                case RefundStatus.Closed:
                    refund.AuditTimeMs ??= ctx.VirtualNowMs;
                    refund.RefuseReason ??= ctx.From == RefundStatus.WaitAttachment ? "未在时限内补充附件，退票单关闭" : "航司审核不通过";
                    foreach (var p in passengers.Where(p => p.TicketStatus == TicketStatus.Refunding)) p.TicketStatus = TicketStatus.Ticketed;
                    break;
            }
            s.Orders.Save(ctx.Uow, ctx.Tenant.Id, order);
        }
    }

    static void EnterChange(FliggyFlightServices s, TransitionContext ctx, ChangeOrder change)
    {
        switch (ctx.To)
        {
            case ChangeStatus.Ticketed:
                foreach (var p in change.Passengers.Where(p => p.TicketNo is null)) p.TicketNo = s.NextTicketNo(change.Segments[0].MarketingAirline);
                if (s.Orders.Get(ctx.Tenant.Id, change.OrderId.ToString(CultureInfo.InvariantCulture)) is { } order)
                    lock (order)
                    {
                        var changed = change.Passengers.Select(p => p.CredentialNo).ToHashSet(StringComparer.OrdinalIgnoreCase);
                        foreach (var p in order.Passengers.Where(p => changed.Contains(p.CredentialNo))) p.TicketStatus = TicketStatus.Changed;
                        s.Orders.Save(ctx.Uow, ctx.Tenant.Id, order);
                    }
                break;
            case ChangeStatus.Closed when !change.SeatsReleased:
                change.SeatsReleased = true;
                var seats = change.Passengers.Count(p => p.Type != PassengerType.Infant);
                foreach (var seg in change.Segments) s.Inventory.Release(ctx.Tenant.Id, seg.InventoryKey, seats);
                break;
        }
    }

    /// <summary>The transition's message: TradeNotify by the order's new state, RefundNotify by the refund's, ChangeStatusNotify with the new status.</summary>
    public static void Publish(FliggyFlightServices s, TransitionContext ctx)
    {
        var tenant = ctx.Tenant.Id;
        switch (ctx.Entity)
        {
            case FlightOrder order when TradeType(ctx.To) is { } type:
                s.Messages.Trade(ctx.Uow, tenant, order, type);
                break;
            case RefundOrder refund when RefundMessage(ctx) is { } messageType
                                         && s.Orders.Get(tenant, refund.OrderId.ToString(CultureInfo.InvariantCulture)) is { } order:
                s.Messages.Refund(ctx.Uow, tenant, order, refund, messageType);
                break;
            case ChangeOrder change when s.Orders.Get(tenant, change.OrderId.ToString(CultureInfo.InvariantCulture)) is { } order:
                s.Messages.ChangeStatus(ctx.Uow, tenant, order, change, ChangeStatus.Code(ctx.To));
                break;
        }
    }

    static int? TradeType(string state) => state switch
    {
        OrderStatus.PaidTicketing => 1,
        OrderStatus.Closed or OrderStatus.TicketFailed => 2,
        OrderStatus.Ticketed => 3,
        _ => null,
    };

    static string? RefundMessage(TransitionContext ctx) => ctx.To switch
    {
        RefundStatus.Refunded => "REFUND_SUCCESS_MSG",
        RefundStatus.Closed => "REFUND_CLOSE_MSG",
        _ when ctx.From == RefundStatus.New => "REFUND_CREATE_MSG",
        _ => null,
    };
}
