using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>
/// What a merchant reply means for the Fliggy order (spec §4.6, §4.7, §4.9, §6.3): the event to offer the order
/// machines, or none when the call failed and its retries (or fallback) decide. A reply Fliggy cannot take
/// (<see cref="QimenCall.Accepted"/> false) means nothing, whatever it says.
/// </summary>
public static class ReplyEvents
{
    /// <summary>
    /// order.confirm: 3 issued, 2 tickets later, 4 or 5 not issued. A failed call yields none: the caller retries,
    /// then asks order.query (<see cref="FromOrderQuery"/>) and closes the order when that does not show it issued.
    /// </summary>
    public static BusEvent? FromConfirm(QimenCall call) => !call.Accepted ? null : Str(call.Reply!.Fields, "status") switch
    {
        OrderStatus.Issued => new BusEvent(BusEvents.ConfirmIssued),
        OrderStatus.AwaitingTickets => new BusEvent(BusEvents.ConfirmPending),
        OrderStatus.Closed or OrderStatus.Cancelled => new BusEvent(BusEvents.ConfirmFailed),
        _ => null,
    };

    /// <summary>
    /// order.query, for reconciliation: an order the merchant reports issued (status 3) while Fliggy waits, and the
    /// tickets it reports refunded offline (<c>isRefund</c>, or the seed's spelling <c>isRrefund</c>) with their
    /// <c>refundAmount</c>. Tickets Fliggy already counts as refunded are not reported again.
    /// </summary>
    public static IReadOnlyList<BusEvent> FromOrderQuery(QimenCall call, BusOrder order)
    {
        if (!call.Accepted) return [];
        var events = new List<BusEvent>();
        var fields = call.Reply!.Fields;
        if (Str(fields, "status") == OrderStatus.Issued && order.Status is OrderStatus.AwaitingPayment or OrderStatus.AwaitingTickets)
            events.Add(new BusEvent(BusEvents.ConfirmIssued));
        var refunded = Objects(fields, "passengerList")
            .Where(p => (Bool(p, "isRefund") ?? Bool(p, "isRrefund")) == true)
            .Select(p => (Id: Str(p, "passengerId"), Amount: Long(p, "refundAmount") ?? 0))
            .Where(p => p.Id is not null && order.Ticket(p.Id) is { Status: not TicketStatus.Refunded })
            .ToList();
        if (refunded.Count > 0)
            events.Add(new BusEvent(BusEvents.OfflineRefund, refunded.Select(p => p.Id!).ToArray(), refunded.Sum(p => p.Amount)));
        return events;
    }

    /// <summary>return.confirm: refundStatus 1 refunded now (its refundAmount goes back to the user), 2 processing. A failure rejects the refund.</summary>
    public static BusEvent? FromReturnConfirm(QimenCall call, IReadOnlyCollection<string> passengerIds) =>
        !call.Accepted ? null : Str(call.Reply!.Fields, "refundStatus") switch
        {
            "1" => new BusEvent(BusEvents.ReturnRefunded, passengerIds, Long(call.Reply.Fields, "refundAmount") ?? 0),
            "2" => new BusEvent(BusEvents.ReturnProcessing, passengerIds),
            _ => null,
        };
}
