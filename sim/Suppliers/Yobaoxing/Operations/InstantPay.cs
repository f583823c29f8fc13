using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Instant payment (即时支付, spec §4.6, §4.7, §5): GetPayChannel lists the channels, BeginToPay opens a payment on a
/// booked order and returns its trade number, and the payment platform's notification (notify_url.aspx,
/// notify_Payback_url.aspx, WeChatNotify.aspx) marks it paid (status 5, then 6 when approval is automatic) or refunded.
/// Payment and the optional automatic activation are separate steps, as V4 §5.1 says: a failed activation leaves the
/// order paid.
/// </summary>
static class InstantPay
{
    public static XmlReply GetPayChannel(YobaoxingCall call)
    {
        var channels = call.Catalog.PayChannels;
        if (call.Settings.Str("canpaywithepay", "1") != "1" || channels.Count == 0) throw YobaoxingCall.Fail(-1, "没有获取到相关支付的渠道信息。");
        var reply = call.Ok();
        for (var i = 0; i < channels.Count; i++)
            reply.Open("Item").Leaf("paychannelid", ChannelCode(i)).Leaf("paychannelname", channels[i]).Close("Item");
        return reply;
    }

    static string ChannelCode(int index) => (index + 1).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>Paychannelid carries the channel's name (spec §4.7); its two-digit code is accepted too.</summary>
    static (string Code, string Name)? Channel(YobaoxingCall call, string given)
    {
        var channels = call.Catalog.PayChannels;
        for (var i = 0; i < channels.Count; i++)
            if (channels[i] == given.Trim() || ChannelCode(i) == given.Trim()) return (ChannelCode(i), channels[i]);
        return null;
    }

    /// <summary>
    /// Opens the payment. The document gives BeginToPay no reply payload (§9.42): the sandbox answers the trade it opened
    /// (orderid, paychannelid, paychannelname, out_trade_no, total_fee) — what a payment platform needs to pay it.
    /// </summary>
    public static XmlReply BeginToPay(YobaoxingCall call)
    {
        var id = call.Opt("Order_id") ?? throw YobaoxingCall.Fail(-2007, "没有输入内部单号，不能完成操作");
        var given = call.Opt("Paychannelid") ?? throw YobaoxingCall.Fail(-2001, "不支持的支付方式");
        var notifyUrl = "";
        if (call.Legacy)
        {
            notifyUrl = call.Opt("NotifyURL") ?? throw call.Bad("NotifyURL 不能为空");
            if (!Uri.TryCreate(notifyUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) throw call.Bad("NotifyURL 必须是http(s)地址");
        }
        if (call.Settings.Str("canpaywithepay", "1") != "1" || Channel(call, given) is not { } channel) throw YobaoxingCall.Fail(-2001, "不支持的支付方式");
        var order = call.Order(id, () => YobaoxingCall.Fail(-2002, "数据检索失败，请确认信息"));
        lock (order)
        {
            if (order.Status == OrderStatus.Closed && order.ClosedBy.StartsWith("after", StringComparison.Ordinal))
                throw YobaoxingCall.Fail(-2008, "当前订单超过支付时限");
            if (order.Status != OrderStatus.Booking) throw YobaoxingCall.Fail(-2004, "订单状态不是预订中，不允许支付");
            order.PayChannel = channel.Name;
            order.PayTradeNo = call.Services.NextDocumentId('T', call.Now);
            order.NotifyUrl = notifyUrl;
            order.UpdatedMs = call.NowMs;
            call.Save(order);
            call.Timeline(order, "payment-started", new JsonObject { ["channel"] = channel.Name, ["tradeNo"] = order.PayTradeNo, ["total"] = order.Total });
            return call.Ok().Open("Item").Leaf("orderid", order.Id).Leaf("paychannelid", channel.Code).Leaf("paychannelname", channel.Name)
                .Leaf("out_trade_no", order.PayTradeNo).Money("total_fee", order.Total).Close("Item");
        }
    }

    /// <summary>
    /// notify_url.aspx and notify_Payback_url.aspx share one parameter table (spec §5.1): NETDH (the order), STATUS and
    /// OpType, each 3DES under the KEY; OpType 0 is a receipt, 1 a refund, on either page.
    /// </summary>
    public static XmlReply AlipayNotify(YobaoxingCall call)
    {
        var orderId = call.ReqDec("NETDH");
        var status = call.ReqDec("STATUS");
        var op = call.ReqDec("OpType");
        if (status is not ("TRADE_SUCCESS" or "TRADE_FAIL")) throw call.Bad("STATUS 只能是 TRADE_SUCCESS 或 TRADE_FAIL");
        if (op is not ("0" or "1")) throw call.Bad("OpType 只能是 0 或 1");
        var order = call.Order(orderId, () => YobaoxingCall.Fail(-1, "没有找到对应的预订单"));
        lock (order)
            return op == "0" ? Receipt(call, order, status == "TRADE_SUCCESS", null) : Refunded(call, order, status == "TRADE_SUCCESS");
    }

    /// <summary>
    /// WeChatNotify.aspx: WeChat's XML (spec §5.2); attach is the order, out_trade_no the trade BeginToPay opened, total_fee in
    /// fen (WeChat's unit). Success needs result_code and return_code both SUCCESS. A refund-approved order takes it as
    /// the refund's completion.
    /// </summary>
    public static XmlReply WeChatNotify(YobaoxingCall call)
    {
        var orderId = call.Req("attach");
        var tradeNo = call.Req("out_trade_no");
        var success = call.Opt("result_code") == "SUCCESS" && call.Opt("return_code") == "SUCCESS";
        var fee = call.Opt("total_fee") is { } f ? long.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var fen) ? fen : throw call.Bad("total_fee 必须是以分为单位的整数") : (long?)null;
        var order = call.Order(orderId, () => YobaoxingCall.Fail(-1, "没有找到对应的预订单"));
        lock (order)
        {
            if (order.PayTradeNo != tradeNo) throw YobaoxingCall.Fail(-1, "商户订单号与预订单不符");
            if (order.Status == OrderStatus.RefundApproved) return Refunded(call, order, success);
            return Receipt(call, order, success, fee);
        }
    }

