using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>
/// Commands of older BPT servers that TRP's Java client calls (spec §5.9): querypricebypnrex, queryorder and
/// order, shaped the way TRP parses them. Passenger names are plain text, since TRP does not URL-decode them.
/// </summary>
static class Legacy
{
    /// <summary>The best single policy; a failure is a bare &lt;errorInfo&gt; root (TRP checks the root's name).</summary>
    public static BptReply QueryPriceByPnrEx(BptCall call)
    {
        call.Require("pnr", "b2buser", "b2bpwd");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        var (policy, payPrice) = NewQueryPriceByPnr.Offers(call, pnr)[0];
        return new BptReply("pnrinfo").Add("code", "1").Add("pnr", pnr.Display).Add("air", pnr.Air)
            .Add("ticketprice", Amount.Money(pnr.Fixture.TicketPrice)).Add("policynum", Amount.Two(policy.PolicyNum))
            .Add("totaltax", Amount.Money(pnr.Fixture.TotalTax)).Add("payprice", Amount.Money(payPrice));
    }

    /// <summary>Order status (§7.1) and pay status (0 also meaning "not paid", as TRP reads it).</summary>
    public static BptReply QueryOrder(BptCall call)
    {
        call.Require("pnr");
        var pnr = call.Pnr();
        if (call.Q.Has("b2buser") || call.Q.Has("b2bpwd")) call.Login(pnr.Air);
        if (pnr.Order is not { } order) throw new BptError("订单不存在");
        lock (order)
        {
            call.Touch(order);
            var reply = new BptReply("pnrinfo").Add("code", "1").Add("pnr", pnr.Display).Add("orderno", order.OrderNo)
                .Add("orderstatus", order.Status).Add("paystatus", order.PayStatus.Length == 0 ? PayStatus.Failed : order.PayStatus)
                .Add("pnrsrcid", order.PnrSrcId);
            BptReplies.Tickets(reply, order, plainNames: true, call.TicketFilter());
            return reply;
        }
    }

    public static BptReply Order(BptCall call) => OrderEx.Run(call, legacy: true);
}
