using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>
/// return.confirm (spec §4.9) with the fees return.query quoted: <c>refundStatus</c> 1 refunds at once (tickets 5, the
/// user gets <c>refundAmount</c>), 2 is processing (tickets 4, order 9; the result comes through
/// taobao.bus.agent.refund.confirm). Every attempt failed: the refund is rejected with the merchant's reason and the
/// tickets stay issued.
/// </summary>
public sealed class ReturnConfirmStep : IQimenStep
{
    public string Method => QimenMethods.ReturnConfirm;

    public CallRequest? Prepare(JobScope job)
    {
        var order = job.RequireOrder;
        if (order.Refund is not { Stage: BusRefund.ConfirmStage } refund || order.AgentOrderId is null) return null;
        var passengers = refund.PassengerIds.Select(id => order.Ticket(id)!).Select(t =>
            (new BusPassenger(t.PassengerId, t.PassengerName, t.PassengerCertificateType, t.PassengerCertificateNo, t.PassengerType, t.TicketPrice),
                t.TicketId, refund.Fees.GetValueOrDefault(t.PassengerId)));
        return new CallRequest(QimenRequests.ReturnConfirm(order.AgentOrderId, order.Id, order.IsOrderRefund, passengers),
            RefundContext.For(job, order, refund.PassengerIds));
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (order.Refund is not { Stage: BusRefund.ConfirmStage } refund) return true;
        if (ReplyEvents.FromReturnConfirm(call, refund.PassengerIds) is not { } evt) return false;
        var refunded = evt.Name == BusEvents.ReturnRefunded;
        if (refunded) SpreadOverTickets(order, refund, evt.RefundAmount);
        order.Refund = null;
        order.LastRefund = new BusRefundOutcome(refund.PassengerIds, refunded ? BusRefundOutcome.Refunded : BusRefundOutcome.Processing,
            refunded ? $"refunded {evt.RefundAmount} fen" : "the merchant is processing the refund (taobao.bus.agent.refund.confirm follows)", refund.Fees);
        job.Offer(evt, $"return.confirm answered refundStatus {Str(call.Reply!.Fields, "refundStatus")}");
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (order.Refund is not { Stage: BusRefund.ConfirmStage } refund) return;
        var reason = call.RetDesc is { Length: > 0 } desc ? desc : job.Describe(call);
        order.Refund = null;
        order.LastRefund = new BusRefundOutcome(refund.PassengerIds, BusRefundOutcome.Rejected, reason, refund.Fees);
        job.Note("refund-rejected", new JsonObject { ["passengers"] = string.Join(",", refund.PassengerIds), ["reason"] = reason });
    }

    /// <summary>The amount the merchant refunded, per ticket: price less the agreed fee, the difference (if any) on the last one.</summary>
    static void SpreadOverTickets(BusOrder order, BusRefund refund, long amount)
    {
        var tickets = refund.PassengerIds.Select(id => order.Ticket(id)!).ToList();
        var left = amount;
        for (var i = 0; i < tickets.Count; i++)
        {
            var share = i == tickets.Count - 1 ? left : Math.Min(left, tickets[i].TicketPrice - refund.Fees.GetValueOrDefault(tickets[i].PassengerId));
            share = Math.Max(0, share);
            tickets[i].RefundedAmount += share;
            left -= share;
        }
    }
}
