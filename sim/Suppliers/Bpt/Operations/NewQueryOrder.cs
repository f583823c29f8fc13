using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>newqueryorder (spec §5.7): the order status code (§7.1), the paid amount and the tickets once issued.</summary>
static class NewQueryOrder
{
    public static BptReply Handle(BptCall call)
    {
        call.Require("pnr", "b2buser", "b2bpwd");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        var only = call.TicketFilter();
        if (pnr.Order is not { } order) throw new BptError("订单不存在");
        lock (order)
        {
            call.Touch(order);
            var reply = new BptReply("pnrinfo").Add("code", "1").Add("pnr", pnr.Display)
                .Add("pnrsrcid", call.Q.Has("pnrsrcid") ? call["pnrsrcid"] : order.PnrSrcId).Add("message", "");
            var result = reply.Child("result").Add("status", order.Status).Add("payprice", Amount.Two(order.PayPrice));
            BptReplies.Tickets(result, order, call.Config.PlainPassengerNames, only);
            return reply;
        }
    }
}
