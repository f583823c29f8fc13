using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>GetSeatAvailability and AssignSeats (spec §5.6, §5.7): the seat map of one flight and seat selection.</summary>
static class Seats
{
    public static SupplierReply GetSeatAvailability(TechHouseCall call)
    {
        var session = call.Session();
        var flight = Ancillaries.SegmentOf(call, session, call.Request);
        var cabinClass = CabinClassOf(session, flight);
        var map = call.Catalog.SeatMap(flight, cabinClass, session.Routing.Currency);
        if (map.Count == 0) throw new TechHouseError(TechHouseStatus.NoSeatData);
        var holders = call.Services.Inventory.SeatHolders(call.Tenant.Id, flight.Key);
        lock (session)
        {
            if (!session.OfferedSeats.TryGetValue(flight.FlightNumber, out var offered))
                session.OfferedSeats[flight.FlightNumber] = offered = new(StringComparer.OrdinalIgnoreCase);
            offered.UnionWith(map.Select(s => s.Designator));
        }

        var reply = call.Ok("Success");
        var w = reply.W;
        w.WriteStartObject("result");
        w.WriteStartArray("seats");
        foreach (var seat in map)
        {
            // Seats another session or order holds show as Close; the caller's own stay Open.
            var open = seat.Open && (!holders.TryGetValue(seat.Designator, out var holder) || holder == session.Id);
            w.WriteStartObject();
            w.WriteString("availability", open ? "Open" : "Close");
            w.WriteString("designator", seat.Designator);
            w.WriteString("classCode", seat.ClassCode);
            reply.Money("amount", seat.Amount);
            w.WriteString("currency", session.Routing.Currency);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        return call.Finish(reply);
    }

    public static SupplierReply AssignSeats(TechHouseCall call)
    {
        var r = call.Request;
        var session = call.Session();
        var flight = Ancillaries.SegmentOf(call, session, r);
        var holders = call.Services.Inventory.SeatHolders(call.Tenant.Id, flight.Key);
        lock (session)
        {
            if (!session.HasPassengers) throw new TechHouseError(TechHouseStatus.NoPassengers);
            var requested = r.Array("seats").Select(s => (PassengerId: s.Str("passengerId"), Designator: s.Str("designator").ToUpperInvariant())).ToList();
            foreach (var (pid, _) in requested)
                if (session.Passengers!.All(p => p.PassengerId != pid))
                    throw new TechHouseError(TechHouseStatus.PassengerNotFound, $"passengerId {pid} does not exist");
            var map = call.Catalog.SeatMap(flight, CabinClassOf(session, flight), session.Routing.Currency).ToDictionary(s => s.Designator, StringComparer.OrdinalIgnoreCase);
            var offered = session.OfferedSeats.GetValueOrDefault(flight.FlightNumber) ?? map.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var (_, designator) in requested)
            {
                if (!map.TryGetValue(designator, out var seat) || !offered.Contains(designator))
                    throw new TechHouseError(TechHouseStatus.SeatCodeMismatch, $"seat {designator} is not in the seat map of {flight.FlightNumber}");
                if (!seat.Open || (holders.TryGetValue(designator, out var holder) && holder != session.Id))
                    throw new TechHouseError(TechHouseStatus.SeatNotSelectable, $"seat {designator} is not selectable");
            }
            if (requested.Select(x => x.Designator).Distinct(StringComparer.OrdinalIgnoreCase).Count() != requested.Count)
                throw new TechHouseError(TechHouseStatus.SeatNotSelectable, "two passengers on the same seat");
            foreach (var (pid, designator) in requested)
            {
                var previous = session.Seats.FindIndex(s => s.FlightNumber == flight.FlightNumber && s.PassengerId == pid);
                if (previous >= 0)
                {
                    holders.TryRemove(session.Seats[previous].Designator, out _);
                    session.Seats.RemoveAt(previous);
                }
                if (!holders.TryAdd(designator, session.Id) && holders[designator] != session.Id)
                    throw new TechHouseError(TechHouseStatus.SeatNotSelectable, $"seat {designator} was just taken");
                session.Seats.Add(new AssignedSeat(flight.FlightNumber, designator, pid, map[designator].Amount, session.Routing.Currency));
            }
        }
        var reply = call.Ok("Success");
        reply.Money("totalCost", session.Total);
        reply.W.WriteString("currency", session.Routing.Currency);
        return call.Finish(reply);
    }

    static string CabinClassOf(BookingSession session, Flight flight) =>
        session.Routing.AllSegments.First(s => s.FlightNumber == flight.FlightNumber).CabinClass;
}
