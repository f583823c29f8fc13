using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>alitrip.flight.refund.detail (查询退票详情, spec §2.12): one refund order as it is now.</summary>
static class RefundDetail
{
    public const string Method = "alitrip.flight.refund.detail";

    public static TopObject Handle(FlightCall call)
    {
        var r = call.Refund(call.Top.Long("refund_order_id")!.Value);
        lock (r)
            return FlightCall.Ok()
                .Add("refund_order_id", r.RefundOrderId)
                .Add("order_id", r.OrderId)
                .Add("refund_status", RefundStatus.Code(r.Status))
                .Add("refund_status_desc", RefundStatus.Text(r.Status))
                .Add("refund_apply_type", r.ApplyType)
                .Add("apply_time", Times.Of(r.CreatedMs))
                .Add("audit_time", Times.Of(r.AuditTimeMs))
                .Add("refund_time", Times.Of(r.RefundTimeMs))
                .Money("all_refund_fee", r.AllRefundFee)
                .Money("refund_amount", r.RefundAmount)
                .Add("refuse_reason", r.RefuseReason)
                .Add("multi_refund_flag", r.MultiRefundFlag)
                .Add("attachment_list", TopList.Strings(r.Attachments.Select(a => a.FileKey)))
                .Add("refund_fee_detail_list", TopList.Of("refund_fee_detail", r.Items.Select(RefundQuote.Detail)));
    }
}