    static XmlReply Receipt(YobaoxingCall call, TicketOrder order, bool success, long? fen)
    {
        // A platform repeats a notification it thinks was lost: an order already paid by this trade acknowledges it again.
        if (order.PayMethod == PayMethod.Instant && order.PaidAt.Length > 0) return call.Ok();
        if (order.PayTradeNo.Length == 0) throw YobaoxingCall.Fail(-1, "订单没有发起支付");
        if (order.Status != OrderStatus.Booking) throw YobaoxingCall.Fail(-1, "订单状态不是预订中，不能确认收款");
        if (fen is { } paid && paid != (long)Math.Round(order.Total * 100)) throw YobaoxingCall.Fail(-1, "收款金额与订单金额不符");
        if (!success)
        {
            call.Timeline(order, "payment-failed", new JsonObject { ["tradeNo"] = order.PayTradeNo });
            Notifications.QueuePayment(call.Services, call.Ctx.Uow, call.Tenant, order, false);
            return call.Ok();
        }
        if (!call.CanTransition(order, "PaymentReceived")) throw YobaoxingCall.Fail(-1, "订单状态不是预订中，不能确认收款");
        order.PayMethod = PayMethod.Instant;
        order.PaidAt = YobaoxingServices.Local(call.Now, "yyyyMMddHHmmss");
        call.Transition(order, "PaymentReceived");
        if (call.Settings.Str("paymentApproval", "auto") == "auto") call.Transition(order, "PaymentApproved");
        Notifications.QueuePayment(call.Services, call.Ctx.Uow, call.Tenant, order, true);
        AutoActivate(call, order);
        return call.Ok();
    }

    /// <summary>V4 "直接激活" (activateable 2, or payandactive 1): activation is attempted after the payment, not with it.</summary>
    static void AutoActivate(YobaoxingCall call, TicketOrder order)
    {
        var s = call.Settings;
        if (call.Legacy || !(s.Str("activateable", "1") == "2" || s.Str("payandactive", "0") == "1")) return;
        var request = new Delivery.Request(null, Products.ParseDate(order.Sxrq) ?? call.Today, [], null, s.Str("tickettype", "3") == "1" ? "1" : "2", "1");
        try
        {
            Delivery.Validate(call, order, request, alreadyAuthorised: true);
        }
        catch (YobaoxingError e)
        {
            call.Timeline(order, "auto-activation-failed", new JsonObject { ["retcode"] = e.Retcode, ["retmsg"] = e.Retmsg });
            return;
        }
        Delivery.Activate(call, order, request);
    }

    /// <summary>The platform paid a refund finance approved (status 8): the order becomes B.</summary>
    static XmlReply Refunded(YobaoxingCall call, TicketOrder order, bool success)
    {
        if (order.Status == OrderStatus.Refunded) return call.Ok();
        if (order.Status != OrderStatus.RefundApproved) throw YobaoxingCall.Fail(-1, "订单不处于退款已核准状态，不能确认退款");
        if (!success)
        {
            call.Timeline(order, "refund-payment-failed", new JsonObject { ["tradeNo"] = order.PayTradeNo });
            return call.Ok();
        }
        if (!call.Transition(order, "RefundPaid")) throw YobaoxingCall.Fail(-1, "订单不处于退款已核准状态，不能确认退款");
        return call.Ok();
    }
}
