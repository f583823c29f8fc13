using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.service.pay (机票支付, spec §2.6): withholds the order total from the session user's signed Alipay
/// account and starts ticketing (TradeNotify type 1 and PayNotification; TradeNotify type 3 when ticketed). A paid order
/// answers its first payment again; past pay_deadline the order closes and the answer is PAY_TIMEOUT.
/// </summary>
static class Pay
{
    public const string Method = "alitrip.flight.service.pay";

    public static TopObject Handle(FlightCall call)
    {
        var order = call.Order(call.Top.Long("order_id")!.Value);
        var amount = call.Top.Money("total_price")!.Value;
        lock (order)
        {
            if (order.AlipayTradeNo is not null && order.Status is OrderStatus.PaidTicketing or OrderStatus.Ticketed) return Reply(order);
            if (order.Status == OrderStatus.WaitPay && call.NowMs >= order.PayDeadlineMs)
            {
                CloseOverdue(call, order);
                throw FlightError.PayTimeout();
            }
            if (order.Status == OrderStatus.Closed && call.NowMs >= order.PayDeadlineMs) throw FlightError.PayTimeout();
            if (!call.CanTransition(order, FliggyFlightServices.OrderKind, Method))
                throw FlightError.OrderStatusError($"order is {order.Status}: only an unpaid order (WAIT_PAY) is paid");
            if (!call.User.PayAgreementSigned) throw FlightError.PayAgreementNotSigned();
            if (amount != order.TotalPrice)
                throw FlightError.PayAmountError(FormattableString.Invariant($"total_price {amount:0.##} is not the order total {order.TotalPrice:0.##}"));
            order.AlipayTradeNo = call.Services.NextTradeNo(call.Now);
            order.PayTimeMs = call.NowMs;
            order.RealPayPrice = order.TotalPrice;
            call.Transition(order, FliggyFlightServices.OrderKind, Method);
            return Reply(order);
        }
    }

    /// <summary>The machine's pay-deadline timer may not have fired yet at this instant: fire its transition now.</summary>
    static void CloseOverdue(FlightCall call, FlightOrder order)
    {
        if (!call.Scenario.Machines.TryGetValue(FliggyFlightServices.OrderKind, out var machine) || machine.Timed(order.Status, order.Tags) is not { } timed) return;
        order.CloseReason = "超过支付时限";
        call.Services.Engine.Lifecycle.Apply(call.Tenant, FliggyFlightServices.Supplier, FliggyFlightServices.OrderKind, order, timed.To, timed.Emit,
            "pay deadline passed", call.Uow);
    }

    static TopObject Reply(FlightOrder order) => FlightCall.Ok()
        .Add("order_id", order.OrderId)
        .Add("alipay_trade_no", order.AlipayTradeNo)
        .Add("pay_time", Times.Of(order.PayTimeMs))
        .Money("real_pay_price", order.RealPayPrice)
        .Add("order_status", OrderStatus.Text(order.Status))
        .Add("order_status_code", OrderStatus.Code(order.Status));
}
