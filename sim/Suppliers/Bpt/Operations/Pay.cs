using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>pay (spec §5.4): pays an input order; idempotent once paid, so BPB can go on to ticketoutcallback.</summary>
static class Pay
{
    public static BptReply Handle(BptCall call)
    {
        call.Require("pnr", "pnrsrcid", "b2buser", "b2bpwd");
        if (call["bigpnr"] != "0") call.Require("pnrc");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        call.AutoTicketAllowed(pnr.Air);
        var order = pnr.Order;
        if (order is null || OrderStatus.IsClosed(order.Status)) throw new BptError("订单不存在，请先入库");
        lock (order)
        {
            call.Touch(order);
            if (order.Status == OrderStatus.Ticketed) throw new BptError(Payment.NotPayable(order));
            call.TakeCallbackParameters(order);
            call.Save(order);
            var result = Payment.Attempt(call, order, "pay");
            var paid = result.Outcome is PaymentOutcome.Paid or PaymentOutcome.AlreadyPaid;
            var reply = new BptReply("pnrinfo")
                .Add("code", paid ? "1" : "0")
                .Add("pnr", pnr.Display)
                .Add("pnrsrcid", order.PnrSrcId)
                .Add("message", result.Message);
            BptReplies.PayElement(reply, order, withNumbers: paid);
            return reply;
        }
    }
}
