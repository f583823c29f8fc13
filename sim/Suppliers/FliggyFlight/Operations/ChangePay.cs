using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.change.order.pay (改签单支付, spec §2.14): pays a change order waiting for payment (2 → 3, then
/// ticketed 5 after the ticketing delay); a paid one answers its payment again.
/// </summary>
static class ChangePay
{
    public const string Method = "alitrip.flight.change.order.pay";

    public static TopObject Handle(FlightCall call)
    {
        var change = call.Change(call.Top.Long("change_order_id")!.Value);
        var amount = call.Top.Money("pay_amount")!.Value;
        lock (change)
        {
            if (change.AlipayTradeNo is not null && change.Status is ChangeStatus.WaitTicket or ChangeStatus.Ticketed) return Reply(change);
            if (change.Status == ChangeStatus.WaitPay && call.NowMs >= change.PayDeadlineMs) throw FlightError.PayTimeout();
            if (!call.CanTransition(change, FliggyFlightServices.ChangeKind, Method))
                throw FlightError.OrderStatusError($"change order is {change.Status}: only one waiting for payment is paid");
            if (!call.User.PayAgreementSigned) throw FlightError.PayAgreementNotSigned();
            if (amount != change.PayAmount)
                throw FlightError.PayAmountError(FormattableString.Invariant($"pay_amount {amount:0.##} is not the change order's {change.PayAmount:0.##}"));
            change.AlipayTradeNo = call.Services.NextTradeNo(call.Now);
            change.PayTimeMs = call.NowMs;
            call.Transition(change, FliggyFlightServices.ChangeKind, Method);
            return Reply(change);
        }
    }

    static TopObject Reply(ChangeOrder c) => FlightCall.Ok()
        .Add("change_order_id", c.ChangeOrderId)
        .Add("change_status", ChangeStatus.Code(c.Status))
        .Add("alipay_trade_no", c.AlipayTradeNo)
        .Add("pay_time", Times.Of(c.PayTimeMs));
}
