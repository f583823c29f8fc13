using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>
/// order.query (spec §4.7): Fliggy's real-time view of the merchant's order. An order the merchant reports issued
/// (status 3) while Fliggy waits is issued; tickets it reports refunded offline (<c>isRefund</c>) are refunded with
/// their <c>refundAmount</c>. As the fallback of a failed order.confirm (§8), an order still not issued afterwards —
/// or one the query could not reach — is closed with closeType 2 and the user refunded; otherwise a failed query keeps
/// the current status.
/// </summary>
public sealed class QueryStep : IQimenStep
{
    public string Method => QimenMethods.OrderQuery;

    public CallRequest? Prepare(JobScope job)
    {
        var order = job.RequireOrder;
        if (order.AgentOrderId is null) return null;
        if (Fallback(job) && order.Status is not (OrderStatus.AwaitingPayment or OrderStatus.AwaitingTickets)) return null;
        return new CallRequest(QimenRequests.OrderRef(order.AgentOrderId, order.Id), new ReplyContext { PassengerPrices = order.Prices(), Now = DateTimeOffset.UtcNow });
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        var fields = call.Reply!.Fields!;
        foreach (var evt in ReplyEvents.FromOrderQuery(call, order))
        {
            if (evt.Name == BusEvents.ConfirmIssued) TicketDetails.Copy(order, fields);
            if (evt.Name == BusEvents.OfflineRefund) CountTicketRefunds(order, fields, evt.PassengerIds!);
            job.Offer(evt, "order.query");
        }
        if (Fallback(job) && order.Status is OrderStatus.AwaitingPayment or OrderStatus.AwaitingTickets)
            Close(job, $"order.query after the failed order.confirm shows status {Str(fields, "status")}: not issued");
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (Fallback(job) && order.Status is OrderStatus.AwaitingPayment or OrderStatus.AwaitingTickets)
            Close(job, "order.confirm and order.query both failed: " + job.Describe(call));
        else job.Note("query-failed", new JsonObject { ["last"] = job.Describe(call), ["kept"] = order.Status });
    }

    static bool Fallback(JobScope job) => job.Job.Tag == CallJob.FallbackTag;

    /// <summary>Not issued after all: order 4, tickets 3, the user refunded, and the merchant told with order.close (closeType 2).</summary>
    static void Close(JobScope job, string why)
    {
        var order = job.RequireOrder;
        order.Note = why;
        job.Offer(new BusEvent(BusEvents.ConfirmFailed), why);
        if (order.AgentOrderId is not null)
            job.Follow(new CallJob(job.Tenant, QimenMethods.OrderClose, order.Id, 1, null, CloseTypes.TicketingTimeout.ToString(CultureInfo.InvariantCulture)));
    }

    static void CountTicketRefunds(BusOrder order, JsonObject fields, IReadOnlyCollection<string> passengerIds)
    {
        foreach (var p in Objects(fields, "passengerList"))
            if (Str(p, "passengerId") is { } id && passengerIds.Contains(id) && order.Ticket(id) is { } t)
                t.RefundedAmount += Long(p, "refundAmount") ?? 0;
    }
}
