using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Authorising a booked order on the agent's accounts: by SMS code (ReadyToPay §4.13 → UseAccountToPay §4.14,
/// ReadyToPayByFK §4.22 → UseAccountToPayByFK §4.23) or by payment password (UseAccountToPayByPwd §4.26,
/// UseAccountToPayByFKWithPwd §4.48).
/// </summary>
static class Authorisation
{
    public static XmlReply ReadyToPay(YobaoxingCall call) => Ready(call, Payments.Kind.Deposit);

    public static XmlReply ReadyToPayByFK(YobaoxingCall call) => Ready(call, Payments.Kind.Rebate);

    static XmlReply Ready(YobaoxingCall call, Payments.Kind kind)
    {
        var deposit = kind == Payments.Kind.Deposit;
        var id = call.Req("Order_id");
        var index = Sms.NumIndex(call);
        // V4 UseAccountToPay "只能用手机1进行支付": the deposit code always goes to phone 1 whatever NumIndex says.
        if (deposit && !call.Legacy) index = 0;
        var notOpen = deposit ? "表示 定单已经不是预定中的状态了，不需要再设置" : "定单已经不是预定中的状态了，不能再下发验证码";
        var order = call.Order(id, () => YobaoxingCall.Fail(-2002, notOpen));
        if (call.Settings.Str(deposit ? "canpaywithyfk" : "canpaywithfk", "1") != "1")
            throw YobaoxingCall.Fail(-1, deposit ? "不支持预付金支付功能，请与景区管理员联系，开通此功能" : "不支持返款余额支付功能，请与景区管理员联系，开通此功能");
        decimal total;
        lock (order)
        {
            if (order.Status != OrderStatus.Booking) throw YobaoxingCall.Fail(-2002, notOpen);
            total = order.Total;
        }
        var refusals = deposit
            ? new Sms.Refusals(YobaoxingCall.Fail(-1, "代理商处预留的手机号码为空，不能完成操作。"), YobaoxingCall.Fail(-1, Msg.Failed("重发太频繁，请稍候再试")),
                YobaoxingCall.Fail(-3, "表示 重发的次数太多了，不允许再重发"))
            : new Sms.Refusals(YobaoxingCall.Fail(-1, "代理商处预留的手机号码为空，不能完成操作。"), YobaoxingCall.Fail(-1, Msg.Failed("重发太频繁，请稍候再试")),
                YobaoxingCall.Fail(-1, Msg.Failed("重发次数太多，不允许此操作，请与管理员联系")));
        var what = deposit ? "预订金支付授权" : "返款余额支付授权";
        Sms.Issue(call, deposit ? Sms.DepositPurpose(order.Id) : Sms.RebatePurpose(order.Id), index, deposit ? Sms.Deposit : Sms.Rebate, refusals, order.Id,
            $"【{call.Catalog.ProviderName}】您正在对预订单{order.Id}进行{what}，金额{XmlReply.Format(total)}元，验证码{{0}}，{{1}}分钟内有效。");
        return call.Ok(deposit ? "" : "调用成功");
    }

    public static XmlReply UseAccountToPay(YobaoxingCall call) => UseCode(call, Payments.Kind.Deposit);

    public static XmlReply UseAccountToPayByFK(YobaoxingCall call) => UseCode(call, Payments.Kind.Rebate);

    static XmlReply UseCode(YobaoxingCall call, Payments.Kind kind)
    {
        var deposit = kind == Payments.Kind.Deposit;
        var order = call.Order(call.Req("Order_id"), () => Payments.OrderStateError(call, kind));
        var money = call.ReqMoney("money");
        var code = call.Req("SmsCode");
        var smsModel = deposit ? null : SmsModel(call);
        var notify = Payments.SendNotification(call);
        var purpose = deposit ? Sms.DepositPurpose(order.Id) : Sms.RebatePurpose(order.Id);
        lock (order)
        {
            if (order.Status != OrderStatus.Booking) throw Payments.OrderStateError(call, kind);
            var check = Sms.Verify(call, purpose, code, deposit ? Sms.Deposit : Sms.Rebate);
            if (check != Sms.Check.Ok) throw Payments.CodeError(call, kind, check);
            Payments.CheckPayable(call, kind, order.Total, money);
            var activation = deposit ? Payments.ActivationRequest(call, order.Sxrq, kind) : null;
            if (smsModel is not null) order.SmsModel = smsModel;
            order.SendNotification = notify;
            Payments.Authorise(call, order, kind, call.Page.Name, activation);
            Sms.Consume(call, purpose);
        }
        return call.Ok(deposit ? "" : "调用成功");
    }

    public static XmlReply UseAccountToPayByPwd(YobaoxingCall call) => UsePassword(call, Payments.Kind.Deposit, "Smscode");

    public static XmlReply UseAccountToPayByFKWithPwd(YobaoxingCall call) => UsePassword(call, Payments.Kind.Rebate, "SmsCode");

    static XmlReply UsePassword(YobaoxingCall call, Payments.Kind kind, string passwordParam)
    {
        var order = call.Order(call.Req("Order_id"), () => Payments.OrderStateError(call, kind));
        var money = call.ReqMoney("money");
        var smsModel = SmsModel(call);
        var notify = Payments.SendNotification(call);
        Payments.CheckPassword(call, kind, call.Req(passwordParam));
        lock (order)
        {
            if (order.Status != OrderStatus.Booking) throw Payments.OrderStateError(call, kind);
            Payments.CheckPayable(call, kind, order.Total, money);
            var activation = kind == Payments.Kind.Deposit ? Payments.ActivationRequest(call, order.Sxrq, kind) : null;
            order.SmsModel = smsModel;
            order.SendNotification = notify;
            Payments.Authorise(call, order, kind, call.Page.Name, activation);
        }
        return call.Ok();
    }

