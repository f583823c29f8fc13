using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.refund.create (退票申请提交, spec §2.10): recomputes render and refuses when the tickets are not
/// refundable, when all_refund_fee is not what render said (absent when render could not calculate, FAQ 8), or when an
/// epidemic refund (100) is asked of an airline without such a policy (FAQ 9). The refund order then enters the refund
/// machine (tickets REFUNDING, RefundNotify REFUND_CREATE_MSG). Idempotent on (order_id, out_refund_no).
/// </summary>
static class RefundCreate
{
    public const string Method = "alitrip.flight.refund.create";

    public static TopObject Handle(FlightCall call)
    {
        var req = call.Param("refund_create_request");
        var order = call.Order(req.Long("order_id", required: true)!.Value);
        var outRefundNo = req.Str("out_refund_no", required: true)!;
        var applyType = req.Int("refund_apply_type", required: true)!.Value;
        var fee = req.Money("all_refund_fee");
        var reason = req.Str("refund_reason");
        if (reason is { Length: > 200 }) throw FlightError.ParamError("refund_reason is at most 200 characters");
        var s = call.Services;
        var keyId = IdempotencyKey.ForRefund(order.OrderId, outRefundNo);
        lock (order)
        {
            if (s.Keys.Get(call.Tenant.Id, keyId) is { } key && s.Refunds.Get(call.Tenant.Id, key.Target) is { } first)
            {
                call.Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.RefundKind, first.Id);
                return Reply(first);
            }
            var quote = RefundQuote.For(call, order, applyType, req.Objects("refund_passenger_list", required: true));
            if (!quote.CanRefund) throw FlightError.RefundNotAllowed(quote.RefuseReason);
            if (quote.CalculateSuccess && fee != quote.AllRefundFee)
                throw FlightError.RefundFeeChanged(FormattableString.Invariant($"all_refund_fee must be {quote.AllRefundFee:0.##} (refund.render)"));
            if (!quote.CalculateSuccess && fee is not null)
                throw FlightError.RefundFeeChanged("render could not pre-calculate this refund type: all_refund_fee must be absent (FAQ 8)");
            if (applyType == 100 && !call.Catalog.EpidemicPolicyCarriers.Contains(order.Segments[0].MarketingAirline)) throw FlightError.RefundRuleChanged();

            var refund = new RefundOrder
            {
                Id = s.NextId().ToString(CultureInfo.InvariantCulture),
                Status = call.Initial(FliggyFlightServices.RefundKind, RefundStatus.New),
                CreatedMs = call.NowMs,
                UpdatedMs = call.NowMs,
                OrderId = order.OrderId,
                OutRefundNo = outRefundNo,
                ApplyType = applyType,
                Reason = reason,
                Items = quote.Items.ToList(),
                CalculateSuccess = quote.CalculateSuccess,
                AllRefundFee = quote.CalculateSuccess ? quote.AllRefundFee : null,
                RefundAmount = quote.RefundAmount,
                UserId = order.UserId,
            };
            refund.Tags.UnionWith(call.Ctx.Rules.Tags);
            if (RefundQuote.NeedsAttachment(applyType)) refund.Tags.Add("needs-attachment");
            order.RefundIds.Add(refund.RefundOrderId);
            s.Orders.Save(call.Uow, call.Tenant.Id, order);
            s.Refunds.Save(call.Uow, call.Tenant.Id, refund);
            s.Keys.Save(call.Uow, call.Tenant.Id, new IdempotencyKey
            {
                Id = keyId, Status = "refund", Target = refund.Id, CreatedMs = call.NowMs, UpdatedMs = call.NowMs,
            });
            call.Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.RefundKind, refund.Id);
            call.Timeline(FliggyFlightServices.RefundKind, refund.Id, "created", new JsonObject
            {
                ["orderId"] = order.OrderId, ["applyType"] = applyType, ["refundAmount"] = quote.RefundAmount, ["tags"] = string.Join(",", refund.Tags),
            });
            // The refund is new: no timer or admin action can hold it yet, so it needs no lock of its own here.
            if (!call.Transition(refund, FliggyFlightServices.RefundKind, Method)) call.ScheduleTimed(refund, FliggyFlightServices.RefundKind);
            return Reply(refund);
        }
    }

    static TopObject Reply(RefundOrder r) => FlightCall.Ok()
        .Add("refund_order_id", r.RefundOrderId)
        .Add("refund_status", RefundStatus.Code(r.Status))
        .Add("refund_status_desc", RefundStatus.Text(r.Status));
}
