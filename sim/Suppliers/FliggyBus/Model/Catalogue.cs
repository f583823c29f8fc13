using System.Text.Json.Nodes;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>A boarding or alighting point of a line (spec §4.3 Station).</summary>
public sealed record Station(string Code, string Name, int Seq, int Function, int Type, string? Longitude, string? Latitude,
    string? Geofence, string? Address, string? Feature)
{
    public bool Boarding => Function is 1 or 3;
    public bool Alighting => Function is 2 or 3;

    public static Station Read(JsonObject o) => new(Str(o, "stationCode") ?? "", Str(o, "stationName") ?? "", (int)(Long(o, "seq") ?? 0),
        (int)(Long(o, "stationFunction") ?? 0), (int)(Long(o, "stationType") ?? 0), Str(o, "longitude"), Str(o, "latitude"),
        Str(o, "geofence"), Str(o, "address"), Str(o, "stationFeature"));
}

/// <summary>The price of one section A→C of a line A→B→C→D (spec §4.3 SegmentPrice), in fen.</summary>
public sealed record SegmentPrice(string FromStationCode, string ToStationCode, long TicketPrice, long? ChildPrice)
{
    public static SegmentPrice Read(JsonObject o) =>
        new(Str(o, "fromStationCode") ?? "", Str(o, "toStationCode") ?? "", Long(o, "ticketPrice") ?? 0, Long(o, "childPrice"));
}

/// <summary>
/// A line (spec §4.3 Line): its stations, section prices, refund mode and rules. The departure-time type decides
/// which time fields a schedule carries: 1 a fixed date and time, 3 a range the user picks in, 4 a fixed window (流水班).
/// </summary>
public sealed record Line(string Id, string Name, int FromTimeType, string FromCity, string ToCity, IReadOnlyList<Station> Stations,
    IReadOnlyList<SegmentPrice> SegmentPrices, bool IsRefund, bool IsOrderRefund, IReadOnlyList<RefundRule> RefundRules,
    bool IsRoundTrip, int? BackDays, int? MaxSellNum, string? FromDate, string? FromTime)
{
    public Station? StationByCode(string code) => Stations.FirstOrDefault(s => s.Code == code);

    public static Line Read(JsonObject o) => new(
        Str(o, "id") ?? "", Str(o, "name") ?? "", (int)(Long(o, "fromTimeType") ?? 0), Str(o, "fromCity") ?? "", Str(o, "toCity") ?? "",
        Objects(o, "stationList").Select(Station.Read).OrderBy(s => s.Seq).ToList(),
        Objects(o, "segmentPrices").Select(SegmentPrice.Read).ToList(),
        Bool(o, "isRefund") ?? false, Bool(o, "isOrderRefund") ?? false,
        Objects(o, "refundRuleList").Select(RefundRule.Read).ToList(),
        Bool(o, "isRoundTrip") ?? false, (int?)Long(o, "backDays"), (int?)Long(o, "maxSellNum"), Str(o, "fromDate"), Str(o, "fromTime"));
}

/// <summary>One sellable departure of a line (spec §4.3 Schedule); <see cref="ScheduleId"/> must never change once issued.</summary>
public sealed record Schedule(string ScheduleId, string? GoodsId, string FromDate, string? FromTime, string? FromDurationBegin,
    string? FromDurationEnd, long TicketPrice, long? ChildPrice, long LeftTicketCnt, int SaleStatus)
{
    /// <summary>What identifies the departure whatever id the merchant gives it: date plus time or window.</summary>
    public string DepartureKey(Line line) =>
        $"{FromDate} {FromTime ?? line.FromTime ?? $"{FromDurationBegin}-{FromDurationEnd}"}";

    /// <summary>The departure instant in GMT+8 (window start for types 3 and 4), when the fields give one.</summary>
    public DateTimeOffset? Departure(Line line)
    {
        var time = FromTime ?? line.FromTime ?? FromDurationBegin;
        if (time is null) return null;
        if (time.Length == 5) time += ":00";
        return DateTimeOffset.TryParseExact($"{FromDate} {time} +08:00", "yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var d) ? d : null;
    }

    public static Schedule Read(JsonObject o) => new(
        Str(o, "scheduleId") ?? "", Str(o, "goodsId"), Str(o, "fromDate") ?? "", Str(o, "fromTime"), Str(o, "fromDurationBegin"),
        Str(o, "fromDurationEnd"), Long(o, "ticketPrice") ?? 0, Long(o, "childPrice"), Long(o, "leftTicketCnt") ?? 0, (int)(Long(o, "saleStatus") ?? 0));
}

/// <summary>A line with its schedules, as number.query answers it.</summary>
public sealed record LineSchedule(Line Line, IReadOnlyList<Schedule> Schedules)
{
    public static IReadOnlyList<LineSchedule> ReadAll(JsonObject? reply) =>
        Objects(reply, "lineSchedule")
            .Where(ls => ls["line"] is JsonObject)
            .Select(ls => new LineSchedule(Line.Read((JsonObject)ls["line"]!), Objects(ls, "scheduleList").Select(Schedule.Read).ToList()))
            .ToList();
}
