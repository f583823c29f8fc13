using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>What order.confirm and order.query tell about each issued ticket (spec §4.6): ticket id, number, password, seat.</summary>
static class TicketDetails
{
    public static void Copy(BusOrder order, JsonObject reply)
    {
        foreach (var p in Objects(reply, "passengerList"))
        {
            if (Str(p, "passengerId") is not { } id || order.Ticket(id) is not { } t) continue;
            t.TicketId = Str(p, "ticketId") ?? t.TicketId;
            t.TicketNo = Str(p, "ticketNo") ?? Str(p, "eTicketNo") ?? t.TicketNo;
            t.TicketPwd = Str(p, "ticketPwd") ?? t.TicketPwd;
            t.SeatNo = Str(p, "ticketSeatNo") ?? t.SeatNo;
        }
    }
}
