using Sandbox.Engine.Scenarios;
using static Sandbox.Engine.Scenarios.FieldShape;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>
/// The request (<c>request</c> object) and reply fields of every action, as the document names them (spec §4–§5): the
/// API description shows them, and scenario rules are checked against them. Numbers may be sent as strings and
/// strings as numbers; names match case-insensitively.
/// </summary>
public static class ActionShapes
{
    public sealed record Action(string Name, string Path, string Summary, IReadOnlyList<FieldShape> Request, IReadOnlyList<FieldShape> Reply);

    static readonly FieldShape RouteType = Int("routeType", true, "data source echoed from the routing: 0 LF, 1 TechHouse");
    static readonly FieldShape SessionId = Str("sessionId", true, "the booking session AirPricing opened");

    static FieldShape[] Segment() =>
    [
        Str("carrier"), Str("flightNumber"), Str("depAirport"), Str("depTime", false, "YYYYMMDDHHMM, local"), Str("arrAirport"),
        Str("arrTime", false, "YYYYMMDDHHMM, local"), Str("stopCities"), Str("codeShare", false, "\"false\" as in the captured samples"),
        Int("duration", false, "minutes"), Str("cabin"), Str("cabinClass"), Str("aircraftCode"), Str("operatingFlightno"), Str("operatingCarrier"),
        Str("stopAirports"), Int("segIndex"), List("package", false, "fare packages (informational)",
            List("packageList", false, null, Str("packageCode"), Num("amount"))),
    ];

    static FieldShape Routing(string name, string description) => Obj(name, false, description,
    [
        Num("adultFare"), Num("adultTax"), Num("childFare"), Num("childTax"), Str("currency"),
        Str("data", false, "opaque token (< 1000 bytes) to pass to AirPricing"), RouteType with { Required = false }, Int("maxSeats"),
        List("fromSegments", false, "outbound segments", Segment()), List("retSegments", false, "return segments ([] one way)", Segment()),
    ]);

    static FieldShape[] Reply(params FieldShape[] fields) =>
        [Int("status", true, "0 success; otherwise the error code"), Str("msg", true), .. fields];

    static FieldShape[] Cost => [Num("totalCost"), Str("currency")];

    static readonly FieldShape[] Passenger =
    [
        Str("passengerId", true), Str("firstName", true), Str("lastName", true), Int("ageType", true, "0 adult, 1 child, -1 student"),
        Str("birthday", true, "YYYYMMDD"), Str("gender", true, "M or F"), Str("cardNum", true, "at most 15 characters"), Str("cardType", true, "PP passport …"),
        Str("cardIssuePlace", true), Str("cardExpired", true, "YYYYMMDD"), Str("nationality", true),
    ];

    static readonly FieldShape[] Contact =
        [Str("firstName", true), Str("lastName", true), Str("address"), Str("postcode"), Str("email", true), Str("mobile", true)];

    static readonly FieldShape[] SegmentRef =
        [Str("flightNumber", true), Str("depAirport", true), Str("arrAirport", true), Str("depDate", true, "YYYYMMDD"), Str("cabin", true)];

