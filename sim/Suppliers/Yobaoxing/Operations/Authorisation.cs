using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>UseAccountToPayByPwd (§4.26): deposit authorisation of a booked order with the payment password.</summary>
static class Authorisation
{
    public static XmlReply UseAccountToPayByPwd(YobaoxingCall call)
    {
        var kind = Payments.Kind.Deposit;
        var order = call.Order(call.Req("Order_id"), () => Payments.OrderStateError(call, kind));
        var money = call.ReqMoney("money");
        var smsModel = call.Opt("smsModel") ?? "0";
        if (smsModel is not ("0" or "1" or "2")) throw call.Bad("smsModel 只能是 0、1 或 2");
        Payments.CheckPassword(call, kind, call.Req("Smscode"));
        lock (order)
        {
            if (order.Status != Model.OrderStatus.Booking) throw Payments.OrderStateError(call, kind);
            Payments.CheckPayable(call, kind, order.Total, money);
            var activation = Payments.ActivationRequest(call, order.Sxrq, kind);
            order.SmsModel = smsModel;
            Payments.Authorise(call, order, kind, call.Page.Name, activation);
        }
        return call.Ok();
    }
}
