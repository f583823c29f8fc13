using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// The failure replies, each in the shape its command's samples use (spec §4–§5): element names, order and even
/// casing (orderex's errorinfo) differ per command, and clients parse them as they are.
/// </summary>
public static class BptReplies
{
    public const string LoginFailed = "获取登录信息失败，请稍后再试";
    public const string SignatureFailed = "签名校验失败";

    public static bool IsAutopay(string command) => command is "orderex" or "order";

    /// <summary>
    /// Generic failures (missing parameter, signature, unknown command): spec §4's
    /// <c>&lt;pnrinfo&gt;&lt;code&gt;0&lt;/code&gt;&lt;pnr/&gt;&lt;pnrsrcid/&gt;&lt;message/&gt;</c>, orderex's autopayinfo and TRP's legacy forms:
    /// querypricebypnrex and queryorder fail with a bare &lt;errorInfo&gt; root, because TRP's AlidzBizImp tests the root's
    /// name and otherwise walks &lt;tickets&gt; (a &lt;pnrinfo&gt; failure without it crashed queryOrder).
    /// </summary>
    public static BptReply Generic(string command, BptQuery q, string message) => command switch
    {
        "orderex" => new BptReply("autopayinfo").Add("code", "0").Add("pnr", q["pnr"]).Add("errorinfo", message),
        "order" => LegacyOrderFailure(q["pnr"], message),
        "querypricebypnrex" or "queryorder" => BptReply.TextRoot("errorInfo", message),
        "checkclt" => new BptReply("pnrinfo").Add("Code", "0").AliasInJson("code").Add("message", message),
        _ => new BptReply("pnrinfo").Add("code", "0").Add("pnr", q["pnr"]).Add("pnrsrcid", q["pnrsrcid"]).Add("message", message),
    };

    /// <summary>A business failure of <paramref name="command"/>, in the order of that command's failure sample.</summary>
    public static BptReply Failure(string command, BptQuery q, PnrRef? pnr, string message)
    {
        var display = pnr?.Display ?? q["pnr"];
        var air = pnr?.Air ?? q["air"].ToUpperInvariant();
        var srcId = q.Has("pnrsrcid") ? q["pnrsrcid"] : pnr?.Order?.PnrSrcId ?? "";
        switch (command)
        {
            case "newquerypricebypnr":
            case "ticketoutcallback":
            case "ticketout":
                return new BptReply("pnrinfo").Add("code", "0").Add("pnr", display).Add("air", air).Add("pnrsrcid", srcId).Add("message", message);
            case "input":
                return new BptReply("pnrinfo").Add("code", "0").Add("pnr", display).Add("message", message).Add("pnrsrcid", srcId);
            case "pay":
                var r = new BptReply("pnrinfo").Add("code", "0").Add("pnr", display).Add("pnrsrcid", srcId).Add("message", message);
                PayElement(r, pnr?.Order, withNumbers: false);
                return r;
            case "orderex":
                return new BptReply("autopayinfo").Add("code", "0").Add("pnr", display).Add("errorinfo", message);
            case "order":
                return LegacyOrderFailure(display, message);
            default:
                return Generic(command, q, message);
        }
    }

    /// <summary>
    /// TRP's order reads the children paystatus and errorInfo (capital I, as in the success shape): a failure carries
    /// both, so the client reports the reason instead of a null.
    /// </summary>
    static BptReply LegacyOrderFailure(string pnr, string message) =>
        new BptReply("autopayinfo").Add("code", "0").Add("pnr", pnr).Add("paystatus", PayStatus.Failed).Add("errorInfo", message);

    /// <summary>pay's &lt;pay&gt; element; a refused payment shows the amount but no numbers (BPB samples).</summary>
    public static void PayElement(BptReply r, BptOrder? order, bool withNumbers)
    {
        r.Child("pay")
            .Add("orderid", withNumbers ? order?.OrderNo : "")
            .Add("payprice", order is null ? "0.0" : Amount.Money(order.PayPrice))
            .Add("tradeno", withNumbers ? order?.TradeNo : "")
            .Add("outtradeno", withNumbers ? order?.OutTradeNo : "");
    }

    /// <summary>&lt;tickets&gt; with one &lt;ticket&gt; per issued ticket; names GBK-percent-encoded unless plain (spec §4).</summary>
    public static void Tickets(BptReply.Element parent, BptOrder order, bool plainNames, string? onlyTicket = null) =>
        FillTickets(parent.List("tickets", "ticket"), order, plainNames, onlyTicket);

    public static void Tickets(BptReply reply, BptOrder order, bool plainNames, string? onlyTicket = null) =>
        FillTickets(reply.List("tickets", "ticket"), order, plainNames, onlyTicket);

    static void FillTickets(BptReply.Element list, BptOrder order, bool plainNames, string? onlyTicket)
    {
        foreach (var t in order.Tickets)
        {
            if (onlyTicket is not null && TicketNumbers.Normalise(t.TktNo) != onlyTicket) continue;
            list.Item().Add("passenger", plainNames ? t.Passenger : BptCallbackEncoding.PercentEncode(t.Passenger)).Add("tktno", t.TktNo);
        }
    }
}
