using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>
/// order.create (spec §4.5): the order's create body, the same on every attempt (the merchant is idempotent on
/// alitripOrderId). Taken: the merchant's order id and ticket ids are kept, the order and tickets start at 1 and the
/// payment deadline is min(lockExpireTime, now + paymentDeadline). Every attempt failed: the booking fails
/// (下单失败，请重试) and nothing is closed, as no agentOrderId exists (§8).
/// </summary>
public sealed class CreateStep : IQimenStep
{
    public string Method => QimenMethods.OrderCreate;

    public CallRequest? Prepare(JobScope job)
    {
        var order = job.RequireOrder;
        if (order.Status != OrderStatus.Creating) return null;
        return new CallRequest((JsonObject)JsonNode.Parse(order.CreateBody)!, new ReplyContext { PassengerPrices = order.Prices(), Now = DateTimeOffset.UtcNow });
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (order.Status != OrderStatus.Creating) return true;
        var fields = call.Reply!.Fields!;
        order.AgentOrderId = Str(fields, "agentOrderId");
        foreach (var p in Objects(fields, "passengerList"))
            if (Str(p, "passengerId") is { } id && order.Ticket(id) is { } ticket && Str(p, "ticketId") is { } ticketId) ticket.TicketId = ticketId;
        var now = job.NowMs;
        var deadline = now + (long)job.Bus.Settings.PaymentDeadline.TotalMilliseconds;
        // The merchant's seat lock runs on its own (real) clock: what is left of it counts from the tenant's now.
        if (Str(fields, "lockExpireTime") is { } text && ReplyValidator.ParseChina(text) is { } lockAt)
            deadline = Math.Min(deadline, now + Math.Max(0, (long)(lockAt - DateTimeOffset.UtcNow).TotalMilliseconds));
        order.PaymentDeadlineMs = deadline;
        foreach (var t in order.Tickets) t.Status = job.Bus.Machines.Ticket.Initial;
        job.S.IndexAgentOrder(job.Uow, job.Tenant, order.AgentOrderId!, order.Id);
        job.S.Engine.Lifecycle.Apply(job.Bus.Tenant, FliggyBusServices.Supplier, FliggyBusServices.OrderKind, order, job.Bus.Machines.Order.Initial, null,
            Method, job.Uow);
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (order.Status != OrderStatus.Creating) return;
        order.Note = $"下单失败，请重试: order.create failed {job.Job.Attempt} time(s), the last {job.Describe(call)}";
        job.S.Engine.Lifecycle.Apply(job.Bus.Tenant, FliggyBusServices.Supplier, FliggyBusServices.OrderKind, order, OrderStatus.CreateFailed, null,
            Method + " failed", job.Uow);
    }
}
