using System.Globalization;
using System.Text.Json.Nodes;

namespace Sandbox.Tests.FliggyBus.ReferenceOperator;

/// <summary>A departure the operator sells, with its seats.</summary>
public sealed class OperatorSchedule
{
    public required string LineId { get; init; }
    public required string FromDate { get; init; }
    public required string FromTime { get; init; }
    public required long TicketPrice { get; set; }
    public int Capacity { get; init; } = 40;
    public int Locked { get; set; }
    public bool Stopped { get; set; }

    public int Left => Capacity - Locked;

    /// <summary>The stable id: line, date and time — the same departure always has the same id.</summary>
    public string StableId => $"{LineId}-{FromDate.Replace("-", "")}-{FromTime.Replace(":", "")}";

    public DateTimeOffset Departure => DateTimeOffset.ParseExact($"{FromDate} {FromTime}:00 +08:00", "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}

/// <summary>
/// The fake bus company's network: Hangzhou to Shanghai by the airport (fixed times, section prices, an airport
/// area with a geofence) and Hangzhou to Ningbo as a 流水班 (a fixed departure window), ten days of departures.
/// </summary>
public sealed class OperatorCatalogue
{
    public const string Hangzhou = "杭州市";
    public const string Shanghai = "上海市";
    public const string Ningbo = "宁波市";

    public List<OperatorSchedule> Schedules { get; } = [];

    public OperatorCatalogue(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        for (var d = 1; d <= 10; d++)
        {
            var date = today.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var time in new[] { "08:00", "13:30", "18:00" })
                Schedules.Add(new OperatorSchedule { LineId = "HZSH01", FromDate = date, FromTime = time, TicketPrice = 6000, Stopped = d == 3 && time == "18:00" });
            Schedules.Add(new OperatorSchedule { LineId = "HZNB01", FromDate = date, FromTime = "07:00", TicketPrice = 4500 });
        }
    }

    public static JsonArray FromCities(bool withCityCode)
    {
        var city = new JsonObject { ["provinceName"] = "浙江省", ["provinceCode"] = "330000", ["fromCity"] = Hangzhou };
        if (withCityCode) city["cityCode"] = "330100";
        return [city];
    }

    public static JsonArray ToCities(string fromCity) => fromCity == Hangzhou
        ? [new JsonObject { ["provinceName"] = "上海市", ["toCity"] = Shanghai, ["preSellDay"] = 10, ["cityCode"] = "310100" },
           new JsonObject { ["provinceName"] = "浙江省", ["toCity"] = Ningbo, ["preSellDay"] = 10, ["cityCode"] = "330200" }]
        : [];

    public static string? LineFor(string fromCity, string toCity) => (fromCity, toCity) switch
    {
        (Hangzhou, Shanghai) => "HZSH01",
        (Hangzhou, Ningbo) => "HZNB01",
        _ => null,
    };

    public static JsonObject Line(string lineId, OperatorDefect defects) => lineId == "HZSH01"
        ? new JsonObject
        {
            ["id"] = "HZSH01", ["name"] = "杭州-上海(机场专线)", ["desc"] = "经萧山机场", ["fromTimeType"] = 1,
            ["fromCity"] = Hangzhou, ["toCity"] = Shanghai,
            ["stationList"] = new JsonArray(
                Station("HZD", "杭州东站", 1, 1, 1, "120.212600", "30.290800", null),
                Station("XSJC", "萧山机场", 2, 3, 2, null, null, defects.HasFlag(OperatorDefect.CrossedGeofence)
                    ? "120.420,30.220;120.450,30.250;120.450,30.220;120.420,30.250"
                    : "120.420,30.220;120.450,30.220;120.450,30.250;120.420,30.250"),
                Station("SHHQ", "上海虹桥站", 3, 2, 1, "121.320200", "31.194000", null)),
            ["segmentPrices"] = new JsonArray(
                Price("HZD", "XSJC", 1500), Price("HZD", "SHHQ", 6000),
                Price(defects.HasFlag(OperatorDefect.SegmentPriceUnknownStation) ? "XXX" : "XSJC", "SHHQ", 5000)),
            ["transferPoints"] = new JsonArray(new JsonObject { ["name"] = "萧山机场T3", ["address"] = "萧山机场3号航站楼" }),
            ["isRoundTrip"] = false,
            ["isRefund"] = true, ["isOrderRefund"] = false,
            ["refundRule"] = "发车前3小时内不可退；3-6小时25%；6-24小时10%；24-48小时5%；48小时以上免费",
            ["refundRuleList"] = new JsonArray(
                Rule(0, 3, false, 0), Rule(3, 6, true, 25), Rule(6, 24, true, 10), Rule(24, 48, true, 5), Rule(48, null, true, 0)),
            ["maxSellNum"] = 5, ["preSellDay"] = 10,
        }
        : new JsonObject
        {
            ["id"] = "HZNB01", ["name"] = "杭州-宁波(流水班)", ["fromTimeType"] = 4,
            ["fromDurationBegin"] = "07:00", ["fromDurationEnd"] = "09:00",
            ["fromCity"] = Hangzhou, ["toCity"] = Ningbo,
            ["stationList"] = new JsonArray(
                Station("HZCZ", "杭州汽车城站", 1, 1, 1, "120.160000", "30.300000", null),
                Station("NBNZ", "宁波南站", 2, 2, 1, "121.540000", "29.840000", null)),
            ["isRefund"] = true, ["isOrderRefund"] = true, ["maxSellNum"] = 5,
        };

    static JsonObject Station(string code, string name, int seq, int function, int type, string? lng, string? lat, string? geofence)
    {
        var o = new JsonObject { ["stationCode"] = code, ["stationName"] = name, ["seq"] = seq, ["stationFunction"] = function, ["stationType"] = type };
        if (lng is not null) o["longitude"] = lng;
        if (lat is not null) o["latitude"] = lat;
        if (geofence is not null) o["geofence"] = geofence;
        return o;
    }

    static JsonObject Price(string from, string to, long price) =>
        new() { ["fromStationCode"] = from, ["toStationCode"] = to, ["ticketPrice"] = price, ["childPrice"] = price / 2 };

    static JsonObject Rule(int min, int? max, bool canRefund, int fee)
    {
        var o = new JsonObject { ["minHoursBefore"] = min, ["canRefund"] = canRefund, ["feePercent"] = fee };
        if (max is not null) o["maxHoursBefore"] = max;
        return o;
    }

    /// <summary>The fee of the HZSH01 rule (the seed's), HZNB01 refunding free.</summary>
    public static long Fee(string lineId, long price, DateTimeOffset departure, DateTimeOffset now)
    {
        if (lineId != "HZSH01") return 0;
        var hours = (departure - now).TotalHours;
        var percent = hours switch { < 3 => -1, < 6 => 25, < 24 => 10, < 48 => 5, _ => 0 };
        return percent < 0 ? -1 : (long)Math.Round(price * percent / 100m, MidpointRounding.AwayFromZero);
    }
}
