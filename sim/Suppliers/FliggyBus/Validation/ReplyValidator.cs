using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Validation;

/// <summary>
/// Checks a merchant reply against spec §4: the field table of its API (required fields, types, codes, formats),
/// then what the tables imply — echoed ids, station and segment-price consistency, geofences, refund rules and
/// fees, stable <c>scheduleId</c>s. Each defect is one <see cref="Finding"/>.
/// </summary>
public static class ReplyValidator
{
    static readonly Shape Envelope = new(
        new("retCode", FieldType.Text),
        new("retDesc", FieldType.Text),
        new("success", FieldType.Bool, Required: true));

    public static IReadOnlyList<Finding> Validate(string method, JsonObject request, QimenReply reply, ReplyContext? context = null)
    {
        var findings = new List<Finding>();
        if (reply.Fields is not { } fields) return findings;
        var ctx = context ?? ReplyContext.None;
        Envelope.Check(fields, "", findings);
        if (!reply.Success)
        {
            if (string.IsNullOrEmpty(reply.RetDesc))
                findings.Add(Finding.Warning("retDesc", FindingCodes.Missing, "a refusal without retDesc: Fliggy has no reason to show the user"));
            return findings;
        }
        if (!QimenMethods.IsKnown(method)) return findings;
        ReplyShapes.For(method).Check(fields, "", findings);
        switch (method)
        {
            case QimenMethods.FromCityQuery:
                Unique(JsonRead.Objects(fields, "fromCityList"), "fromCityList", "cityCode", findings);
                break;
            case QimenMethods.ToCityQuery:
                var i = 0;
                foreach (var city in JsonRead.Objects(fields, "toCityList"))
                {
                    if (Long(city, "preSellDay") is < 0) findings.Add(Finding.Error($"toCityList[{i}].preSellDay", FindingCodes.Range, "preSellDay is negative"));
                    i++;
                }
                break;
            case QimenMethods.NumberQuery:
                CheckLineSchedules(request, fields, ctx, findings);
                break;
            case QimenMethods.SeatQuery:
                if (Long(fields, "leftTicketCnt") is < 0) findings.Add(Finding.Error("leftTicketCnt", FindingCodes.Range, "leftTicketCnt is negative"));
                if (Long(fields, "ticketPrice") is <= 0) findings.Add(Finding.Error("ticketPrice", FindingCodes.Range, "a changed ticketPrice must be above 0 fen"));
                break;
            case QimenMethods.OrderCreate:
                Echo(request, fields, "alitripOrderId", findings);
                Unique(JsonRead.Objects(fields, "passengerList"), "passengerList", "passengerId", findings);
                var asked = JsonRead.Objects(request, "passengerList").Select(p => Str(p, "passengerId")).ToHashSet();
                var k = 0;
                foreach (var p in JsonRead.Objects(fields, "passengerList"))
                {
                    if (Str(p, "passengerId") is { } id && !asked.Contains(id))
                        findings.Add(Finding.Error($"passengerList[{k}].passengerId", FindingCodes.Echo, $"passengerId '{id}' is not a passenger of the order"));
                    k++;
                }
                if (Str(fields, "lockExpireTime") is { } lockText && ParseChina(lockText) is { } lockAt && lockAt <= ctx.Now)
                    findings.Add(Finding.Warning("lockExpireTime", FindingCodes.Range, $"the seat lock expires at {lockText}, already past: the user has no time to pay"));
                break;
            case QimenMethods.OrderConfirm:
            case QimenMethods.OrderQuery:
                Echo(request, fields, "alitripOrderId", findings);
                Echo(request, fields, "agentOrderId", findings);
                CheckTicketedPassengers(fields, ctx, findings);
                break;
            case QimenMethods.ReturnQuery:
                Echo(request, fields, "alitripOrderId", findings);
                Echo(request, fields, "agentOrderId", findings);
                Unique(JsonRead.Objects(fields, "passengerList"), "passengerList", "passengerId", findings);
                CheckRefundFees(fields, ctx, findings);
                break;
            case QimenMethods.ReturnConfirm:
                CheckRefundAmount(request, fields, ctx, findings);
                break;
            case QimenMethods.OfflineNumberQuery:
                var n = 0;
                foreach (var ls in JsonRead.Objects(fields, "lineSchedule"))
                {
                    var s = 0;
                    foreach (var schedule in JsonRead.Objects(ls, "scheduleList"))
                    {
                        if (Long(schedule, "saleStatus") == 1)
                            findings.Add(Finding.Warning($"lineSchedule[{n}].scheduleList[{s}].saleStatus", FindingCodes.Consistency,
                                "a stopped schedule is listed as saleable (saleStatus 1)"));
                        s++;
                    }
                    n++;
                }
                break;
        }
        return findings;
    }

