using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.TechHouse.Model;

/// <summary>A segment as TechHouse sends it (spec §4.1); times are local airport time, yyyyMMddHHmm.</summary>
public sealed record Segment(
    string Carrier, string FlightNumber, string DepAirport, string DepTime, string ArrAirport, string ArrTime,
    string StopCities, bool CodeShare, int Duration, string Cabin, string CabinClass, string AircraftCode, decimal PackageAmount);

/// <summary>A priced routing (spec §4.3): what LowFareSearch offers and AirPricing confirms.</summary>
public sealed record PricedRouting(
    string Data, int RouteType, string Currency, decimal AdultFare, decimal AdultTax, decimal ChildFare, decimal ChildTax,
    int MaxSeats, IReadOnlyList<Segment> FromSegments, IReadOnlyList<Segment> RetSegments, string FromCity, string ToCity, string FromDate)
{
    /// <summary>What a committed session keeps instead of its routing (the order has it).</summary>
    public static readonly PricedRouting None = new("", 0, "", 0, 0, 0, 0, 0, [], [], "", "", "");

    public decimal FareFor(int ageType) => ageType == 1 ? ChildFare : AdultFare;
    public decimal TaxFor(int ageType) => ageType == 1 ? ChildTax : AdultTax;
    public IEnumerable<Segment> AllSegments => FromSegments.Concat(RetSegments);
}

public sealed record Passenger(
    string PassengerId, string FirstName, string LastName, int AgeType, string Birthday, string Gender, string CardNum,
    string CardType, string CardIssuePlace, string CardExpired, string Nationality);

public sealed record Contact(string FirstName, string LastName, string Address, string Postcode, string Email, string Mobile);

public sealed record SoldSsr(string FlightNumber, string Ssrcode, int Count, string PassengerId, decimal Amount, string Currency);

public sealed record AssignedSeat(string FlightNumber, string Designator, string PassengerId, decimal Amount, string Currency);

public sealed record Ticket(string PassengerId, string FlightNumber, string FirstName, string LastName, string TicketNo, long CreateTime);

/// <summary>Booking session states (spec §6.2).</summary>
public static class SessionState
{
    public const string Priced = "PRICED";
    public const string PassengersSet = "PASSENGERS_SET";
    public const string PaymentSet = "PAYMENT_SET";
    public const string Committed = "COMMITTED";
}

/// <summary>
/// A booking session from AirPricing to Commit. Sessions are short-lived (30 minutes of virtual time) and held
/// in memory (in the store when replicas share it); what Commit creates — the order — is what is persisted.
/// </summary>
[JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
public sealed class BookingSession
{
    public required string Id { get; init; }
    public required string Tenant { get; init; }
    public required long PricedMs { get; init; }
    public string State { get; set; } = SessionState.Priced;
    public required PricedRouting Routing { get; set; }
    public int Adults { get; set; }
    public int Children { get; set; }
    public List<Passenger>? Passengers { get; set; }
    public Contact? Contact { get; set; }
    public List<SoldSsr> Ssrs { get; } = [];
    public List<AssignedSeat> Seats { get; } = [];
    public string? PaymentCode { get; set; }
    public string? PayCurrency { get; set; }
    public decimal ChargeFee { get; set; }
    public HashSet<string> Tags { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>SSR codes GetSSRAvailability offered, per flight number (SellSSR's 2102 check).</summary>
    public Dictionary<string, HashSet<string>> OfferedSsrs { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Seat designators GetSeatAvailability returned, per flight number (AssignSeats' 2202 check).</summary>
    public Dictionary<string, HashSet<string>> OfferedSeats { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string? OrderNo { get; set; }

    public bool HasPassengers => Passengers is { Count: > 0 };

    /// <summary>
    /// After Commit the order holds the booking; the session keeps only what an idempotent re-Commit needs,
    /// so that sessions committed under load cost next to no memory until they are swept.
    /// </summary>
    public void Compact(string orderNo)
    {
        State = SessionState.Committed;
        OrderNo = orderNo;
        Routing = PricedRouting.None;
        Passengers = null;
        Contact = null;
        Ssrs.Clear();
        Seats.Clear();
        OfferedSsrs.Clear();
        OfferedSeats.Clear();
    }

    public decimal FareTotal => Passengers is { } ps
        ? ps.Sum(p => Routing.FareFor(p.AgeType) + Routing.TaxFor(p.AgeType))
        : Adults * (Routing.AdultFare + Routing.AdultTax) + Children * (Routing.ChildFare + Routing.ChildTax);

    /// <summary>The running total of the booking: fares and taxes, ancillaries, seats (SellSSR and AssignSeats return it).</summary>
    public decimal Total => FareTotal + Ssrs.Sum(s => s.Amount * s.Count) + Seats.Sum(s => s.Amount);
}

/// <summary>Order statuses (spec §6.3) and their spelling per surface.</summary>
public static class OrderStatus
{
    public const string Pending = "PENDING";
    public const string Ticketed = "TICKETED";
    public const string NeedPayment = "NEED_PAYMENT";
    /// <summary>Not in the document: the opt-in ticketing-failure outcome (docs/suppliers/techhouse.md).</summary>
    public const string TicketFailed = "TICKET_FAILED";

    public static readonly string[] All = [Pending, Ticketed, NeedPayment, TicketFailed];

    /// <summary>GetOrderDetail spells awaiting-payment NEEDPAY; GetOrderList NEED_PAYMENT.</summary>
    public static string ForDetail(string status) => status == NeedPayment ? "NEEDPAY" : status;

    public static string? Parse(string text) => text.ToUpperInvariant() switch
    {
        "NEEDPAY" or "NEED_PAYMENT" => NeedPayment,
        var s when All.Contains(s) => s,
        _ => null,
    };
}

/// <summary>A TechHouse order: created by Commit, ticketed by its state machine, persisted with everything the booking held.</summary>
public sealed class FlightOrder : Entity
{
    [JsonPropertyName("sessionId")] public string SessionId { get; set; } = "";
    [JsonPropertyName("routeType")] public int RouteType { get; set; }
    [JsonPropertyName("currency")] public string Currency { get; set; } = "";
    [JsonPropertyName("totalCost")] public decimal TotalCost { get; set; }
    [JsonPropertyName("paymentCode")] public string PaymentCode { get; set; } = "AG";
    [JsonPropertyName("orderDate")] public long OrderDate { get; set; }
    [JsonPropertyName("paymentDate")] public long PaymentDate { get; set; }
    [JsonPropertyName("routing")] public PricedRouting Routing { get; set; } = null!;
    [JsonPropertyName("passengers")] public List<Passenger> Passengers { get; set; } = [];
    [JsonPropertyName("contact")] public Contact Contact { get; set; } = null!;
    [JsonPropertyName("ssrs")] public List<SoldSsr> Ssrs { get; set; } = [];
    [JsonPropertyName("seats")] public List<AssignedSeat> Seats { get; set; } = [];
    [JsonPropertyName("tickets")] public List<Ticket> Tickets { get; set; } = [];
    /// <summary>Flight keys and cabins whose seats this order holds (released again if ticketing fails).</summary>
    [JsonPropertyName("inventory")] public List<string> Inventory { get; set; } = [];
}
