using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>
/// return.query (spec §4.8): the fee per passenger of the refund the user asked for. <c>canRefund</c> false, or every
/// attempt failed: the refund is not offered. Otherwise the quoted fees go to return.confirm at once. A fee that is not
/// the line's rule is a warning in the call log; the merchant's value is used (§7).
/// </summary>
public sealed class ReturnQueryStep : IQimenStep
{
    public string Method => QimenMethods.ReturnQuery;

    public CallRequest? Prepare(JobScope job)
    {
        var order = job.RequireOrder;
        if (order.Refund is not { Stage: BusRefund.QueryStage } refund || order.AgentOrderId is null) return null;
        return new CallRequest(
            QimenRequests.ReturnQuery(order.AgentOrderId, order.Id, refund.PassengerIds.Select(id => (id, order.Ticket(id)?.TicketId))),
            RefundContext.For(job, order, refund.PassengerIds));
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        var order = job.RequireOrder;
        if (order.Refund is not { Stage: BusRefund.QueryStage } refund) return true;
        var fields = call.Reply!.Fields!;
        if (Bool(fields, "canRefund") != true)
        {
            NotOffered(job, refund, Str(fields, "refuseReason") ?? "the merchant answered canRefund false");
            return true;
        }
        var quoted = Objects(fields, "passengerList").Where(p => Str(p, "passengerId") is not null)
            .GroupBy(p => Str(p, "passengerId")!).ToDictionary(g => g.Key, g => Long(g.First(), "refundSurcharge"));
        var rules = order.RefundRules is { Count: > 0 } own ? own : job.Bus.DefaultRefundRules;
        var hours = order.DepartureMs is { } d ? (decimal)(d - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) / 3_600_000m : 48m;
        foreach (var id in refund.PassengerIds)
        {
            if (quoted.GetValueOrDefault(id) is { } fee) refund.Fees[id] = fee;
            else if (RefundPolicy.Quote(rules, order.Ticket(id)!.TicketPrice, hours) is { CanRefund: true } rule) refund.Fees[id] = rule.Fee;
            else
            {
                NotOffered(job, refund, $"the merchant quoted no fee for passenger {id}, and the line's rule does not refund it now");
                return true;
            }
        }
        refund.Stage = BusRefund.ConfirmStage;
        job.Note("refund-quoted", new JsonObject { ["fees"] = new JsonObject(refund.Fees.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))) });
        job.Follow(new CallJob(job.Tenant, QimenMethods.ReturnConfirm, order.Id, 1));
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call)
    {
        if (job.RequireOrder.Refund is { Stage: BusRefund.QueryStage } refund) NotOffered(job, refund, "return.query failed: " + job.Describe(call));
    }

    static void NotOffered(JobScope job, BusRefund refund, string reason)
    {
        var order = job.RequireOrder;
        order.Refund = null;
        order.LastRefund = new BusRefundOutcome(refund.PassengerIds, BusRefundOutcome.NotOffered, reason, null);
        job.Note("refund-not-offered", new JsonObject { ["passengers"] = string.Join(",", refund.PassengerIds), ["reason"] = reason });
    }
}

/// <summary>What a refund reply is checked against: the passengers' prices, the order's refund rule and departure.</summary>
static class RefundContext
{
    public static ReplyContext For(JobScope job, BusOrder order, IEnumerable<string> passengerIds) => new()
    {
        PassengerPrices = order.Prices(passengerIds),
        Line = new Line(order.LineId, "", 0, order.FromCity, order.ToCity, [], [], true, order.IsOrderRefund, order.RefundRules ?? [], false, null, null, null, null),
        Departure = order.DepartureMs is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null,
        DefaultRefundRules = job.Bus.DefaultRefundRules,
        Now = DateTimeOffset.UtcNow,
    };
}
