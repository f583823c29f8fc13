using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.refund.render (退票渲染, spec §2.9): can the tickets be refunded, and for a voluntary refund what it
/// costs; a refusal is a successful reply with can_refund=false and the reason.
/// </summary>
static class RefundRender
{
    public const string Method = "alitrip.flight.refund.render";

    public static TopObject Handle(FlightCall call)
    {
        var req = call.Param("refund_render_request");
        var order = call.Order(req.Long("order_id", required: true)!.Value);
        var applyType = req.Int("refund_apply_type", required: true)!.Value;
        RefundQuote quote;
        lock (order) quote = RefundQuote.For(call, order, applyType, req.Objects("refund_passenger_list", required: true));
        if (!quote.CanRefund)
            return FlightCall.Ok().Add("can_refund", false).Add("refuse_reason", quote.RefuseReason).Add("calculate_success", false);
        return FlightCall.Ok()
            .Add("can_refund", true)
            .Add("calculate_success", quote.CalculateSuccess)
            .Money("all_refund_fee", quote.CalculateSuccess ? quote.AllRefundFee : null)
            .Money("refund_amount", quote.RefundAmount)
            .Add("need_attachment", RefundQuote.NeedsAttachment(applyType))
            .Add("refund_fee_detail_list", TopList.Of("refund_fee_detail", quote.Items.Select(RefundQuote.Detail)));
    }
}
