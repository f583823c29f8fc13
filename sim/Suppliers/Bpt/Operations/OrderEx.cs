using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>
/// orderex (全自动, spec §5.8): input, pay and ticket in one call. <c>code</c> is the input result and
/// <c>paystatus</c> the payment result; the texts are the ones BPB and PB3 branch on. The legacy <c>order</c>
/// command of older servers (spec §5.9) runs the same logic, paying only with autopayflag=1.
/// </summary>
static class OrderEx
{
    public const string AlreadyIssuedText = "网站提示： Err701:已出票！! Err701:已出票！! Err708:出票状态应为出票时限形式!";
    public const string PaymentFailedText = "入库成功，支付信息获取失败，请重试或到航空公司网站支付";

    public static BptReply Handle(BptCall call) => Run(call, legacy: false);

    public static BptReply Run(BptCall call, bool legacy)
    {
        // TRP's legacy order sends no pnrsrcid, pnrc or callbackurl. PB3's AutoPay (the spec's public orderex client)
        // sends no pnrc either: the small PNR then comes from the order or the PNR's fixture, else the order is
        // input under the big PNR alone.
        call.Require("pnr", "b2buser", "b2bpwd");
        if (!legacy) call.Require("pnrsrcid", "autopayflag", "callbackurl");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        BptOrder order;
        try
        {
            call.AutoTicketAllowed(pnr.Air);
            if (pnr.Order is { Status: not OrderStatus.Cancelled and not OrderStatus.Void } known && known.PnrSrcId == call["pnrsrcid"].Trim()
                && known.Status != OrderStatus.AwaitingPayment)
                return Existing(call, pnr, known);
            (order, _) = Input.CreateOrder(call, pnr, call.Command);
        }
        catch (BptError e) when (!e.Generic)
        {
            throw new BptError("入库失败：" + e.Message);
        }

        lock (order)
        {
            if (order.Tags.Contains("already-issued") && order.Status == OrderStatus.AwaitingPayment)
            {
                // The airline reports the PNR already ticketed (ZZET): no payment, the order is issued (spec §10).
                call.Transition(order, call.Command);
                return Reply(pnr, order, PayStatus.Failed, AlreadyIssuedText, "0", numbers: false);
            }
            if (call["autopayflag"] != "1") return Reply(pnr, order, PayStatus.Failed, "入库成功", Amount.Money(order.PayPrice), numbers: false);
            if (call.Q.Has("srcticketprice") && (!Amount.TryParse(call["srcticketprice"], out var face) || face != order.TicketPrice))
                return Reply(pnr, order, PayStatus.Failed, $"入库成功，票面价{call["srcticketprice"]}与航空公司票面价{Amount.Money(order.TicketPrice)}不一致，未支付",
                    Amount.Money(order.PayPrice), numbers: false);
            var result = Payment.Attempt(call, order, call.Command);
            return result.Outcome switch
            {
                PaymentOutcome.Paid or PaymentOutcome.AlreadyPaid => Reply(pnr, order, PayStatus.Success, "", Amount.Money(order.PayPrice), numbers: true),
                PaymentOutcome.Unknown => Reply(pnr, order, PayStatus.Unknown, result.Message, Amount.Money(order.PayPrice), numbers: false),
                _ when result.Message == Payment.FailedText => Reply(pnr, order, PayStatus.Failed, PaymentFailedText, Amount.Money(order.PayPrice), numbers: false),
                _ => Reply(pnr, order, PayStatus.Failed, "入库成功，支付失败：" + result.Message, Amount.Money(order.PayPrice), numbers: false),
            };
        }
    }

    /// <summary>A repeated orderex for an order already paid or further along (spec §5.8's outcome table).</summary>
    static BptReply Existing(BptCall call, PnrRef pnr, BptOrder order)
    {
        lock (order)
        {
            call.Touch(order);
            call.TakeCallbackParameters(order);
            call.Save(order);
            // A ticketed order reads as paid even when the airline issued it without our payment (ZZET): spec §5.8's table.
            var payStatus = order.Status == OrderStatus.Ticketed ? PayStatus.Success : order.PayStatus.Length == 0 ? PayStatus.Failed : order.PayStatus;
            var text = order.Status switch
            {
                OrderStatus.Ticketed => $"该订单已经出票成功，平台订单号{order.PnrSrcId}",
                OrderStatus.AwaitingTicket => "",
                OrderStatus.Refunded or OrderStatus.NotTicketed => order.Message,
                _ => $"当前订单状态为：{OrderStatus.Name(order.Status)}",
            };
            return Reply(pnr, order, payStatus, text, Amount.Money(order.PayPrice), numbers: order.Paid);
        }
    }

    static BptReply Reply(PnrRef pnr, BptOrder order, string payStatus, string errorInfo, string payPrice, bool numbers) =>
        new BptReply("autopayinfo")
            .Add("code", "1")
            .Add("pnr", pnr.Display)
            .Add("air", order.Air)
            .Add("paystatus", payStatus)
            .Add("errorInfo", errorInfo)
            .Add("payprice", payPrice)
            .Add("tradeno", numbers ? order.TradeNo : "")
            .Add("outtradeno", numbers ? order.OutTradeNo : "");
}