    public static readonly IReadOnlyList<Action> All =
    [
        new("LowFareSearch", "/flight/booking", "Search fares for a one-way or round trip (sync, or async by searchId)",
        [
            Str("tripType", true, "1 one way, 2 round trip"), Str("fromCity", true, "IATA code"), Str("toCity", true, "IATA code"),
            Str("fromDate", true, "YYYYMMDD"), Str("retDate", false, "YYYYMMDD; empty for one way"), Str("currency"),
            Str("adultNumber", false, "0-8, default 1"), Str("childNumber", false, "0-8, default 0"), Int("timeout", false, "seconds, 1-60"),
            Int("sync", false, "0 asynchronous search"), Str("searchId", false, "the first asynchronous answer's searchId"),
        ],
        Reply(Str("searchId"), Obj("carriers", false, "routings per carrier code, e.g. {\"CA\": 3}") with { Open = true },
            List("routings", false, null, Routing("routing", "").Fields!.ToArray()))),
        new("AirPricing", "/flight/booking", "Re-price one routing and open the booking session",
            [Routing("routing", "the routing from LowFareSearch (its data is what counts)") with { Required = true }, Str("currency"),
                Str("adultNumber"), Str("childNumber"), Str("timeout"), Str("tripType")],
            Reply(Bool("isPriceChanged"), Str("sessionId"), Int("maxSeats"), Routing("routing", "the priced routing"),
                Obj("rule", false, "change, refund and baggage rules per passenger type") with { Open = true }, Str("timeflag"))),
        new("SetPassengers", "/flight/booking", "Attach passengers and contact (once per session)",
            [SessionId, RouteType, List("passengers", true, null, Passenger), Obj("contact", true, null, Contact)],
            Reply(Cost)),
        new("GetSSRAvailability", "/flight/booking", "Ancillaries (baggage, meals) per segment",
            [SessionId, RouteType, List("segments", true, null, SegmentRef)],
            Reply(List("ssrs", false, "per requested segment", Str("flightno"), List("ssrs", false, "offered items", Str("code"), Str("type"), Str("name"),
                Str("desc"), Num("amount"), Str("currency"), Str("applyType"), Str("unit"), Num("weight"), Str("typeweight"), Str("img"))))),
        new("SellSSR", "/flight/booking", "Add ancillaries to passengers",
            [SessionId, RouteType, List("ssrs", true, null, [.. SegmentRef, Str("ssrcode", true), Int("count", true), Str("passengerId", true)])],
            Reply([.. Cost, Str("sessionId")])),
        new("GetSeatAvailability", "/flight/booking", "Seat map of one flight",
            [SessionId, RouteType, .. SegmentRef],
            Reply(Obj("result", false, "the seat map", List("seats", false, null, Str("designator"), Str("availability", false, "Open or Close"), Str("classCode"),
                Num("amount"), Str("currency"))))),
        new("AssignSeats", "/flight/booking", "Assign seats to passengers",
            [SessionId, RouteType, .. SegmentRef, List("seats", true, "an array, or one object", Str("designator", true), Str("passengerId", true))],
            Reply(Cost)),
        new("GetBookingPayments", "/flight/booking", "Payment methods",
            [SessionId, RouteType],
            Reply(List("payments", false, null, Str("code", false, "AG balance, XX credit card"), Str("name"), Str("desc"), Str("currency"), Num("chargeFee")))),
        new("SetPaymentToBooking", "/flight/booking", "Choose payment method and currency",
            [SessionId, RouteType, Str("paymentCode", true, "AG (balance) or XX"), Str("payCurrency", true, "the booking's currency")],
            Reply(Cost)),
        new("Commit", "/flight/booking", "Create the order and pay it from the balance",
            [SessionId, RouteType, Int("timeout")],
            Reply([.. Cost, Str("orderNo"), Str("orderStatus", false, "PENDING, TICKETED, NEED_PAYMENT"), Bool("isPriceChanged"), Str("timeflag")])),
        new("GetAirlinesAndRoutings", "/flight/order", "Airline and route catalogue",
            [Str("sessionId"), Int("routeType")],
            Reply(List("airlineList", false, null, Str("airCode"), Str("airName"), Str("airCountry"), Str("airStatus"),
                List("routingList", false, null, Str("depAirport"), Str("airAirport", false, "arrival airport, spelled as documented"), Str("portNameCn"),
                    Str("portNameEn"), Str("routStatus"))))),
        new("GetBalance", "/flight/order", "Prepaid account balances",
            [Str("sessionId"), Int("routeType"), Str("apiBalance")],
            Reply(List("balanceList", false, null, Str("currency"), Num("balance")))),
        new("GetOrderList", "/flight/order", "Orders in a time window",
            [Str("startTime", true, "YYYYMMDD or YYYYMMDDHHMMSS"), Str("endTime", true), Int("routeType", true), Str("orderStatus", false, "TICKETED, PENDING or NEED_PAYMENT")],
            Reply(List("bookingList", false, null, Str("orderNo"), Str("orderStatus"), Str("createTime")))),
        new("GetOrderDetail", "/flight/order", "One order in full",
            [Str("orderno", true, "orderNo is accepted too"), Str("email", false, "must match the contact's when given"), Str("cardIssuePlace"), Int("routeType", true)],
            Reply(Str("fromcity"), Str("tocity"), Str("currency"), Str("orderStatus"), Str("orderNo"), Str("orderDate"), Str("paymentDate"), Num("totalCost"),
                Str("sessionId"), Str("paymentCode"), Routing("routing", "the booked routing"), Obj("contact", false, null, Contact),
                List("passengers", false, null, Passenger), List("ssrs", false, null) with { Open = true }, List("seats", false, null) with { Open = true },
                List("tickets", false, null, Str("passengerId"), Str("ticketNo"), Str("flightNumber"), Str("createTime")))),
    ];

    /// <summary>What <see cref="Operations.Facts"/> adds from the booking session or the routing token, for rules.</summary>
    static readonly string[] Facts =
        ["sessionState", "fromCity", "toCity", "fromDate", "flightNumber", "carrier", "passengers[*].lastName", "passengers[*].firstName",
         "passengers[*].cardNum", "contact.email"];

    static readonly Dictionary<string, string[]> Paths = All.ToDictionary(a => a.Name,
        a => a.Request.SelectMany(f => f.Paths()).Concat(Facts).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string>? FieldsOf(string action) => Paths.GetValueOrDefault(action);
}
