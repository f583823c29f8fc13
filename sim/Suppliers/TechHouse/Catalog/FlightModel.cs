namespace Sandbox.Suppliers.TechHouse.Catalog;

/// <summary>One bookable class on a flight: the RBD, its cabin class, its fare and how many seats it has.</summary>
public sealed record FareClass(string Cabin, string CabinClass, decimal AdultFare, decimal AdultTax, decimal ChildFare, decimal ChildTax, int Seats);

/// <summary>One scheduled flight on one date, as the catalogue generates it.</summary>
public sealed record Flight(
    string Carrier, string FlightNumber, string DepAirport, string ArrAirport, DateTime DepTime, DateTime ArrTime,
    int Duration, string Aircraft, string StopCities, string Currency, IReadOnlyList<FareClass> Classes)
{
    public string Key => $"{FlightNumber}:{DepTime:yyyyMMdd}";
}

/// <summary>A route the catalogue serves, from the scenario's <c>catalog.routes</c>.</summary>
public sealed record CatalogRoute(
    string From, string To, IReadOnlyList<string> Carriers, int FlightsPerDay, string Currency, decimal FareMin, decimal FareMax,
    int Duration, IReadOnlyList<int>? Days, bool Ssr, bool Seats);
