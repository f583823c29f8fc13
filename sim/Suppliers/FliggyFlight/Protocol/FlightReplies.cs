using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Protocol;

/// <summary>The structures several APIs answer with (spec §2.2): segments, routes, passengers, contacts, item prices.</summary>
public static class FlightReplies
{
    public static TopObject Segment(OrderSegment s) => new TopObject()
        .Add("id", s.SegmentId)
        .Add("marketing_airline", s.MarketingAirline)
        .Add("marketing_flight_no", s.MarketingFlightNo)
        .Add("operating_airline", s.OperatingAirline)
        .Add("operating_flight_no", s.OperatingFlightNo)
        .Add("code_share", s.CodeShare)
        .Add("equip_type", s.Equip)
        .Add("dep_airport", s.DepAirport)
        .Add("dep_term", Term(s.DepTerm))
        .Add("dep_time", s.DepTime)
        .Add("arr_airport", s.ArrAirport)
        .Add("arr_term", Term(s.ArrTerm))
        .Add("arr_time", s.ArrTime)
        .Add("dep_city_code", s.DepCity)
        .Add("arr_city_code", s.ArrCity)
        .Add("cabin", s.Cabin)
        .Add("cabin_class", s.CabinClass)
        .Add("cabin_class_name", ReferenceData.ClassName(s.CabinClass));

    /// <summary>Airports with a single terminal have none to name: the field is left out.</summary>
    static string? Term(string terminal) => terminal.Length > 0 ? terminal : null;

    /// <summary><c>flight_route {trip_type, flight_journey_list[flight_journey {flight_segment_list[flight_segment]}]}</c>.</summary>
    public static TopObject Route(int tripType, IEnumerable<IEnumerable<TopObject>> journeys) => new TopObject()
        .Add("trip_type", tripType)
        .Add("flight_journey_list", TopList.Of("flight_journey",
            journeys.Select(j => new TopObject().Add("flight_segment_list", TopList.Of("flight_segment", j)))));

    public static TopObject Route(IReadOnlyList<OrderSegment> segments) =>
        Route(segments.Any(s => s.Journey > 0) ? 2 : 1, segments.GroupBy(s => s.Journey).OrderBy(g => g.Key).Select(g => g.Select(Segment)));

    public static TopObject Passenger(OrderPassenger p) => new TopObject()
        .Add("name", p.Name)
        .Add("type", (int)p.Type)
        .Add("birthday", p.Birthday.Length > 0 ? p.Birthday : null)
        .Add("credential_type", p.CredentialType)
        .Add("credential_no", p.CredentialNo)
        .Add("mobile_country_code", p.MobileCountryCode)
        .Add("mobile_phone_number", p.MobilePhoneNumber)
        .Add("ticket_no", p.TicketNo)
        .Add("ticket_status", p.TicketStatus);

    public static TopObject Contact(OrderContact c) => new TopObject()
        .Add("name", c.Name)
        .Add("mobile_phone_number", c.MobilePhoneNumber)
        .Add("mobile_country_code", c.MobileCountryCode)
        .Add("phone", c.Phone)
        .Add("email", c.Email)
        .Add("credential_type", c.CredentialType)
        .Add("credential_no", c.CredentialNo);

    /// <summary>The eleven per-type price fields.</summary>
    public static TopObject AddPrices(this TopObject o, ItemPrices p) => o
        .Money("adt_flight_item_price", p.AdtFlightItemPrice)
        .Money("adt_build_fee", p.AdtBuildFee)
        .Money("adt_oil_fee", p.AdtOilFee)
        .Money("chd_flight_item_price", p.ChdFlightItemPrice)
        .Money("chd_build_fee", p.ChdBuildFee)
        .Money("chd_oil_fee", p.ChdOilFee)
        .Money("chd_total_fee", p.ChdTotalFee)
        .Money("inf_flight_item_price", p.InfFlightItemPrice)
        .Money("inf_build_fee", p.InfBuildFee)
        .Money("inf_oil_fee", p.InfOilFee)
        .Money("inf_total_fee", p.InfTotalFee);

    /// <summary><c>flight_price {sell_price, build_price, tax, oil_price}</c>, tax = construction fee + fuel surcharge.</summary>
    public static TopObject Price(FarePart p) => new TopObject()
        .Money("sell_price", p.Sell)
        .Money("build_price", p.Build)
        .Money("tax", p.Tax)
        .Money("oil_price", p.Oil);
}
