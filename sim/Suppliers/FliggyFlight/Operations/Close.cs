using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.service.close (机票关单, spec §2.5): closes an unpaid order through the machine (seats released,
/// TradeNotify type 2); closing a closed order again succeeds; any other state is ORDER_STATUS_ERROR.
/// </summary>
static class Close
{
    public const string Method = "alitrip.flight.service.close";

    public static TopObject Handle(FlightCall call)
    {
        var order = call.Order(call.Top.Long("order_id")!.Value);
        lock (order)
        {
            if (order.Status != OrderStatus.Closed)
            {
                if (!call.CanTransition(order, FliggyFlightServices.OrderKind, Method))
                    throw FlightError.OrderStatusError($"order is {order.Status}: only an unpaid order (WAIT_PAY) closes");
                order.CloseReason = call.Top.Str("close_reason") ?? "买家关单";
                call.Transition(order, FliggyFlightServices.OrderKind, Method);
            }
            return FlightCall.Ok()
                .Add("order_id", order.OrderId)
                .Add("order_status", OrderStatus.Text(order.Status))
                .Add("order_status_code", OrderStatus.Code(order.Status));
        }
    }
}
