using System.Text.Json.Nodes;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

public enum PaymentOutcome { Paid, AlreadyPaid, Failed, Unknown, Refused }

public sealed record PaymentResult(PaymentOutcome Outcome, string Message);

/// <summary>
/// Alipay withholding (代扣) of an input order, shared by pay, input with autopayflag=1, orderex and the legacy
/// order command (spec §5.4). A payment attempt — successful, failed or of unknown outcome — is reported to
/// callbackurlforpay (spec §6.2); a refusal before charging (checkprice, order state) is not an attempt.
/// The caller holds the order's lock.
/// </summary>
static class Payment
{
    public const string FailedText = "未取到支付信息,请稍后再试！";
    public const string UnknownText = "支付状态未知，请稍后查询";
    public const string PaidText = "支付成功";

    public static PaymentResult Attempt(BptCall call, BptOrder order, string operation)
    {
        if (order.Paid) return new(PaymentOutcome.AlreadyPaid, "订单已支付");
        if (order.Status != OrderStatus.AwaitingPayment) return new(PaymentOutcome.Refused, NotPayable(order));
        if (CheckPriceRefusal(call["checkprice"], order) is { } refusal) return new(PaymentOutcome.Refused, refusal);

        var (account, accountRefusal) = call.Config.ChargedAccount(call["payaccount"].Trim());
        if (accountRefusal is not null) return Record(call, order, PayStatus.Failed, accountRefusal, PaymentOutcome.Failed);
        order.ChargedAccount = account;
        if (call.Ctx.Has("payment-fails")) return Record(call, order, PayStatus.Failed, FailedText, PaymentOutcome.Failed);
        if (call.Ctx.Has("payment-unknown")) return Record(call, order, PayStatus.Unknown, UnknownText, PaymentOutcome.Unknown);

        if (call.Machine?.OnOperation(order.Status, operation, order.Tags) is null) return new(PaymentOutcome.Refused, NotPayable(order));
        (order.OrderNo, order.TradeNo, order.OutTradeNo) = call.S.NextPaymentNumbers(order.Air, call.Now);
        order.PayStatus = PayStatus.Success;
        call.Timeline(order, "payment", new JsonObject { ["paystatus"] = PayStatus.Success, ["account"] = account, ["payprice"] = order.PayPrice, ["tradeno"] = order.TradeNo });
        call.Transition(order, operation);
        PaymentNotice(call, order, PaidText);
        return new(PaymentOutcome.Paid, PaidText);
    }

    /// <summary>BPB switches to ticketout when a refused pay's message contains 出票完成 (spec §5.4), hence that wording.</summary>
    public static string NotPayable(BptOrder order) =>
        order.Status == OrderStatus.Ticketed ? "当前订单状态为：出票完成(已出票) 不允许支付！" : $"当前订单状态为：{OrderStatus.Name(order.Status)} 不允许支付！";

    static PaymentResult Record(BptCall call, BptOrder order, string payStatus, string message, PaymentOutcome outcome)
    {
        order.PayStatus = payStatus;
        call.Timeline(order, "payment", new JsonObject { ["paystatus"] = payStatus, ["message"] = message });
        call.Save(order);
        PaymentNotice(call, order, message);
        return new(outcome, message);
    }

    /// <summary>paymentinfo goes only where the integrator asked for it (callbackurlforpay).</summary>
    static void PaymentNotice(BptCall call, BptOrder order, string message)
    {
        if (order.CallbackUrlForPay is not { } url) return;
        call.S.Engine.Callbacks.Enqueue(call.Ctx.Uow,
            BptCallbacks.Message(call.Tenant.Id, call.Config, order, BptCallbacks.PaymentInfo, url, BptCallbacks.PaymentXml(order, message)));
    }

    /// <summary>
    /// checkprice (spec §5.3): "min-max" pays only if the total is at most max (max empty or 0: no check); a single
    /// value must equal the total. BPB sends the face total there, so a single value equal to the face price (with or
    /// without taxes) is accepted as well.
    /// </summary>
    public static string? CheckPriceRefusal(string checkprice, BptOrder order)
    {
        var text = checkprice.Trim();
        if (text.Length == 0) return null;
        var refusal = $"支付价格{Amount.Money(order.PayPrice)}不符合限定价格{text}，未支付";
        var dash = text.IndexOf('-');
        if (dash >= 0)
        {
            var maxText = text[(dash + 1)..].Trim();
            if (dash > 0 && !Amount.TryParse(text[..dash], out _)) throw new BptError("参数错误：checkprice格式错误");
            if (maxText.Length == 0) return null;
            if (!Amount.TryParse(maxText, out var max)) throw new BptError("参数错误：checkprice格式错误");
            return max == 0 || order.PayPrice <= max ? null : refusal;
        }
        if (!Amount.TryParse(text, out var exact)) throw new BptError("参数错误：checkprice格式错误");
        return exact == order.PayPrice || exact == order.TicketPrice || exact == order.TicketPrice + order.TotalTax ? null : refusal;
    }
}
