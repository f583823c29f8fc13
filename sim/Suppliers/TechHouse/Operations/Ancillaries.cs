using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>GetSSRAvailability and SellSSR (spec §5.4, §5.5): ancillaries per segment and their sale to passengers.</summary>
static class Ancillaries
{
    public static SupplierReply GetSSRAvailability(TechHouseCall call)
    {
        var r = call.Request;
        var session = call.Session();
        var offers = new List<(string Flight, IReadOnlyList<SsrInfo> Ssrs)>();
        foreach (var seg in r.Array("segments"))
        {
            var flight = SegmentOf(call, session, seg);
            var ssrs = call.Catalog.Ssrs(flight, session.Routing.Currency);
            offers.Add((seg.Str("flightNumber"), ssrs));
        }
        if (offers.All(o => o.Ssrs.Count == 0)) throw new TechHouseError(TechHouseStatus.NoSsrData);
        lock (session)
            foreach (var (flight, ssrs) in offers)
            {
                if (!session.OfferedSsrs.TryGetValue(flight, out var codes)) session.OfferedSsrs[flight] = codes = new(StringComparer.OrdinalIgnoreCase);
                codes.UnionWith(ssrs.Select(s => s.Code));
            }

        var reply = call.Ok("Success");
        var w = reply.W;
        w.WriteStartArray("ssrs");
        foreach (var (flight, ssrs) in offers)
        {
            w.WriteStartObject();
            w.WriteStartArray("ssrs");
            foreach (var s in ssrs)
            {
                w.WriteStartObject();
                w.WriteString("currency", session.Routing.Currency);
                reply.Money("amount", s.Amount);
                w.WriteString("code", s.Code);
                w.WriteString("name", s.Name);
                w.WriteNumber("weight", s.Weight);
                w.WriteNumber("typeweight", s.Weight);
                w.WriteString("type", s.Type);
                w.WriteNumber("applyType", s.ApplyType);
                w.WriteString("unit", s.Unit);
                w.WriteString("desc", s.Desc);
                w.WriteString("img", "");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("flightno", flight);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return call.Finish(reply);
    }

    public static SupplierReply SellSSR(TechHouseCall call)
    {
        var r = call.Request;
        var session = call.Session();
        lock (session)
        {
            if (!session.HasPassengers) throw new TechHouseError(TechHouseStatus.NoPassengers);
            var sales = new List<SoldSsr>();
            foreach (var item in r.Array("ssrs"))
            {
                var passengerId = item.Str("passengerId");
                if (session.Passengers!.All(p => p.PassengerId != passengerId))
                    throw new TechHouseError(TechHouseStatus.PassengerNotFound, $"passengerId {passengerId} does not exist");
                var flight = SegmentOf(call, session, item);
                var code = item.OptStr("ssrcode") ?? item.Str("ssrCode");
                var count = item.Int("count");
                if (count < 1) throw item.Bad("count", "must be at least 1");
                var offered = session.OfferedSsrs.TryGetValue(flight.FlightNumber, out var codes)
                    ? codes
                    : call.Catalog.Ssrs(flight, session.Routing.Currency).Select(s => s.Code).ToHashSet();
                var ssr = call.Catalog.Ssrs(flight, session.Routing.Currency).FirstOrDefault(s => s.Code.Equals(code, StringComparison.OrdinalIgnoreCase));
                if (ssr is null || !offered.Contains(code))
                    throw new TechHouseError(TechHouseStatus.SsrCodeMismatch, $"{code} was not offered for {flight.FlightNumber}");
                if (ssr.ApplyType == 2) throw new TechHouseError(TechHouseStatus.SsrCodeMismatch, $"{code} can only be bought after booking");
                sales.Add(new SoldSsr(flight.FlightNumber, ssr.Code, count, passengerId, ssr.Amount, session.Routing.Currency));
            }
            // Sales are additive: the same flight, passenger and code again adds to the count.
            foreach (var sale in sales)
            {
                var i = session.Ssrs.FindIndex(s => s.FlightNumber == sale.FlightNumber && s.PassengerId == sale.PassengerId && s.Ssrcode == sale.Ssrcode);
                if (i >= 0) session.Ssrs[i] = session.Ssrs[i] with { Count = session.Ssrs[i].Count + sale.Count };
                else session.Ssrs.Add(sale);
            }
        }
        var reply = call.Ok("Success");
        reply.W.WriteString("sessionId", session.Id);
        reply.Money("totalCost", session.Total);
        reply.W.WriteString("currency", session.Routing.Currency);
        return call.Finish(reply);
    }

    /// <summary>The catalogue flight a request segment names; it must be one of the session's segments (else 1004).</summary>
    public static Flight SegmentOf(TechHouseCall call, BookingSession session, RequestFields seg)
    {
        var number = seg.Str("flightNumber");
        var dep = seg.Str("depAirport");
        var arr = seg.Str("arrAirport");
        var depDate = seg.Str("depDate");
        var segment = session.Routing.AllSegments.FirstOrDefault(s =>
            s.FlightNumber.Equals(number, StringComparison.OrdinalIgnoreCase)
            && s.DepAirport.Equals(dep, StringComparison.OrdinalIgnoreCase)
            && s.ArrAirport.Equals(arr, StringComparison.OrdinalIgnoreCase)
            && s.DepTime.StartsWith(depDate, StringComparison.Ordinal))
            ?? throw seg.Bad("flightNumber", $"{number} {dep}-{arr} {depDate} is not a segment of this session");
        var date = DateOnly.ParseExact(segment.DepTime[..8], "yyyyMMdd");
        return call.Catalog.FindFlight(segment.DepAirport, segment.ArrAirport, date, segment.FlightNumber)
               ?? throw seg.Bad("flightNumber", "is no longer in the catalogue");
    }
}
