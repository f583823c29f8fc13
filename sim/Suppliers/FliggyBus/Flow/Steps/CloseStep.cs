using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>order.close's <c>closeType</c> (spec §4.11).</summary>
public static class CloseTypes
{
    public const int PaymentTimeout = 1;
    public const int TicketingTimeout = 2;
    public const int UserCancel = 3;

    /// <summary>
    /// The close type of a transition that emits order.close: a ticketing timeout out of 2, a user's cancel, else the
    /// payment timeout (also for a transition an admin forced out of 1).
    /// </summary>
    public static int For(string from, string cause) =>
        from == OrderStatus.AwaitingTickets ? TicketingTimeout : cause == BusEvents.UserCancel ? UserCancel : PaymentTimeout;

    public static string Reason(int closeType) => closeType switch
    {
        PaymentTimeout => "支付超时",
        TicketingTimeout => "出票超时",
        _ => "用户取消",
    };
}

/// <summary>
/// order.close (spec §4.11): releases the merchant's order after Fliggy closed or cancelled it. Fliggy's side has
/// already moved (order 4 or 5); every attempt failed: Fliggy gives up and logs it (§3).
/// </summary>
public sealed class CloseStep : IQimenStep
{
    public string Method => QimenMethods.OrderClose;

    public CallRequest? Prepare(JobScope job)
    {
        var order = job.RequireOrder;
        if (order.AgentOrderId is null) return null;
        var closeType = CloseType(job);
        return new CallRequest(QimenRequests.OrderClose(order.AgentOrderId, order.Id, closeType, CloseTypes.Reason(closeType)),
            new ReplyContext { Now = DateTimeOffset.UtcNow });
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        job.Note("closed-at-merchant", new JsonObject { ["closeType"] = CloseType(job) });
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call)
    {
        job.RequireOrder.Note = $"order.close (closeType {CloseType(job)}) failed {job.Job.Attempt} time(s); Fliggy gave up: {job.Describe(call)}";
        job.Note("close-gave-up", new JsonObject { ["closeType"] = CloseType(job), ["last"] = job.Describe(call) });
    }

    static int CloseType(JobScope job) =>
        int.TryParse(job.Job.Arg, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : CloseTypes.PaymentTimeout;
}
