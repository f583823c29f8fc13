namespace Sandbox.Suppliers.FliggyFlight.Catalog;

/// <summary>A city pair the catalogue flies (both directions), from <c>catalog.routes</c>.</summary>
/// <param name="FullFare">the economy full fare (Y) in yuan; discounted classes and premium cabins derive from it</param>
/// <param name="Oil">fuel surcharge per adult and segment</param>
public sealed record CatalogRoute(string From, string To, IReadOnlyList<string> Carriers, int FlightsPerDay, decimal FullFare, int Duration, decimal Oil);

/// <summary>A booking class of a flight: its code (Y, B, M … C, F), cabin class (Y, C, F), adult fare and seats for sale.</summary>
public sealed record Cabin(string Code, string CabinClass, decimal Fare, int Seats)
{
    public string ClassName => ReferenceData.ClassName(CabinClass);
}

/// <summary>A member-price rule (seed document: member_type 0 passenger / 1 buyer; sub types 0 new member, 1 any member).</summary>
public sealed record MemberRule(int Type, IReadOnlyList<int> SubTypes, string Restrict);

/// <summary>What the flight is sold with: a self-operated quote or not, a member-price item, child and infant tickets, the shop.</summary>
public sealed record FlightSale(bool Self, MemberRule? Member, bool Child, bool Infant, int OtaDiscount, string Seller);

/// <summary>One scheduled flight on one day; times are China local time.</summary>
public sealed record Flight(
    string MarketingAirline, string MarketingFlightNo, string OperatingAirline, string OperatingFlightNo, string Equip,
    string DepAirport, string DepTerm, DateTime DepTime, string ArrAirport, string ArrTerm, DateTime ArrTime,
    decimal FullFare, decimal Oil, IReadOnlyList<Cabin> Cabins, FlightSale Sale)
{
    public bool CodeShare => MarketingFlightNo != OperatingFlightNo;
    public string DepCity => ReferenceData.CityOf(DepAirport);
    public string ArrCity => ReferenceData.CityOf(ArrAirport);
    public DateOnly Date => DateOnly.FromDateTime(DepTime);

    /// <summary>The segment id TOP shows (spec §2.2): marketing flight no + airports + MMdd, e.g. CZ8957PKXXMN0310.</summary>
    public string SegmentId => $"{MarketingFlightNo}{DepAirport}{ArrAirport}{DepTime:MMdd}";

    /// <summary>The inventory key of a flight on its day.</summary>
    public string Key => $"{MarketingFlightNo}{DepAirport}{ArrAirport}{DepTime:yyyyMMdd}";

    public Cabin? CabinOf(string code) => Cabins.FirstOrDefault(c => c.Code.Equals(code, StringComparison.OrdinalIgnoreCase));
}
