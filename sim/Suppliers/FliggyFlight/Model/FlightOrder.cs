using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyFlight.Catalog;

namespace Sandbox.Suppliers.FliggyFlight.Model;

/// <summary>A booked segment: the flight as sold, its booking class and what each passenger type pays on it.</summary>
public sealed class OrderSegment
{
    /// <summary>0 outbound, 1 return.</summary>
    public int Journey { get; set; }
    public string SegmentId { get; set; } = "";
    public string MarketingAirline { get; set; } = "";
    public string MarketingFlightNo { get; set; } = "";
    public string OperatingAirline { get; set; } = "";
    public string OperatingFlightNo { get; set; } = "";
    public string Equip { get; set; } = "";
    public string DepAirport { get; set; } = "";
    public string DepTerm { get; set; } = "";
    /// <summary>China local time, yyyy-MM-dd HH:mm:ss.</summary>
    public string DepTime { get; set; } = "";
    public string ArrAirport { get; set; } = "";
    public string ArrTerm { get; set; } = "";
    public string ArrTime { get; set; } = "";
    public string Cabin { get; set; } = "";
    public string CabinClass { get; set; } = "";
    public LegPrices Prices { get; set; } = null!;
    /// <summary>The inventory the segment holds (released when the order closes or ticketing fails).</summary>
    public string InventoryKey { get; set; } = "";
    /// <summary>The change order this segment replaces a segment for (change orders only).</summary>
    public string? OriginalSegmentId { get; set; }

    public bool CodeShare => MarketingFlightNo != OperatingFlightNo;
    public string DepCity => ReferenceData.CityOf(DepAirport);
    public string ArrCity => ReferenceData.CityOf(ArrAirport);

    public static OrderSegment From(int journey, Flight flight, Cabin cabin, LegPrices prices) => new()
    {
        Journey = journey,
        SegmentId = flight.SegmentId,
        MarketingAirline = flight.MarketingAirline,
        MarketingFlightNo = flight.MarketingFlightNo,
        OperatingAirline = flight.OperatingAirline,
        OperatingFlightNo = flight.OperatingFlightNo,
        Equip = flight.Equip,
        DepAirport = flight.DepAirport,
        DepTerm = flight.DepTerm,
        DepTime = flight.DepTime.ToString(Times.Format, System.Globalization.CultureInfo.InvariantCulture),
        ArrAirport = flight.ArrAirport,
        ArrTerm = flight.ArrTerm,
        ArrTime = flight.ArrTime.ToString(Times.Format, System.Globalization.CultureInfo.InvariantCulture),
        Cabin = cabin.Code,
        CabinClass = cabin.CabinClass,
        Prices = prices,
        InventoryKey = Inventory.Key(flight, cabin),
    };
}

public sealed class OrderPassenger
{
    public string Name { get; set; } = "";
    public PassengerType Type { get; set; }
    /// <summary>yyyy-MM-dd HH:mm:ss, or empty.</summary>
    public string Birthday { get; set; } = "";
    public int CredentialType { get; set; }
    public string CredentialNo { get; set; } = "";
    public string? MobileCountryCode { get; set; }
    public string? MobilePhoneNumber { get; set; }
    public string? TicketNo { get; set; }
    /// <summary>Empty until the order is paid (spec §2.2: filled from ticketing on).</summary>
    public string? TicketStatus { get; set; }
}

public sealed class OrderContact
{
    public string Name { get; set; } = "";
    public string MobilePhoneNumber { get; set; } = "";
    public string MobileCountryCode { get; set; } = "";
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public int? CredentialType { get; set; }
    public string? CredentialNo { get; set; }
}

/// <summary>A flight change announced for the order (admin trigger, spec §3.1.5).</summary>
public sealed class FlightChangeNotice
{
    public long MessageId { get; set; }
    public string Topic { get; set; } = "";
    public int ChangeType { get; set; }
    public string SegmentId { get; set; } = "";
    public string AtTime { get; set; } = "";
}

/// <summary>
/// A Fliggy flight order (spec §2.4–2.8): what airbook created from an item, its passengers and their tickets, the
/// session user it belongs to, the payment, and the refund and change orders raised on it. The state is the order
/// machine's (<see cref="OrderStatus"/>).
/// </summary>
public sealed class FlightOrder : Entity
{
    public string OutOrderNo { get; set; } = "";
    /// <summary>SHA-256 of create_order_request as sent: the same out_order_no with another request is a duplicate.</summary>
    public string RequestHash { get; set; } = "";
    public long UserId { get; set; }
    public string UserNick { get; set; } = "";
    public string ItemId { get; set; } = "";
    public string ProductType { get; set; } = "";
    public string SellerNick { get; set; } = "";
    public MemberRule? Member { get; set; }
    public List<OrderSegment> Segments { get; set; } = [];
    public List<OrderPassenger> Passengers { get; set; } = [];
    public OrderContact Contact { get; set; } = new();
    public OrderContact? MemberBuyer { get; set; }
    public ItemPrices Prices { get; set; } = null!;
    public decimal TotalPrice { get; set; }
    public long PayDeadlineMs { get; set; }
    public long? PayTimeMs { get; set; }
    public string? AlipayTradeNo { get; set; }
    public decimal? RealPayPrice { get; set; }
    public string? CloseReason { get; set; }
    public bool SeatsReleased { get; set; }
    public List<long> RefundIds { get; set; } = [];
    public List<long> ChangeIds { get; set; } = [];
    public List<FlightChangeNotice> FlightChanges { get; set; } = [];

    public int TripType => Segments.Any(s => s.Journey > 0) ? 2 : 1;
    public int SeatCount => Passengers.Count(p => p.Type != PassengerType.Infant);
    public long OrderId => long.Parse(Id, System.Globalization.CultureInfo.InvariantCulture);

    public OrderPassenger? Passenger(string name, string credentialNo) =>
        Passengers.FirstOrDefault(p => p.Name == name && p.CredentialNo.Equals(credentialNo, StringComparison.OrdinalIgnoreCase));
}
