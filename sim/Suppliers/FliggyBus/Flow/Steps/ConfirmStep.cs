using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>
/// order.confirm (spec §4.6), the issue call after payment: status 3 issues the tickets, 2 waits for
/// taobao.bus.agent.bookticket.confirm (the ticketing timeout runs from there), 4 or 5 closes the order and refunds
/// the user. Every attempt failed: Fliggy asks order.query before it gives up (§8).
/// </summary>
public sealed class ConfirmStep : IQimenStep
{
    public string Method => QimenMethods.OrderConfirm;

    public CallRequest? Prepare(JobScope job)
    {
        var order = job.RequireOrder;
        if (order.Status != OrderStatus.AwaitingPayment || !order.Paid || order.AgentOrderId is null) return null;
        return new CallRequest(QimenRequests.OrderRef(order.AgentOrderId, order.Id), new ReplyContext { PassengerPrices = order.Prices(), Now = DateTimeOffset.UtcNow });
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (order.Status != OrderStatus.AwaitingPayment) return true;
        // A status that means nothing here (1: not yet issued, 9, 11) is no answer to "issue the tickets".
        if (ReplyEvents.FromConfirm(call) is not { } evt) return false;
        if (evt.Name == BusEvents.ConfirmIssued) TicketDetails.Copy(order, call.Reply!.Fields!);
        if (evt.Name == BusEvents.ConfirmFailed) order.Note = $"the merchant answered order.confirm with status {Str(call.Reply!.Fields, "status")}: not issued";
        job.Offer(evt, $"order.confirm answered status {Str(call.Reply!.Fields, "status")}");
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (order.Status != OrderStatus.AwaitingPayment) return;
        job.Note("confirm-failed", new JsonObject { ["attempts"] = job.Job.Attempt, ["last"] = job.Describe(call), ["then"] = QimenMethods.OrderQuery });
        job.Follow(new CallJob(job.Tenant, QimenMethods.OrderQuery, order.Id, 1, CallJob.FallbackTag));
    }
}
