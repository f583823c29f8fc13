using System.Text;
using Sandbox.Engine.Callbacks;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// The two notices BPT sends (spec §6): <c>ticketnoinfo</c> (ticketing result) to the order's callbackurl and
/// <c>paymentinfo</c> (payment result) to its callbackurlforpay, as a form POST whose single field carries the
/// percent-encoded ASCII XML (or the tenant's double-encoding / GET variants), see <see cref="BptCallbackEncoding"/>.
/// </summary>
public static class BptCallbacks
{
    public const string TicketNoInfo = "ticketnoinfo";
    public const string PaymentInfo = "paymentinfo";

    public const string TicketedText = "出票成功";
    public const string RefundedText = "出票失败，已退款";
    public const string RefundPendingText = "出票失败，退款处理中";
    public const string OvertimeText = "获取票号超时，请稍后通过ticketout查询";

    /// <summary>
    /// The ticketing notice for the order as it stands: code 1 with tickets once issued; otherwise code 0, the status
    /// and the reason, with an empty &lt;tickets&gt; (BPB ignores a notice without the tickets table, spec §6.1).
    /// </summary>
    public static string TicketXml(BptOrder order, bool plainNames, string? message = null)
    {
        var issued = order.Status == OrderStatus.Ticketed;
        var r = new BptReply("orderinfo")
            .Add("code", issued ? "1" : "0")
            .Add("pnr", Display(order))
            .Add("pnrsrcid", order.PnrSrcId)
            .Add("orderno", order.OrderNo)
            .Add("tradeno", order.TradeNo)
            .Add("orderstatus", order.Status)
            .Add("paystatus", order.PayStatus.Length == 0 ? PayStatus.Failed : order.PayStatus)
            .Add("payprice", Amount.Money(order.PayPrice))
            .Add("message", message ?? (issued ? TicketedText : order.Message.Length > 0 ? order.Message : OrderStatus.Name(order.Status)));
        var tickets = r.List("tickets", "ticket");
        if (issued)
            foreach (var t in order.Tickets)
                tickets.Item().Add("passenger", plainNames ? t.Passenger : BptCallbackEncoding.PercentEncode(t.Passenger)).Add("tktno", t.TktNo);
        return r.ToXml(declaration: false);
    }

    public static string PaymentXml(BptOrder order, string message) =>
        new BptReply("orderinfo")
            .Add("code", order.Paid ? "1" : "0")
            .Add("pnr", Display(order))
            .Add("pnrsrcid", order.PnrSrcId)
            .Add("orderstatus", order.Status)
            .Add("paystatus", order.PayStatus)
            .Add("payprice", Amount.Money(order.PayPrice))
            .Add("tradeno", order.TradeNo)
            .Add("outtradeno", order.OutTradeNo)
            .Add("message", message)
            .ToXml(declaration: false);

    static string Display(BptOrder o) => o.SmallPnr is null ? o.BigPnr : o.BigPnr + "|" + o.SmallPnr;

    /// <summary>
    /// Frames a notice for the dispatcher: to <paramref name="requestUrl"/> when the integrator named one, else to the
    /// tenant's callbacks.bpt as configured at each attempt.
    /// </summary>
    public static CallbackMessage Message(string tenant, BptTenantConfig config, BptOrder order, string name, string? requestUrl, string xml)
    {
        var field = name + "=" + BptCallbackEncoding.FieldValue(xml, config.DoubleEncodedCallbacks);
        var key = BptServices.OrderKey(order.Id);
        var byGet = config.CallbacksByGet;
        var suffix = byGet ? "?" + field : "";
        var target = requestUrl is null ? CallbackTarget.Tenant(suffix) : CallbackTarget.Request(requestUrl, suffix);
        return byGet
            ? new CallbackMessage(tenant, BptServices.Supplier, key, name, target, "GET", "text/plain", [])
            : new CallbackMessage(tenant, BptServices.Supplier, key, name, target, "POST", "application/x-www-form-urlencoded", Encoding.ASCII.GetBytes(field));
    }
}
