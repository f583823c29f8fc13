using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyBus.Operations;

/// <summary>
/// <c>taobao.bus.agent.bookticket.confirm</c> (确认出票是否成功, spec §5.1): the merchant reports the ticketing result of
/// an order Fliggy left at 2 (等待出票). success=true issues the tickets (order 3, tickets 2; a repeat at 3 is
/// idempotent), success=false fails them (order 4, tickets 3, the user refunded). A late call after the ticketing
/// timeout closed the order is ORDER_STATUS_ERROR. Amounts are fen; certificate types 01–04 stand for the Qimen 1–4.
/// </summary>
public static class BookTicketConfirm
{
    public const string Method = FliggyBusVocabulary.BookTicketConfirm;
    public const string Parameter = "param_agent_confirm_book_r_q";

    public static TopObject Handle(BusTopCall call)
    {
        var agentOrderId = call.Required("agent_order_id");
        var fliggyOrderId = call.Str("bus_inner_order_id")
                            ?? throw BusTopError.Param($"{Parameter}.bus_inner_order_id is required: the Fliggy order id (alitripOrderId) the tickets are for");
        var success = call.Flag("success");
        var order = call.Order(fliggyOrderId, agentOrderId);
        var bus = call.Bus;
        lock (order)
        {
            if (call.Long("ticket_count") is { } count && count != order.Tickets.Count)
                throw BusTopError.Param($"ticket_count {count}, but order {order.Id} has {order.Tickets.Count} passengers");
            if (call.Long("total_price") is { } total && total != order.OrderAmount)
                throw BusTopError.Param($"total_price {total}, but order {order.Id} was paid {order.OrderAmount} fen (amounts are fen, not yuan)");
            var passengers = Passengers(call, order);
            if (success && order.Status == OrderStatus.Issued) return BusTopCall.Ok();
            var evt = new BusEvent(success ? BusEvents.BookTicketSucceeded : BusEvents.BookTicketFailed);
            var plan = bus.Machines.Plan(order, evt);
            if (!plan.Allowed)
                throw BusTopError.OrderStatus(order.Status == OrderStatus.Closed
                    ? $"order {order.Id} is 4 (订单关闭): the ticketing timeout or a failed ticketing closed it before this call"
                    : plan.Refusal!);
            foreach (var (ticket, info) in passengers)
            {
                ticket.TicketId = JsonRead.Str(info, "agent_ticket_id") ?? ticket.TicketId;
                ticket.SeatNo = JsonRead.Str(info, "seat_no") ?? ticket.SeatNo;
            }
            if (success && call.Str("rider_seat_numbers") is { } seats && passengers.Count == 0)
                foreach (var (ticket, seat) in order.Tickets.Zip(seats.Split(',', StringSplitOptions.TrimEntries)))
                    ticket.SeatNo ??= seat;
            if (success && call.Str("fetch_tickets_pwd") is { } pwd)
                foreach (var ticket in order.Tickets) ticket.TicketPwd ??= pwd;
            if (!success) order.Note = "the merchant reported the ticketing failed (bookticket.confirm success=false): closed, the user refunded";
            call.Offer(order, evt, Method + (success ? " success=true" : " success=false"));
        }
        return BusTopCall.Ok();
    }

    /// <summary>passenger_info_list matched to the order's tickets by certificate (type and number).</summary>
    static List<(BusTicket Ticket, JsonObject Info)> Passengers(BusTopCall call, BusOrder order)
    {
        var matched = new List<(BusTicket, JsonObject)>();
        var i = 0;
        foreach (var p in call.List("passenger_info_list"))
        {
            var at = $"{Parameter}.passenger_info_list[{i.ToString(CultureInfo.InvariantCulture)}]";
            var certNo = JsonRead.Str(p, "passenger_cert_no");
            var ticket = certNo is null ? null : order.Tickets.FirstOrDefault(t => t.PassengerCertificateNo == certNo);
            if (ticket is null) throw BusTopError.Param($"{at}.passenger_cert_no '{certNo}' is no passenger of order {order.Id}");
            if (JsonRead.Str(p, "passenger_cert_type") is { } type && CertificateTypes.FromTop(type) != ticket.PassengerCertificateType)
                throw BusTopError.Param($"{at}.passenger_cert_type '{type}' is not the passenger's ({CertificateTypes.ToTop(ticket.PassengerCertificateType)}; 01 身份证, 02 护照, 03 港澳通行证, 04 台湾通行证)");
            matched.Add((ticket, p));
            i++;
        }
        return matched;
    }
}
