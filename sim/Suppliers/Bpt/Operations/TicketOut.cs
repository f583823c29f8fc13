using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>ticketout (spec §5.6): the ticket numbers of an issued order, synchronously.</summary>
static class TicketOut
{
    public static BptReply Handle(BptCall call)
    {
        call.Require("pnr", "pnrsrcid", "b2buser", "b2bpwd");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        call.AutoTicketAllowed(pnr.Air);
        var only = call.TicketFilter();
        var order = pnr.Order;
        if (order is null || OrderStatus.IsClosed(order.Status)) throw new BptError("订单不存在");
        lock (order)
        {
            call.Touch(order);
            switch (order.Status)
            {
                case OrderStatus.Ticketed:
                    var reply = new BptReply("pnrinfo").Add("code", "1").Add("pnr", pnr.Display).Add("air", order.Air)
                        .Add("pnrsrcid", order.PnrSrcId).Add("message", "出票完成");
                    BptReplies.Tickets(reply, order, call.Config.PlainPassengerNames, only);
                    return reply;
                case OrderStatus.AwaitingPayment:
                    throw new BptError("订单未支付，不能出票");
                case OrderStatus.Refunded or OrderStatus.NotTicketed:
                    throw new BptError(order.Message.Length > 0 ? order.Message : BptCallbacks.RefundedText);
                case OrderStatus.Negotiating:
                    throw new BptError($"当前订单状态为：{OrderStatus.Name(order.Status)} 不允许出票");
                default:
                    throw new BptError("出票处理中，请稍后再查");
            }
        }
    }
}