    static void CheckLineSchedules(JsonObject request, JsonObject fields, ReplyContext ctx, List<Finding> findings)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var n = 0;
        foreach (var ls in JsonRead.Objects(fields, "lineSchedule"))
        {
            var at = $"lineSchedule[{n++}]";
            if (ls["line"] is not JsonObject lineNode) continue;
            var line = Line.Read(lineNode);
            CheckLine(request, line, lineNode, $"{at}.line", findings);
            var s = 0;
            foreach (var node in JsonRead.Objects(ls, "scheduleList"))
            {
                var sat = $"{at}.scheduleList[{s++}]";
                var schedule = Schedule.Read(node);
                if (schedule.ScheduleId.Length == 0) continue;
                if (ids.TryGetValue(schedule.ScheduleId, out var first))
                    findings.Add(Finding.Error($"{sat}.scheduleId", FindingCodes.Unique, $"scheduleId '{schedule.ScheduleId}' is also {first}: it must be unique"));
                else ids[schedule.ScheduleId] = sat;
                if (ctx.Schedules?.Observe(line, schedule) is { } unstable)
                    findings.Add(Finding.Error($"{sat}.scheduleId", FindingCodes.ScheduleId, unstable));
                if (schedule.TicketPrice <= 0 && node["ticketPrice"] is not null)
                    findings.Add(Finding.Error($"{sat}.ticketPrice", FindingCodes.Range, "ticketPrice must be above 0 fen"));
                if (schedule.ChildPrice > schedule.TicketPrice)
                    findings.Add(Finding.Warning($"{sat}.childPrice", FindingCodes.Range, $"childPrice {schedule.ChildPrice} is above ticketPrice {schedule.TicketPrice}"));
                if (schedule.LeftTicketCnt < 0)
                    findings.Add(Finding.Error($"{sat}.leftTicketCnt", FindingCodes.Range, "leftTicketCnt is negative"));
                if (Str(request, "fromDate") is { Length: > 0 } date && schedule.FromDate != date)
                    findings.Add(Finding.Error($"{sat}.fromDate", FindingCodes.Echo, $"fromDate {schedule.FromDate} was not asked for ({date})"));
                switch (line.FromTimeType)
                {
                    case 1 when schedule.FromTime is null && line.FromTime is null:
                        findings.Add(Finding.Error($"{sat}.fromTime", FindingCodes.Missing, "fromTimeType 1 needs fromTime on the schedule or the line"));
                        break;
                    case 3 or 4:
                        var begin = schedule.FromDurationBegin ?? Str(lineNode, "fromDurationBegin");
                        var end = schedule.FromDurationEnd ?? Str(lineNode, "fromDurationEnd");
                        if (begin is null || end is null)
                            findings.Add(Finding.Error($"{sat}.fromDurationBegin", FindingCodes.Missing,
                                $"fromTimeType {line.FromTimeType} needs fromDurationBegin and fromDurationEnd on the schedule or the line"));
                        else if (string.CompareOrdinal(Pad(begin), Pad(end)) >= 0)
                            findings.Add(Finding.Error($"{sat}.fromDurationEnd", FindingCodes.Range, $"the window {begin}–{end} ends before it begins"));
                        break;
                }
            }
        }
    }

    static string Pad(string time) => time.Length == 5 ? time + ":00" : time;

    static void CheckLine(JsonObject request, Line line, JsonObject node, string at, List<Finding> findings)
    {
        if (Str(request, "fromCity") is { Length: > 0 } askedFrom && line.FromCity.Length > 0 && line.FromCity != askedFrom)
            findings.Add(Finding.Error($"{at}.fromCity", FindingCodes.Echo, $"line from '{line.FromCity}' answered to a query from '{askedFrom}'"));
        if (Str(request, "toCity") is { Length: > 0 } askedTo && line.ToCity.Length > 0 && line.ToCity != askedTo)
            findings.Add(Finding.Error($"{at}.toCity", FindingCodes.Echo, $"line to '{line.ToCity}' answered to a query to '{askedTo}'"));
        if (line.FromTimeType == 2)
            findings.Add(Finding.Error($"{at}.fromTimeType", FindingCodes.Enum, "fromTimeType 2 is reserved; use 1 (fixed time), 3 (range) or 4 (fixed window, 流水班)"));

        var stations = JsonRead.Objects(node, "stationList").ToList();
        if (stations.Count < 2)
            findings.Add(Finding.Error($"{at}.stationList", FindingCodes.Station, $"{stations.Count} station(s): a line needs a boarding and an alighting point"));
        Unique(stations, $"{at}.stationList", "stationCode", findings);
        Unique(stations, $"{at}.stationList", "seq", findings);
        if (stations.Count >= 2 && (!line.Stations.Any(s => s.Boarding) || !line.Stations.Any(s => s.Alighting)))
            findings.Add(Finding.Error($"{at}.stationList", FindingCodes.Station, "no station lets passengers board, or none lets them alight (stationFunction)"));
        for (var i = 0; i < stations.Count; i++)
        {
            var st = Station.Read(stations[i]);
            var sat = $"{at}.stationList[{i}]";
            switch (st.Type)
            {
                case 1:
                    if (st.Longitude is null || st.Latitude is null)
                        findings.Add(Finding.Error($"{sat}.longitude", FindingCodes.Missing, "a fixed point (stationType 1) must carry longitude and latitude"));
                    else if (!InRange(st.Longitude, 180) || !InRange(st.Latitude, 90))
                        findings.Add(Finding.Error($"{sat}.longitude", FindingCodes.Range, $"({st.Longitude}, {st.Latitude}) is not a longitude/latitude pair"));
                    break;
                case 2:
                    if (st.Geofence is null)
                        findings.Add(Finding.Error($"{sat}.geofence", FindingCodes.Missing, "an area (stationType 2) must carry its geofence"));
                    else if (Geofence.Problem(st.Geofence) is { } problem)
                        findings.Add(Finding.Error($"{sat}.geofence", FindingCodes.Geofence, problem));
                    break;
            }
        }

        var pairs = new HashSet<(string, string)>();
        var p = 0;
        foreach (var price in line.SegmentPrices)
        {
            var pat = $"{at}.segmentPrices[{p++}]";
            var from = line.StationByCode(price.FromStationCode);
            var to = line.StationByCode(price.ToStationCode);
            if (from is null || to is null)
            {
                findings.Add(Finding.Error(pat, FindingCodes.SegmentPrice,
                    $"section {price.FromStationCode}→{price.ToStationCode} names a station the line does not have"));
                continue;
            }
            if (from.Seq >= to.Seq)
                findings.Add(Finding.Error(pat, FindingCodes.SegmentPrice, $"section {from.Code}→{to.Code} runs against the line's direction (seq {from.Seq}→{to.Seq})"));
            if (!from.Boarding || !to.Alighting)
                findings.Add(Finding.Error(pat, FindingCodes.SegmentPrice, $"section {from.Code}→{to.Code}: {(from.Boarding ? to.Code + " is not an alighting point" : from.Code + " is not a boarding point")}"));
            if (price.TicketPrice <= 0)
                findings.Add(Finding.Error($"{pat}.ticketPrice", FindingCodes.SegmentPrice, $"section {from.Code}→{to.Code} costs {price.TicketPrice} fen"));
            if (price.ChildPrice > price.TicketPrice)
                findings.Add(Finding.Warning($"{pat}.childPrice", FindingCodes.SegmentPrice, $"section {from.Code}→{to.Code}: childPrice above ticketPrice"));
            if (!pairs.Add((from.Code, to.Code)))
                findings.Add(Finding.Error(pat, FindingCodes.SegmentPrice, $"section {from.Code}→{to.Code} is priced twice"));
        }

        if (line.IsRoundTrip && line.BackDays is not (>= 0 and <= 2))
            findings.Add(Finding.Error($"{at}.backDays", line.BackDays is null ? FindingCodes.Missing : FindingCodes.Range,
                "a round-trip line needs backDays 0 (same day), 1 or 2: returns within 3 days only"));
        if (line.MaxSellNum is < 1)
            findings.Add(Finding.Error($"{at}.maxSellNum", FindingCodes.Range, "maxSellNum must be at least 1"));
        foreach (var problem in RefundPolicy.Problems(line.RefundRules))
            findings.Add(Finding.Error($"{at}.refundRuleList", FindingCodes.RefundRule, problem));
        if (!line.IsRefund && line.RefundRules.Any(r => r.CanRefund))
            findings.Add(Finding.Warning($"{at}.refundRuleList", FindingCodes.RefundRule, "isRefund is false but a rule allows refunds"));
    }

    static void CheckTicketedPassengers(JsonObject fields, ReplyContext ctx, List<Finding> findings)
    {
        var status = Str(fields, "status");
        var seen = new HashSet<string>();
        var i = 0;
        foreach (var p in JsonRead.Objects(fields, "passengerList"))
        {
            var at = $"passengerList[{i++}]";
            var id = Str(p, "passengerId");
            if (id is not null && ctx.PassengerPrices is { } prices && !prices.ContainsKey(id))
                findings.Add(Finding.Error($"{at}.passengerId", FindingCodes.Echo, $"passengerId '{id}' is not a passenger of the order"));
            if (id is not null && !seen.Add(id))
                findings.Add(Finding.Error($"{at}.passengerId", FindingCodes.Unique, $"passengerId '{id}' is listed twice"));
            var ticketStatus = Str(p, "ticketStatus");
            if (ticketStatus is not null && TicketStatus.FromMerchant(ticketStatus) == TicketStatus.Unknown && ticketStatus != TicketStatus.Unknown)
                findings.Add(Finding.Warning($"{at}.ticketStatus", FindingCodes.Enum, $"ticketStatus '{ticketStatus}' is not a code of §6.2; recorded as -1 (未知)"));
            if (status == OrderStatus.Issued && ticketStatus is TicketStatus.Ticketing or TicketStatus.NoTicket)
                findings.Add(Finding.Error($"{at}.ticketStatus", FindingCodes.Consistency, $"order status 3 (出票成功) with ticketStatus {ticketStatus}"));
            if (p["isRefund"] is not null && p["isRrefund"] is not null && Bool(p, "isRefund") != Bool(p, "isRrefund"))
                findings.Add(Finding.Error($"{at}.isRefund", FindingCodes.Consistency, "isRefund and isRrefund disagree"));
            if ((Bool(p, "isRefund") ?? Bool(p, "isRrefund")) == true && ctx.PassengerPrices?.GetValueOrDefault(id ?? "") is { } paid and > 0
                && Long(p, "refundAmount") is { } refunded && refunded > paid)
                findings.Add(Finding.Error($"{at}.refundAmount", FindingCodes.Range, $"refundAmount {refunded} is above the {paid} fen paid"));
        }
        if (ctx.PassengerPrices is { } all && status == OrderStatus.Issued && seen.Count > 0 && seen.Count < all.Count)
            findings.Add(Finding.Error("passengerList", FindingCodes.Consistency, $"{seen.Count} of the order's {all.Count} passengers listed for an issued order"));
    }

    static void CheckRefundFees(JsonObject fields, ReplyContext ctx, List<Finding> findings)
    {
        var canRefund = Bool(fields, "canRefund");
        if (canRefund == false)
        {
            if (string.IsNullOrEmpty(Str(fields, "refuseReason")))
                findings.Add(Finding.Warning("refuseReason", FindingCodes.Missing, "canRefund is false without a refuseReason"));
            return;
        }
        var rules = ctx.Line is { RefundRules.Count: > 0 } line ? line.RefundRules : ctx.DefaultRefundRules;
        var hoursBefore = ctx.Departure is { } departure ? (decimal)(departure - ctx.Now).TotalHours : (decimal?)null;
        var i = 0;
        foreach (var p in JsonRead.Objects(fields, "passengerList"))
        {
            var at = $"passengerList[{i++}].refundSurcharge";
            if (Long(p, "refundSurcharge") is not { } fee) continue;
            if (fee < 0)
            {
                findings.Add(Finding.Error(at, FindingCodes.Range, "refundSurcharge is negative"));
                continue;
            }
            if (Str(p, "passengerId") is not { } id || ctx.PassengerPrices is null || !ctx.PassengerPrices.TryGetValue(id, out var price) || price <= 0) continue;
            if (fee > price)
            {
                findings.Add(Finding.Error(at, FindingCodes.Range, $"refundSurcharge {fee} is above the {price} fen ticket"));
                continue;
            }
            if (hoursBefore is not { } hours) continue;
            var quote = RefundPolicy.Quote(rules, price, hours);
            var window = quote.Rule is { } r ? $"[{r.MinHoursBefore} h, {(r.MaxHoursBefore is { } max ? max + " h" : "∞")})" : "no window";
            if (!quote.CanRefund)
                findings.Add(Finding.Warning(at, FindingCodes.RefundFee,
                    $"{hours.ToString("0.#", CultureInfo.InvariantCulture)} h before departure the line's rule ({window}) allows no refund, yet canRefund is true"));
            else if (quote.Fee != fee)
                findings.Add(Finding.Warning(at, FindingCodes.RefundFee,
                    $"refundSurcharge {fee} fen differs from the line's rule: {quote.Rule!.FeePercent} % of {price} = {quote.Fee} fen ({window}, {hours.ToString("0.#", CultureInfo.InvariantCulture)} h before departure); the merchant's value is used"));
        }
    }

    static void CheckRefundAmount(JsonObject request, JsonObject fields, ReplyContext ctx, List<Finding> findings)
    {
        if (Str(fields, "refundStatus") != "1") return;
        if (Long(fields, "refundAmount") is not { } amount)
        {
            findings.Add(Finding.Error("refundAmount", FindingCodes.Missing, "refundStatus 1 (refunded) needs refundAmount"));
            return;
        }
        if (ctx.PassengerPrices is not { } prices) return;
        long paid = 0, expected = 0;
        foreach (var p in JsonRead.Objects(request, "passengerList"))
        {
            var price = prices.GetValueOrDefault(Str(p, "passengerId") ?? "");
            paid += price;
            expected += price - (Long(p, "refundSurcharge") ?? 0);
        }
        if (amount > paid)
            findings.Add(Finding.Error("refundAmount", FindingCodes.Range, $"refundAmount {amount} is above the {paid} fen paid for these tickets"));
        else if (amount != expected)
            findings.Add(Finding.Warning("refundAmount", FindingCodes.RefundFee, $"refundAmount {amount} differs from the {expected} fen agreed in return.query (price less refundSurcharge)"));
    }

    static void Echo(JsonObject request, JsonObject reply, string field, List<Finding> findings)
    {
        var asked = Str(request, field);
        var answered = Str(reply, field);
        if (asked is not null && answered is { Length: > 0 } && asked != answered)
            findings.Add(Finding.Error(field, FindingCodes.Echo, $"{field} '{answered}' is not the one asked for ('{asked}')"));
    }

    static void Unique(IEnumerable<JsonObject> items, string at, string field, List<Finding> findings)
    {
        var seen = new HashSet<string>();
        var i = 0;
        foreach (var item in items)
        {
            if (Str(item, field) is { } value && !seen.Add(value))
                findings.Add(Finding.Error($"{at}[{i}].{field}", FindingCodes.Unique, $"{field} '{value}' appears twice"));
            i++;
        }
    }

    static bool InRange(string text, decimal limit) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v >= -limit && v <= limit;

    /// <summary>A merchant datetime (<c>yyyy-MM-dd HH:mm:ss</c>, GMT+8), or null.</summary>
    public static DateTimeOffset? ParseChina(string text) =>
        DateTimeOffset.TryParseExact(text + " +08:00", "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
