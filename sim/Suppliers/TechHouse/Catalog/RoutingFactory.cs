using System.Globalization;
using Sandbox.Suppliers.TechHouse.Model;

namespace Sandbox.Suppliers.TechHouse.Catalog;

/// <summary>Turns catalogue flights into priced routings, and a routing token back into the same routing.</summary>
public static class RoutingFactory
{
    public const int RouteType = 1;
    const decimal PriceChangeFactor = 1.08m;

    public static Segment ToSegment(Flight f, FareClass c) => new(
        f.Carrier, f.FlightNumber, f.DepAirport, f.DepTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture),
        f.ArrAirport, f.ArrTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture), f.StopCities, false, f.Duration,
        c.Cabin, c.CabinClass, f.Aircraft, Math.Round(c.AdultFare * 0.05m));

    public static int SeatsLeft(Inventory inv, string tenant, Flight f, FareClass c, bool track) =>
        track ? Math.Max(0, c.Seats - inv.Booked(tenant, Inventory.Key(f, c.Cabin))) : c.Seats;

    /// <summary>
    /// Rebuilds the routing a token names from the catalogue, with live seat counts; <paramref name="priceChanged"/>
    /// moves the fares up as a re-price would.
    /// </summary>
    public static (PricedRouting Routing, IReadOnlyList<(Flight Flight, FareClass Class)> Legs)? Rebuild(
        FlightCatalog catalog, FareToken t, string data, Inventory inv, string tenant, bool track, bool priceChanged)
    {
        var legs = new List<(Flight, FareClass)>();
        if (!TryLeg(catalog, t.From, t.To, t.FromDate, t.OutFlight, t.OutCabin, legs)) return null;
        if (t.RetFlight.Length > 0 && !TryLeg(catalog, t.To, t.From, t.RetDate, t.RetFlight, t.RetCabin, legs)) return null;
        return (Price(legs, data, inv, tenant, track, priceChanged, t.From, t.To, t.FromDate), legs);
    }

    static bool TryLeg(FlightCatalog catalog, string from, string to, string date, string flight, string cabin, List<(Flight, FareClass)> legs)
    {
        if (!DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        var f = catalog.FindFlight(from, to, d, flight);
        var c = f?.Classes.FirstOrDefault(x => x.Cabin == cabin);
        if (f is null || c is null) return false;
        legs.Add((f, c));
        return true;
    }

    public static PricedRouting Price(IReadOnlyList<(Flight Flight, FareClass Class)> legs, string data, Inventory inv, string tenant, bool track,
        bool priceChanged, string fromCity, string toCity, string fromDate)
    {
        var factor = priceChanged ? PriceChangeFactor : 1m;
        var outbound = legs.Where(l => l.Flight.DepAirport == fromCity.ToUpperInvariant()).ToList();
        var inbound = legs.Except(outbound).ToList();
        var seats = legs.Min(l => SeatsLeft(inv, tenant, l.Flight, l.Class, track));
        return new PricedRouting(
            data, RouteType, Currency(legs),
            Math.Round(legs.Sum(l => l.Class.AdultFare) * factor), legs.Sum(l => l.Class.AdultTax),
            Math.Round(legs.Sum(l => l.Class.ChildFare) * factor), legs.Sum(l => l.Class.ChildTax),
            Math.Min(9, seats),
            outbound.Select(l => ToSegment(l.Flight, l.Class)).ToList(),
            inbound.Select(l => ToSegment(l.Flight, l.Class)).ToList(),
            fromCity.ToUpperInvariant(), toCity.ToUpperInvariant(), fromDate);
    }

    /// <summary>A routing's currency is its route's (the catalogue prices each route in one currency).</summary>
    static string Currency(IReadOnlyList<(Flight Flight, FareClass Class)> legs) => legs[0].Flight.Currency;
}
