using System.Globalization;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>LowFareSearch (spec §5.1): fares for a one-way or round trip, synchronous or polled by searchId.</summary>
static class Search
{
    const int MaxRoundTripCombinations = 20;

    public static SupplierReply LowFareSearch(TechHouseCall call)
    {
        var r = call.Request;
        var tripType = r.Str("tripType");
        if (tripType is not ("1" or "2")) throw r.Bad("tripType", "must be \"1\" (one-way) or \"2\" (round trip)");
        var from = Airport(r, "fromCity");
        var to = Airport(r, "toCity");
        var fromDate = Date(r, "fromDate");
        var retText = r.OptStr("retDate");
        DateOnly? retDate = null;
        if (tripType == "2")
        {
            if (string.IsNullOrEmpty(retText)) throw r.Bad("retDate", "is required for a round trip");
            retDate = Date(r, "retDate");
            if (retDate < fromDate) throw r.Bad("retDate", "is before fromDate");
        }
        var adults = Count(r, "adultNumber", 1);
        var children = Count(r, "childNumber", 0);
        if (r.OptInt("timeout") is { } timeout && timeout is < 1 or > 60) throw r.Bad("timeout", "must be 1-60 seconds");
        var sync = r.OptInt("sync") ?? 1;
        var searchId = r.OptStr("searchId");

        var route = call.Catalog.Route(from, to) ?? throw new TechHouseError(TechHouseStatus.RouteNotSupported, $"route not supported: {from}-{to}");
        var today = DateOnly.FromDateTime(call.Now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        if (!call.Settings.AcceptPastDates && fromDate < today) throw r.Bad("fromDate", "is in the past");

        var routings = Routings(call, route, fromDate, retDate, adults, children);
        if (routings.Count == 0 && !call.Settings.NoFlightsAsEmpty)
            throw new TechHouseError(TechHouseStatus.NoFlights);

        // Async search (sync = 0): the first call answers part of the set with a searchId, later calls the whole set.
        var partial = false;
        if (sync == 0)
        {
            if (searchId is null)
            {
                searchId = call.Services.StartAsyncSearch(call.Uow, call.Tenant.Id, call.NowMs);
                partial = true;
            }
            else if (!call.Services.IsAsyncSearch(call.Tenant.Id, searchId))
                throw r.Bad("searchId", "is unknown");
        }
        searchId ??= call.Services.NextSearchId();
        var shown = partial ? routings.Take((routings.Count + 1) / 2).ToList() : routings;

        var reply = call.Ok();
        reply.W.WriteString("searchId", searchId);
        reply.W.WriteStartArray("routings");
        foreach (var routing in shown)
        {
            reply.W.WriteStartObject();
            reply.Routing(routing, call.Settings.CodeShareAsString);
            reply.W.WriteEndObject();
        }
        reply.W.WriteEndArray();
        reply.W.WriteStartObject("carriers");
        foreach (var carrier in route.Carriers)
            reply.W.WriteNumber(carrier, shown.Count(x => x.FromSegments[0].Carrier == carrier));
        reply.W.WriteEndObject();
        return call.Finish(reply);
    }

    static List<PricedRouting> Routings(TechHouseCall call, CatalogRoute route, DateOnly fromDate, DateOnly? retDate, int adults, int children)
    {
        var catalog = call.Catalog;
        var tenant = call.Tenant.Id;
        var inv = call.Services.Inventory;
        var track = call.Settings.TrackInventory;
        var pax = adults + children;
        var horizon = DateOnly.FromDateTime(call.Now.UtcDateTime).AddDays(catalog.HorizonDays);
        if (fromDate > horizon || retDate > horizon) return [];

        (Flight, FareClass)? Cheapest(Flight f) =>
            f.Classes.Where(c => RoutingFactory.SeatsLeft(inv, tenant, f, c, track) >= pax).OrderBy(c => c.AdultFare)
                .Select(c => ((Flight, FareClass)?)(f, c)).FirstOrDefault();

        var outbound = catalog.Flights(route, fromDate).Select(Cheapest).OfType<(Flight, FareClass)>().ToList();
        var key = call.Services.TokenKey(tenant);
        var fromText = fromDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (retDate is null)
            return outbound.Select(o =>
            {
                var data = new FareToken(route.From, route.To, fromText, "", o.Item1.FlightNumber, o.Item2.Cabin, "", "", adults, children, call.NowMs).Encode(key);
                return RoutingFactory.Price([o], data, inv, tenant, track, false, route.From, route.To, fromText);
            }).ToList();

        var back = catalog.Route(route.To, route.From)!;
        var retText = retDate.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var inbound = catalog.Flights(back, retDate.Value).Select(Cheapest).OfType<(Flight, FareClass)>()
            .Where(i => outbound.Count == 0 || i.Item1.DepTime > outbound.Min(o => o.Item1.ArrTime)).ToList();
        return outbound.SelectMany(o => inbound.Where(i => i.Item1.DepTime > o.Item1.ArrTime).Select(i => (o, i)))
            .OrderBy(p => p.o.Item2.AdultFare + p.i.Item2.AdultFare)
            .Take(MaxRoundTripCombinations)
            .Select(p =>
            {
                var data = new FareToken(route.From, route.To, fromText, retText, p.o.Item1.FlightNumber, p.o.Item2.Cabin,
                    p.i.Item1.FlightNumber, p.i.Item2.Cabin, adults, children, call.NowMs).Encode(key);
                return RoutingFactory.Price([p.o, p.i], data, inv, tenant, track, false, route.From, route.To, fromText);
            }).ToList();
    }

    public static string Airport(RequestFields r, string name)
    {
        var v = r.Str(name).Trim().ToUpperInvariant();
        return v.Length == 3 && v.All(char.IsAsciiLetterOrDigit) ? v : throw r.Bad(name, "must be a 3-letter IATA code");
    }

    public static DateOnly Date(RequestFields r, string name) =>
        DateOnly.TryParseExact(r.Str(name), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw r.Bad(name, "must be a date yyyyMMdd");

    /// <summary>Passenger counts: "less than 9" (spec §5.1), 0-8.</summary>
    public static int Count(RequestFields r, string name, int fallback)
    {
        var n = r.OptInt(name) ?? fallback;
        return n is >= 0 and <= 8 ? n : throw r.Bad(name, "must be 0-8");
    }
}
