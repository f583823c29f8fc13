using System.Globalization;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>alitrip.flight.refund.list (查询退票列表, spec §2.13): the refund orders of an order, oldest first.</summary>
static class RefundList
{
    public const string Method = "alitrip.flight.refund.list";

    public static TopObject Handle(FlightCall call)
    {
        var order = call.Order(call.Top.Long("order_id")!.Value);
        List<long> ids;
        lock (order) ids = [.. order.RefundIds];
        var refunds = ids.Select(id => call.Services.Refunds.Get(call.Tenant.Id, id.ToString(CultureInfo.InvariantCulture))).OfType<RefundOrder>();
        return FlightCall.Ok().Add("refund_order_list", TopList.Of("refund_order_summary", refunds.Select(r => new TopObject()
            .Add("refund_order_id", r.RefundOrderId)
            .Add("refund_status", RefundStatus.Code(r.Status))
            .Add("refund_status_desc", RefundStatus.Text(r.Status))
            .Add("refund_apply_type", r.ApplyType)
            .Add("apply_time", Times.Of(r.CreatedMs))
            .Money("refund_amount", r.RefundAmount)
            .Add("passenger_names", string.Join(",", r.Items.Select(i => i.PassengerName).Distinct())))));
    }
}