    static string SmsModel(YobaoxingCall call)
    {
        var m = call.Opt("smsModel") ?? "0";
        return m is "0" or "1" or "2" ? m : throw call.Bad("smsModel 只能是 0、1 或 2");
    }

    /// <summary>The payment-password change (§4.24 GetVerificationCode → §4.25 ChangePayPwd); neither reply is signed.</summary>
    public static XmlReply GetVerificationCode(YobaoxingCall call)
    {
        var index = Sms.NumIndex(call);
        // V4 "只能用手机1进行修改".
        if (!call.Legacy) index = 0;
        var dwsx = Unit(call, "DWSX");
        var dwid = Unit(call, "DWID");
        var s = call.Settings;
        if (s.Str("canpaywithyfk", "1") != "1" && s.Str("canpaywithfk", "1") != "1")
            throw YobaoxingCall.Fail(-1, "未开通预付金支付或返款支付功能的代理商不允许更改支付密码");
        if (dwsx != (call.Tenant.Credential(YobaoxingServices.Supplier, "dwsx") ?? "2")
            || !dwid.Equals(call.Tenant.Credential(YobaoxingServices.Supplier, "dwid") ?? call.Tenant.Id, StringComparison.OrdinalIgnoreCase))
            throw YobaoxingCall.Fail(-1, "传入的单位ID或单位属性ID不正确");
        var zfdh = call.Services.NextDocumentId('Z', call.Now);
        Sms.Issue(call, Sms.PasswordPurpose, index, Sms.Password,
            new Sms.Refusals(YobaoxingCall.Fail(-1, Msg.Failed("代理商处预留的手机号码为空")), YobaoxingCall.Fail(-1, Msg.Failed("重发太频繁")),
                YobaoxingCall.Fail(-3, Msg.Failed("重发次数太多，不允许此操作"))),
            zfdh, $"【{call.Catalog.ProviderName}】您正在修改互联网账户的支付密码，验证码{{0}}，{{1}}分钟内有效。如非本人操作请忽略。");
        return call.Ok().Open("item").Leaf("order_id", zfdh).Leaf("status", "0").Close("item");
    }

    /// <summary>
    /// DWSX / DWID: "景区申请使用 3DES加密" is read as "encrypted with the KEY" (spec §9.55), but a plaintext value is taken as
    /// it is when it does not decrypt, so both readings of the document work.
    /// </summary>
    static string Unit(YobaoxingCall call, string name)
    {
        var raw = call.Opt(name) ?? throw call.Bad(name + " 不能为空");
        return YobaoxingCrypto.Decrypt(raw, call.Key) ?? raw;
    }

    public static XmlReply ChangePayPwd(YobaoxingCall call)
    {
        var legacy = call.Legacy;
        YobaoxingError Missing(string name) => legacy ? YobaoxingCall.Fail(-2001, "参数不完备") : YobaoxingCall.Fail(-1901, Msg.ParamError + "：" + name + " 不能为空");
        var yzm = call.Opt("YZM") ?? throw Missing("YZM");
        var zfdh = call.Opt("ZFDH") ?? throw Missing("ZFDH");
        var first = call.Opt("NewPwd");
        var second = call.Opt("NewPwd2");
        if (first is null || second is null) throw legacy ? YobaoxingCall.Fail(-2002, "支付密码不能为空") : Missing(first is null ? "NewPwd" : "NewPwd2");
        var newMd5 = YobaoxingCrypto.Decrypt(first, call.Key);
        var newMd5Again = YobaoxingCrypto.Decrypt(second, call.Key);
        if (newMd5 is null || newMd5Again is null || newMd5.Length != 32 || !newMd5.All(char.IsAsciiHexDigit))
            throw legacy ? YobaoxingCall.Fail(-2002, "支付密码不能为空") : YobaoxingCall.Fail(-2432, "新密码错误、两次输入密码不相符或密钥不符合规则");
        if (!newMd5.Equals(newMd5Again, StringComparison.OrdinalIgnoreCase))
            throw legacy ? YobaoxingCall.Fail(-2003, "两次输入的密码不一致") : YobaoxingCall.Fail(-2432, "新密码错误、两次输入密码不相符或密钥不符合规则");
        var account = call.Account;
        if (call.Opt("Email") is { } emailField)
        {
            var email = YobaoxingCrypto.Decrypt(emailField, call.Key);
            string registered;
            lock (account) registered = account.Email;
            if (email is null || (registered.Length > 0 && !registered.Equals(email, StringComparison.OrdinalIgnoreCase)))
                throw legacy ? YobaoxingCall.Fail(-2006, "验证邮箱不存在或不正确") : YobaoxingCall.Fail(-1, "参数错误");
        }
        lock (account)
        {
            if (account.Sms.GetValueOrDefault(Sms.PasswordPurpose) is not { } code || code.OrderId != zfdh)
                throw legacy ? YobaoxingCall.Fail(-2004, "业务单号不正确或不存在") : YobaoxingCall.Fail(-2433, "验证码已过期或不正确");
        }
        switch (Sms.Verify(call, Sms.PasswordPurpose, yzm, Sms.Password))
        {
            case Sms.Check.Wrong: throw legacy ? YobaoxingCall.Fail(-2005, "验证码错误") : YobaoxingCall.Fail(-2431, "验证码错误");
            case Sms.Check.Expired: throw legacy ? YobaoxingCall.Fail(-2, "验证码过期") : YobaoxingCall.Fail(-2433, "验证码已过期或不正确");
        }
        lock (account)
        {
            account.PayPasswordMd5 = newMd5.ToUpperInvariant();
            account.Sms.Remove(Sms.PasswordPurpose);
            call.SaveAccount();
        }
        return call.Ok();
    }
}
