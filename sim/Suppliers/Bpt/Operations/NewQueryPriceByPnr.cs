using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>
/// newquerypricebypnr (spec §5.2): the policies on offer for a PNR, priced from its fixture. An input PNR can no
/// longer be priced; a voided or airline-cancelled one does not exist any more.
/// </summary>
static class NewQueryPriceByPnr
{
    public static BptReply Handle(BptCall call)
    {
        call.Require("pnr", "b2buser", "b2bpwd");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        var offers = Offers(call, pnr);
        var reply = new BptReply("pnrinfo").Add("code", "1").Add("pnr", pnr.Display).Add("message", "").Add("air", pnr.Air);
        var list = reply.List("policies", "policy");
        var id = 1;
        foreach (var (policy, payPrice) in offers)
            list.Item()
                .Add("pgid", (id++).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("pgcode", policy.PgCode)
                .Add("ticketprice", Amount.Money(pnr.Fixture.TicketPrice))
                .Add("policynum", Amount.Two(policy.PolicyNum))
                .Add("totaltax", Amount.Money(pnr.Fixture.TotalTax))
                .Add("payprice", Amount.Money(payPrice))
                .Add("fc", "-");
        return reply;
    }

    /// <summary>
    /// The policies a query returns, best first. <c>ticketprice</c> keeps only a fixture whose face price matches —
    /// the total, or the price per passenger, for every airline (spec §5.2). <c>qrytype=one</c> returns the highest
    /// rebate when a face price was given, else the lowest pay price.
    /// </summary>
    public static List<(FixturePolicy Policy, decimal PayPrice)> Offers(BptCall call, PnrRef pnr)
    {
        if (pnr.Order is { } order && order.Status != OrderStatus.Cancelled)
            throw new BptError(order.Status == OrderStatus.Void ? "PNR不存在或已取消" : "查价格失败，该PNR已经入库！");
        var f = pnr.Fixture;
        if (f.Cancelled) throw new BptError("PNR不存在或已取消");
        var priced = f.Policies.Select(p => (Policy: p, PayPrice: f.PayPrice(p))).OrderBy(x => x.PayPrice).ThenByDescending(x => x.Policy.PolicyNum).ToList();
        var wanted = call["ticketprice"].Trim();
        if (wanted.Length > 0)
        {
            if (!Amount.TryParse(wanted, out var face)) throw new BptError("参数错误：ticketprice格式错误");
            var perPassenger = f.Passengers.Count > 0 ? Math.Round(f.TicketPrice / f.Passengers.Count, 2) : f.TicketPrice;
            if (face != f.TicketPrice && face != perPassenger) priced.Clear();
        }
        if (priced.Count == 0) throw new BptError("未查询到可用政策");
        if (call["qrytype"].Equals("one", StringComparison.OrdinalIgnoreCase))
            return [wanted.Length > 0 ? priced.MaxBy(x => x.Policy.PolicyNum) : priced[0]];
        return priced;
    }
}
