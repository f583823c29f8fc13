using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>A passenger as Fliggy sends it to the merchant (spec §4.5 Passenger).</summary>
public sealed record BusPassenger(string PassengerId, string Name, string CertificateType, string CertificateNo, string Type, long TicketPrice)
{
    public JsonObject ToJson() => new()
    {
        ["passengerId"] = PassengerId,
        ["passengerName"] = Name,
        ["passengerType"] = Type,
        ["passengerCertificateType"] = CertificateType,
        ["passengerCertificateNo"] = CertificateNo,
        ["ticketPrice"] = TicketPrice,
    };
}

/// <summary>What a user books: a schedule of a line between two of its stations, for some passengers.</summary>
public sealed record BusBooking(Line Line, Schedule Schedule, Station From, Station To, IReadOnlyList<BusPassenger> Passengers,
    string ContactName, string ContactPhone)
{
    /// <summary>The fare between the two stations: the section price when the line prices sections, else the schedule's.</summary>
    public static long Fare(Line line, Schedule schedule, Station from, Station to) =>
        line.SegmentPrices.FirstOrDefault(p => p.FromStationCode == from.Code && p.ToStationCode == to.Code)?.TicketPrice ?? schedule.TicketPrice;

    /// <summary>Departure as create order sends it: <c>HH:mm:ss</c>.</summary>
    public string FromTime
    {
        get
        {
            var t = Schedule.FromTime ?? Line.FromTime ?? Schedule.FromDurationBegin ?? "00:00";
            return t.Length == 5 ? t + ":00" : t;
        }
    }
}

/// <summary>
/// The request bodies of the 11 merchant APIs (spec §4), with the consistency the merchant is entitled to
/// (§4.5: <c>orderAmount = Σ ticketPrice</c>, <c>ticketCount = passengers</c>).
/// </summary>
public static class QimenRequests
{
    public static JsonObject FromCity(string? cityName = null) => cityName is null ? [] : new JsonObject { ["cityName"] = cityName };

    public static JsonObject ToCity(string fromCity) => new() { ["fromCity"] = fromCity };

    public static JsonObject Number(string fromCity, string toCity, string? fromDate = null)
    {
        var body = new JsonObject { ["fromCity"] = fromCity, ["toCity"] = toCity };
        if (fromDate is not null) body["fromDate"] = fromDate;
        return body;
    }

    public static JsonObject Seat(Line line, Schedule schedule, Station from, Station to) => new()
    {
        ["scheduleId"] = schedule.ScheduleId,
        ["fromDate"] = schedule.FromDate,
        ["fromTime"] = schedule.FromTime ?? line.FromTime ?? schedule.FromDurationBegin ?? "",
        ["lineId"] = line.Id,
        ["fromStationCode"] = from.Code,
        ["toStationCode"] = to.Code,
    };

    public static JsonObject OrderCreate(BusBooking b, string alitripOrderId, string alipayTradeNo)
    {
        var body = new JsonObject
        {
            ["lineId"] = b.Line.Id,
            ["scheduleId"] = b.Schedule.ScheduleId,
            ["alitripOrderId"] = alitripOrderId,
            ["alipayTradeNo"] = alipayTradeNo,
        };
        if (b.Schedule.GoodsId is not null) body["goodsId"] = b.Schedule.GoodsId;
        body["fromDate"] = b.Schedule.FromDate;
        body["fromTime"] = b.FromTime;
        body["ticketAmount"] = BusBooking.Fare(b.Line, b.Schedule, b.From, b.To);
        body["orderAmount"] = b.Passengers.Sum(p => p.TicketPrice);
        body["ticketCount"] = b.Passengers.Count;
        body["fromCityName"] = b.Line.FromCity;
        body["toCityName"] = b.Line.ToCity;
        body["fromStationName"] = b.From.Name;
        body["fromStationCode"] = b.From.Code;
        body["toStationName"] = b.To.Name;
        body["toStationCode"] = b.To.Code;
        body["contactName"] = b.ContactName;
        body["contactPhone"] = b.ContactPhone;
        body["isRoundTrip"] = false;
        body["passengerList"] = new JsonArray(b.Passengers.Select(p => (JsonNode)p.ToJson()).ToArray());
        return body;
    }

    /// <summary>order.confirm and order.query: the pair of ids.</summary>
    public static JsonObject OrderRef(string agentOrderId, string alitripOrderId) =>
        new() { ["agentOrderId"] = agentOrderId, ["alitripOrderId"] = alitripOrderId };

    public static JsonObject ReturnQuery(string agentOrderId, string alitripOrderId, IEnumerable<(string PassengerId, string? TicketId)> passengers)
    {
        var body = OrderRef(agentOrderId, alitripOrderId);
        body["passengerList"] = new JsonArray(passengers.Select(p => (JsonNode)Ticket(p.PassengerId, p.TicketId)).ToArray());
        return body;
    }

    public static JsonObject ReturnConfirm(string agentOrderId, string alitripOrderId, bool isOrderRefund,
        IEnumerable<(BusPassenger Passenger, string? TicketId, long RefundSurcharge)> passengers)
    {
        var body = OrderRef(agentOrderId, alitripOrderId);
        body["isOrderRefund"] = isOrderRefund;
        body["passengerList"] = new JsonArray(passengers.Select(p =>
        {
            var o = Ticket(p.Passenger.PassengerId, p.TicketId);
            o["passengerName"] = p.Passenger.Name;
            o["passengerCertificateNo"] = p.Passenger.CertificateNo;
            o["passengerCertificateType"] = p.Passenger.CertificateType;
            o["refundSurcharge"] = p.RefundSurcharge;
            return (JsonNode)o;
        }).ToArray());
        return body;
    }

    public static JsonObject OfflineNumber(string? fromCity, string? toCity, DateTimeOffset? begin, DateTimeOffset? end)
    {
        var body = new JsonObject();
        if (fromCity is not null) body["fromCity"] = fromCity;
        if (toCity is not null) body["toCity"] = toCity;
        if (begin is { } b) body["fromDateTimeBegin"] = QimenRequest.Timestamp(b);
        if (end is { } e) body["fromDateTimeEnd"] = QimenRequest.Timestamp(e);
        return body;
    }

    /// <summary>closeType 1 payment timeout, 2 ticketing timeout, 3 user cancel (spec §4.11).</summary>
    public static JsonObject OrderClose(string agentOrderId, string alitripOrderId, int closeType, string? reason = null)
    {
        var body = OrderRef(agentOrderId, alitripOrderId);
        body["closeType"] = closeType;
        if (reason is not null) body["closeReason"] = reason;
        return body;
    }

    static JsonObject Ticket(string passengerId, string? ticketId)
    {
        var o = new JsonObject { ["passengerId"] = passengerId };
        if (ticketId is not null) o["ticketId"] = ticketId;
        return o;
    }
}
