using System.Globalization;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyBus.Operations;

/// <summary>
/// <c>taobao.bus.agent.multiple.refund.confirm</c> (综合交通多次退款, spec §5.3): money back only, once or several times
/// per passenger, whatever the tickets' state. <c>total_refund_amount</c> must be Σ(refund_amount +
/// service_charge_refund_amount) (fen); what a ticket gets back in all cannot pass what was paid for it; the order
/// goes to 11 once the refunds reach its amount. A repeated <c>agent_refund_trans_no</c> is DUPLICATE_REQUEST with
/// is_success=true and no effect.
/// </summary>
public static class MultipleRefundConfirm
{
    public const string Method = FliggyBusVocabulary.MultipleRefundConfirm;
    public const string Parameter = "param_agent_multiple_refund_r_q";

    public static TopObject Handle(BusTopCall call)
    {
        RefundPermission.Check(call);
        var agentOrderId = call.Required("agent_order_id");
        call.Required("agent_refund_reason");
        var transNo = "multiple:" + call.Required("agent_refund_trans_no");
        var fliggyOrderId = call.Required("main_biz_order_id");
        var total = call.Long("total_refund_amount") ?? throw BusTopError.Param($"{Parameter}.total_refund_amount (fen) is required");
        var details = call.List("refund_ticket_detail_list").ToList();
        if (details.Count == 0) throw BusTopError.Param($"{Parameter}.refund_ticket_detail_list needs at least one ticket");
        var order = call.Order(fliggyOrderId, agentOrderId);
        lock (order)
        {
            if (order.RefundTransIds.Contains(transNo))
            {
                call.Top.Diagnose($"agent_refund_trans_no {transNo["multiple:".Length..]} was already refunded: nothing done again");
                return new TopObject().Add("is_success", true).Add("result_code", "DUPLICATE_REQUEST").Add("result_msg", "重复请求");
            }
            var shares = new Dictionary<BusTicket, long>();
            for (var i = 0; i < details.Count; i++)
            {
                var d = details[i];
                var at = $"{Parameter}.refund_ticket_detail_list[{i.ToString(CultureInfo.InvariantCulture)}]";
                var ticket = BusTopCall.Ticket(order, JsonRead.Str(d, "agent_ticket_id"), JsonRead.Str(d, "passenger_id_num"))
                             ?? throw BusTopError.Param($"{at} names no ticket of order {order.Id} (agent_ticket_id, or passenger_id_num when there is no ticket id)");
                var amount = Fen(d, "refund_amount", at) + Fen(d, "service_charge_refund_amount", at);
                shares[ticket] = shares.GetValueOrDefault(ticket) + amount;
            }
            var sum = shares.Values.Sum();
            if (sum != total)
                throw BusTopError.Param($"total_refund_amount {total} is not Σ(refund_amount + service_charge_refund_amount) = {sum} (fen)");
            foreach (var (ticket, amount) in shares)
                if (ticket.RefundedAmount + amount > ticket.TicketPrice)
                    throw BusTopError.AmountExceed($"passenger {ticket.PassengerId} paid {ticket.TicketPrice} fen and got {ticket.RefundedAmount} back already: {amount} more is too much");
            var evt = new BusEvent(BusEvents.MoneyRefunded, shares.Keys.Select(t => t.PassengerId).ToList(), total);
            var plan = call.Bus.Machines.Plan(order, evt);
            if (!plan.Allowed) throw BusTopError.OrderStatus(plan.Refusal!);
            foreach (var (ticket, amount) in shares) ticket.RefundedAmount += amount;
            call.Offer(order, evt, $"{Method} {call.Str("agent_refund_reason")}");
            order.RefundTransIds.Add(transNo);
            call.S.Orders.Save(call.Uow, call.Tenant.Id, order);
        }
        return BusTopCall.Ok();
    }

    static long Fen(System.Text.Json.Nodes.JsonObject o, string field, string at)
    {
        if (JsonRead.Str(o, field) is not { } text) return 0;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw BusTopError.Param($"{at}.{field} '{text}' is not an amount in fen (a whole, non-negative number)");
    }
}
