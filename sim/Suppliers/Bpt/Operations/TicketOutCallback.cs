using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>
/// ticketoutcallback (spec §5.5): asks for the tickets of a paid order and names where the ticketnoinfo notice
/// goes. Issued already: the notice goes at once — unless that URL already received it. Failed already: the
/// failure notice goes at once.
/// </summary>
static class TicketOutCallback
{
    public static BptReply Handle(BptCall call)
    {
        call.Require("pnr", "pnrsrcid", "b2buser", "b2bpwd", "callbackurl");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        call.AutoTicketAllowed(pnr.Air);
        var order = pnr.Order;
        if (order is null || OrderStatus.IsClosed(order.Status)) throw new BptError("订单不存在");
        lock (order)
        {
            call.Touch(order);
            string message;
            switch (order.Status)
            {
                case OrderStatus.AwaitingPayment:
                    throw new BptError("订单未支付，不能出票");
                case OrderStatus.Negotiating:
                    throw new BptError($"当前订单状态为：{OrderStatus.Name(order.Status)} 不允许出票");
                case OrderStatus.Ticketed:
                    message = "出票完成";
                    break;
                case OrderStatus.Refunded or OrderStatus.NotTicketed:
                    message = order.Message.Length > 0 ? order.Message : BptCallbacks.RefundedText;
                    break;
                default:
                    message = "出票处理中";
                    break;
            }
            var (before, overtime) = (order.CallbackUrl, order.GetTicketOverTime);
            call.TakeCallbackParameters(order);
            var url = order.CallbackUrl!;
            var changed = url != before || order.GetTicketOverTime != overtime;
            if (order.Status is OrderStatus.Ticketed or OrderStatus.Refunded or OrderStatus.NotTicketed && !order.NotifiedUrls.Contains(url))
            {
                order.NotifiedUrls.Add(url);
                changed = true;
                call.S.Engine.Callbacks.Enqueue(call.Ctx.Uow, BptCallbacks.Message(call.Tenant.Id, call.Config, order, BptCallbacks.TicketNoInfo, url,
                    BptCallbacks.TicketXml(order, call.Config.PlainPassengerNames)));
            }
            // BPB repeats the callbackurl it gave at input: nothing to write then.
            if (changed) call.Save(order);
            if (order.Status is OrderStatus.Refunded or OrderStatus.NotTicketed) throw new BptError(message);
            return new BptReply("pnrinfo").Add("code", "1").Add("pnr", pnr.Display).Add("air", order.Air).Add("pnrsrcid", order.PnrSrcId).Add("message", message);
        }
    }
}
