using System.Globalization;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyBus.Operations;

/// <summary>
/// <c>taobao.bus.agent.refund.confirm</c> (退票和退款二合一, spec §5.2): the merchant reports a refund it made. Status 1
/// refunds the ticket(s) — agent_refund_amount yuan back to the user, tickets 5, the order 11 once every ticket is — and
/// status 2 reports the refund failed (tickets 6, the order back to 3). An asynchronous return.confirm (order 9,
/// tickets 4) is what it normally answers; an offline refund (<c>agent_return_mode=offline</c>) or a forced one after a
/// stoppage (<c>refund_scene=force</c>) needs none. The same <c>agent_refund_trans_id</c> again is a success without
/// effect.
/// </summary>
public static class RefundConfirm
{
    public const string Method = FliggyBusVocabulary.RefundConfirm;
    public const string Parameter = "param_agent_confirm_return_and_refund_r_q";

    public static TopObject Handle(BusTopCall call)
    {
        RefundPermission.Check(call);
        var agentOrderId = call.Required("agent_order_id");
        var status = call.Long("agent_return_ticket_status")
                     ?? throw BusTopError.Param($"{Parameter}.agent_return_ticket_status is required: 1 success, 2 failure");
        if (status is not (1 or 2)) throw BusTopError.Param($"agent_return_ticket_status is 1 (success) or 2 (failure), not {status}");
        // The Go SDK leaves 0 (per ticket) out of the JSON: absent is 0.
        var type = call.Long("agent_return_ticket_type") ?? 0;
        if (type is not (0 or 1)) throw BusTopError.Param($"agent_return_ticket_type is 0 (per ticket) or 1 (per order), not {type}");
        var order = call.Order(call.Str("main_biz_order_id"), agentOrderId);
        var transId = call.Str("agent_refund_trans_id") is { } t ? "refund:" + t : null;
        var offline = call.Str("agent_return_mode") == "offline" || call.Str("refund_scene") == "force";
        lock (order)
        {
            if (transId is not null && order.RefundTransIds.Contains(transId)) return BusTopCall.Ok();
            var tickets = Tickets(call, order, type);
            var ids = tickets.Select(x => x.PassengerId).ToList();
            BusEvent evt;
            if (status == 1)
            {
                var yuan = call.Str("agent_refund_amount")
                           ?? throw BusTopError.Param($"{Parameter}.agent_refund_amount (yuan) is required when the refund succeeded");
                if (!decimal.TryParse(yuan, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0)
                    throw BusTopError.Param($"agent_refund_amount '{yuan}' is not an amount in yuan");
                var fen = (long)Math.Round(amount * 100, MidpointRounding.AwayFromZero);
                var refundable = tickets.Sum(x => x.TicketPrice - x.RefundedAmount);
                if (fen > refundable)
                    throw BusTopError.AmountExceed($"agent_refund_amount {yuan} yuan ({fen} fen) is above the {refundable} fen still refundable on ticket(s) {string.Join(",", ids)}");
                evt = new BusEvent(offline ? BusEvents.OfflineRefund : BusEvents.RefundSucceeded, ids, fen);
                Require(call, order, evt, tickets, offline ? [TicketStatus.Issued, TicketStatus.Refunding, TicketStatus.RefundFailed] : [TicketStatus.Refunding]);
                Spread(tickets, fen);
            }
            else
            {
                var code = call.Long("agent_return_ticket_code")
                           ?? throw BusTopError.Param($"{Parameter}.agent_return_ticket_code is required when the refund failed");
                evt = new BusEvent(BusEvents.RefundFailed, ids);
                Require(call, order, evt, tickets, [TicketStatus.Refunding]);
                order.Note = $"the merchant reported the refund of {string.Join(",", ids)} failed (agent_return_ticket_code {code})";
            }
            call.Offer(order, evt, $"{Method} status {status}{(offline ? " (offline/force)" : "")}");
            if (transId is not null) order.RefundTransIds.Add(transId);
            call.S.Orders.Save(call.Uow, call.Tenant.Id, order);
        }
        return BusTopCall.Ok();
    }

    /// <summary>Per ticket: the one named by agent_ticket_id or passenger_id_num; per order: every ticket not yet refunded.</summary>
    static List<BusTicket> Tickets(BusTopCall call, BusOrder order, long type)
    {
        if (type == 1) return order.Tickets.Where(x => x.Status != TicketStatus.Refunded).ToList();
        var ticketId = call.Str("agent_ticket_id");
        var certNo = call.Str("passenger_id_num");
        if (ticketId is null && certNo is null)
            throw BusTopError.Param($"a per-ticket refund (agent_return_ticket_type 0) names its ticket: agent_ticket_id or passenger_id_num");
        return BusTopCall.Ticket(order, ticketId, certNo) is { } ticket
            ? [ticket]
            : throw BusTopError.Param($"order {order.Id} has no ticket {(ticketId is not null ? "agent_ticket_id " + ticketId : "for passenger_id_num " + certNo)}");
    }

    static void Require(BusTopCall call, BusOrder order, BusEvent evt, List<BusTicket> tickets, string[] ticketStates)
    {
        if (tickets.Count == 0) throw BusTopError.OrderStatus($"order {order.Id} has no ticket left to refund");
        if (tickets.FirstOrDefault(x => !ticketStates.Contains(x.Status)) is { } wrong)
            throw BusTopError.OrderStatus($"ticket of passenger {wrong.PassengerId} is {wrong.Status} ({TicketStatus.Label(wrong.Status)}); {evt.Name} needs {string.Join(" or ", ticketStates)}"
                                          + (evt.Name == BusEvents.RefundSucceeded ? " — refund.confirm follows an asynchronous return.confirm, or says agent_return_mode=offline" : ""));
        var plan = call.Bus.Machines.Plan(order, evt);
        if (!plan.Allowed) throw BusTopError.OrderStatus(plan.Refusal!);
    }

    /// <summary>The refund over the tickets in order, each up to what is still refundable on it.</summary>
    internal static void Spread(IEnumerable<BusTicket> tickets, long amount)
    {
        foreach (var t in tickets)
        {
            var share = Math.Min(amount, t.TicketPrice - t.RefundedAmount);
            t.RefundedAmount += share;
            amount -= share;
        }
    }
}
