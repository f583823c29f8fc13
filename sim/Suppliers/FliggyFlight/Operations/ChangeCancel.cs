using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>alitrip.flight.change.order.cancel (取消改签单, spec §2.14): a change order waiting for payment (2) closes (4).</summary>
static class ChangeCancel
{
    public const string Method = "alitrip.flight.change.order.cancel";

    public static TopObject Handle(FlightCall call)
    {
        var change = call.Change(call.Top.Long("change_order_id")!.Value);
        lock (change)
        {
            if (!call.Transition(change, FliggyFlightServices.ChangeKind, Method))
                throw FlightError.OrderStatusError($"change order is {change.Status}: only one waiting for payment is cancelled");
            return FlightCall.Ok().Add("change_order_id", change.ChangeOrderId).Add("change_status", ChangeStatus.Code(change.Status));
        }
    }
}
