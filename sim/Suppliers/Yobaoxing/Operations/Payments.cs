using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Deposit (预订金) and rebate (返款) authorisation shared by the pay pages and the order-and-pay pages, with the
/// retcodes of the edition in force (spec §4.14, §4.23, §4.26; the order-and-pay pages document none, so they reuse
/// these — spec §4.36 inference). V4 debits the account at authorisation; legacy at delivery (spec §9.20).
/// </summary>
static class Payments
{
    public enum Kind { Deposit, Rebate }

    sealed record Codes(int NotAllowed, string NotAllowedMsg, int OrderState, string OrderStateMsg, int Amount, string AmountMsg,
        int Insufficient, string InsufficientMsg, int WrongPassword, string WrongPasswordMsg, int NoPassword, string NoPasswordMsg);

    static readonly Codes DepositV4 = new(
        -2094, "当前客户不能使用预定金支付", -2095, "指定的订单不存在、订单状态不为‘预订中’或订单不属于当前代理商", -2096, "指定的订单金额不正确",
        -2097, "预订金余额不足以完成授权", -2098, "支付密码错误", -2099, "当前用户尚未设置支付密码");
    static readonly Codes RebateV4 = new(
        -2194, "当前客户不能使用预定金支付", -2195, "指定的订单不存在、订单状态不为‘预订中’或订单不属于当前代理商", -2196, "指定的订单金额不正确",
        -2197, "返款余额不足以完成授权", -2098, "支付密码错误", -2099, "当前用户尚未设置支付密码");
    static readonly Codes DepositLegacy = new(
        -1, "不支持预付金支付功能，请与景区管理员联系，开通此功能", -2092, "未找到对应的预订单信息或预订单状态已更改", -2094, "当前订单金额错误",
        -2095, "当前预定金账户错误或余额不足", -2093, "支付密码错误", -2093, "支付密码错误");
    static readonly Codes RebateLegacy = DepositLegacy with
    {
        NotAllowedMsg = "不支持返款余额支付功能，请与景区管理员联系，开通此功能",
        InsufficientMsg = "当前返款账户错误或余额不足",
    };

    static Codes For(YobaoxingCall call, Kind kind) => (kind, call.Legacy) switch
    {
        (Kind.Deposit, false) => DepositV4,
        (Kind.Rebate, false) => RebateV4,
        (Kind.Deposit, true) => DepositLegacy,
        _ => RebateLegacy,
    };

    public static YobaoxingError OrderStateError(YobaoxingCall call, Kind kind)
    {
        var c = For(call, kind);
        return YobaoxingCall.Fail(c.OrderState, c.OrderStateMsg);
    }

    /// <summary>A refused SMS code, in the page's edition (V4 -2092/-2093; legacy deposit -3/-2, legacy rebate -2093/-2).</summary>
    public static YobaoxingError CodeError(YobaoxingCall call, Kind kind, Sms.Check check) => (call.Legacy, kind, check) switch
    {
        (false, _, Sms.Check.Expired) => YobaoxingCall.Fail(-2093, "验证码已过期"),
        (false, _, _) => YobaoxingCall.Fail(-2092, "验证码错误"),
        (true, _, Sms.Check.Expired) => YobaoxingCall.Fail(-2, "验证码过期"),
        (true, Kind.Deposit, _) => YobaoxingCall.Fail(-3, "验证码错误"),
        _ => YobaoxingCall.Fail(-2093, "验证码错误"),
    };

    /// <summary>V4 <c>sendnotification</c>: '0' suppresses the official notices of the order, '1' (default) sends them.</summary>
    public static bool SendNotification(YobaoxingCall call) =>
        call.Legacy || call.Opt("sendnotification") switch
        {
            null or "1" => true,
            "0" => false,
            _ => throw call.Bad("sendnotification 只能是 0 或 1"),
        };

    /// <summary>The payment password field: TripleDes(Upper(MD5(payment password)), KEY).</summary>
    public static void CheckPassword(YobaoxingCall call, Kind kind, string field)
    {
        var c = For(call, kind);
        var stored = call.Account.PayPasswordMd5;
        if (stored.Length == 0) throw YobaoxingCall.Fail(c.NoPassword, c.NoPasswordMsg);
        if (call.Ctx.Has(Failures.PayPasswordWrong) || YobaoxingCrypto.Decrypt(field, call.Key) is not { } given || !given.Equals(stored, StringComparison.OrdinalIgnoreCase))
            throw YobaoxingCall.Fail(c.WrongPassword, c.WrongPasswordMsg);
    }

    /// <summary>Permission, amount and balance, checked before anything changes.</summary>
    public static void CheckPayable(YobaoxingCall call, Kind kind, decimal total, decimal money)
    {
        var c = For(call, kind);
        if (call.Settings.Str(kind == Kind.Deposit ? "canpaywithyfk" : "canpaywithfk", "1") != "1") throw YobaoxingCall.Fail(c.NotAllowed, c.NotAllowedMsg);
        if (money != total) throw YobaoxingCall.Fail(c.Amount, c.AmountMsg);
        if (call.Ctx.Has(Failures.InsufficientFunds) || Money.Balance(call, Account(kind)) < total) throw YobaoxingCall.Fail(c.Insufficient, c.InsufficientMsg);
    }

    static string Account(Kind kind) => kind == Kind.Deposit ? AccountRecord.DepositAccount : AccountRecord.RebateAccount;

    /// <summary>
    /// The activation a payment page asks for (V4 activate/tickettype, or the supplier's forced activation or
    /// pay-and-activate switch), or null. Its date is the effective date.
    /// </summary>
    public static Delivery.Request? ActivationRequest(YobaoxingCall call, string sxrq, Kind kind)
    {
        if (call.Legacy) return null;
        var forced = call.Settings.Str("activateable", "1") == "2" || call.Settings.Str("payandactive", "0") == "1";
        var activate = call.Opt("activate");
        if (activate is not null and not ("0" or "1")) throw call.Bad("activate 只能是 0 或 1");
        if (activate != "1" && !forced) return null;
        var ticketType = call.Opt("tickettype");
        if (activate is not null && ticketType is null) throw call.Bad("activate 有值时必须传入 tickettype");
        return new Delivery.Request(null, Products.ParseDate(sxrq) ?? call.Today, [], call.OptInt("timespanindex"), ticketType ?? "2",
            kind == Kind.Rebate ? "2" : "1");
    }

    /// <summary>Authorises an order in status 0 (validated by the caller); activates it right away when asked to.</summary>
    public static void Authorise(YobaoxingCall call, TicketOrder order, Kind kind, string operation, Delivery.Request? activation)
    {
        var c = For(call, kind);
        if (order.Status != OrderStatus.Booking || !call.CanTransition(order, operation)) throw YobaoxingCall.Fail(c.OrderState, c.OrderStateMsg);
        if (activation is not null) Delivery.Validate(call, order, activation, alreadyAuthorised: false);
        order.PayMethod = kind == Kind.Deposit ? PayMethod.Deposit : PayMethod.Rebate;
        if (!call.Legacy)
        {
            if (!Money.Move(call, Account(kind), order.Total, kind == Kind.Deposit ? "2" : "9", order.Id, "互联网预订单支付授权"))
                throw YobaoxingCall.Fail(c.Insufficient, c.InsufficientMsg);
            order.Debited = order.Total;
        }
        call.Transition(order, operation);
        if (activation is not null) Delivery.Activate(call, order, activation);
    }
}
