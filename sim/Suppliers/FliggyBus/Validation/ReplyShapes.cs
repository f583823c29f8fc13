using System.Collections.Frozen;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Validation.FieldType;

namespace Sandbox.Suppliers.FliggyBus.Validation;

/// <summary>The reply tables of spec §4, one shape per merchant API (besides retCode, retDesc and success).</summary>
public static class ReplyShapes
{
    static readonly string[] OrderStatuses = OrderStatus.All.ToArray();
    static readonly string[] PassengerTypes = ["0", "1"];

    static readonly Shape FromCity = new(
        new("provinceName", Text, Required: true),
        new("provinceCode", Text),
        new("fromCity", Text, Required: true),
        new("cityCode", Text, Required: true));

    static readonly Shape ToCity = new(
        new("provinceName", Text),
        new("toCity", Text, Required: true),
        new("preSellDay", Number, Required: true),
        new("cityCode", Text));

    public static readonly Shape Station = new(
        new("stationCode", Text, Required: true),
        new("stationName", Text, Required: true),
        new("seq", Number, Required: true),
        new("stationFunction", Number, Required: true, OneOf: ["1", "2", "3"]),
        new("stationType", Number, Required: true, OneOf: ["1", "2", "3"]),
        new("longitude", Text, Format: FieldFormat.Decimal),
        new("latitude", Text, Format: FieldFormat.Decimal),
        new("address", Text),
        new("geofence", Text),
        new("stationFeature", Text),
        new("arriveOffsetMinutes", Number));

    static readonly Shape SegmentPrice = new(
        new("fromStationCode", Text, Required: true),
        new("toStationCode", Text, Required: true),
        new("ticketPrice", Number, Required: true),
        new("childPrice", Number));

    static readonly Shape TransferPoint = new(
        new("name", Text, Required: true),
        new("address", Text),
        new("longitude", Text, Format: FieldFormat.Decimal),
        new("latitude", Text, Format: FieldFormat.Decimal),
        new("remark", Text));

    static readonly Shape RefundRule = new(
        new("minHoursBefore", Number, Required: true),
        new("maxHoursBefore", Number),
        new("canRefund", Bool, Required: true),
        new("feePercent", Number));

    static readonly Shape Line = new(
        new("id", Text, Required: true),
        new("name", Text, Required: true),
        new("desc", Text),
        new("fromTimeType", Number, Required: true, OneOf: ["1", "2", "3", "4"]),
        new("fromDate", Text, Format: FieldFormat.Date),
        new("fromTime", Text, Format: FieldFormat.Time),
        new("fromDurationBegin", Text, Format: FieldFormat.Time),
        new("fromDurationEnd", Text, Format: FieldFormat.Time),
        new("fromCity", Text, Required: true),
        new("toCity", Text, Required: true),
        new("stationList", List, Required: true, Item: Station),
        new("segmentPrices", List, Item: SegmentPrice),
        new("transferPoints", List, Item: TransferPoint),
        new("isRoundTrip", Bool),
        new("backDays", Number),
        new("isRefund", Bool, Required: true),
        new("isOrderRefund", Bool, Required: true),
        new("refundRule", Text),
        new("refundRuleList", List, Item: RefundRule),
        new("maxSellNum", Number),
        new("preSellDay", Number));

    static readonly Shape Schedule = new(
        new("scheduleId", Text, Required: true),
        new("goodsId", Text),
        new("fromDate", Text, Required: true, Format: FieldFormat.Date),
        new("fromTime", Text, Format: FieldFormat.Time),
        new("fromDurationBegin", Text, Format: FieldFormat.Time),
        new("fromDurationEnd", Text, Format: FieldFormat.Time),
        new("ticketPrice", Number, Required: true),
        new("childPrice", Number),
        new("leftTicketCnt", Number, Required: true),
        new("saleStatus", Number, Required: true, OneOf: ["0", "1"]));

    static readonly Shape LineSchedule = new(
        new("line", Nested, Required: true, Item: Line),
        new("scheduleList", List, Required: true, Item: Schedule));

    /// <summary>The stopped-schedule reply's line carries only what page apiId=63223 shows.</summary>
    static readonly Shape OfflineLineSchedule = new(
        new("line", Nested, Required: true, Item: new Shape(
            new("id", Text, Required: true),
            new("name", Text, Required: true),
            new("desc", Text),
            new("fromDate", Text, Format: FieldFormat.Date),
            new("fromTime", Text, Format: FieldFormat.Time),
            new("fromDurationBegin", Text, Format: FieldFormat.Time),
            new("fromDurationEnd", Text, Format: FieldFormat.Time))),
        new("scheduleList", List, Item: Schedule));

    static readonly Field[] TicketedPassenger =
    [
        new("passengerName", Text, Required: true),
        new("passengerType", Text, Required: true, OneOf: PassengerTypes),
        new("passengerCertificateNo", Text, Required: true),
        new("passengerCertificateType", Text, Required: true, OneOf: CertificateTypes.Qimen),
        new("passengerId", Text, Required: true, Format: FieldFormat.Digits),
        new("ticketId", Text),
        new("ticketNo", Text),
        new("ticketPwd", Text),
        new("ticketSeatNo", Text),
        new("eTicketNo", Text),
        new("eTicketQrCode", Text),
        // Unknown codes are recorded as -1 (spec §6.2): a warning from the validator, not a shape error.
        new("ticketStatus", Text),
    ];

    static readonly Field[] OrderView =
    [
        new("alitripOrderId", Text, Required: true),
        new("agentOrderId", Text, Required: true),
        new("agentIssueTime", Text, Required: true, Format: FieldFormat.DateTime),
        new("status", Text, Required: true, OneOf: OrderStatuses),
        new("statusDesc", Text),
        new("fetchTicketSpot", Text),
        new("ticketWicket", Text),
        new("smsContent", Text),
    ];

    static readonly FrozenDictionary<string, Shape> ByMethod = new Dictionary<string, Shape>
    {
        [QimenMethods.FromCityQuery] = new(new Field("fromCityList", List, Required: true, Item: FromCity)),
        [QimenMethods.ToCityQuery] = new(new Field("toCityList", List, Required: true, Item: ToCity)),
        [QimenMethods.NumberQuery] = new(new Field("lineSchedule", List, Required: true, Item: LineSchedule)),
        [QimenMethods.SeatQuery] = new(
            new("leftTicketCnt", Number, Required: true),
            new("startTime", Text, Format: FieldFormat.DateTime),
            new("ticketPrice", Amount),
            new("saleStatus", Number, OneOf: ["0", "1"])),
        [QimenMethods.OrderCreate] = new(
            new("agentOrderId", Text, Required: true),
            new("alitripOrderId", Text, Required: true),
            new("status", Text, Required: true, OneOf: [OrderStatus.AwaitingPayment]),
            new("statusDesc", Text),
            new("lockExpireTime", Text, Format: FieldFormat.DateTime),
            new("passengerList", List, Item: new Shape(
                new("passengerId", Text, Required: true, Format: FieldFormat.Digits),
                new("ticketId", Text)))),
        [QimenMethods.OrderConfirm] = new([.. OrderView, new("passengerList", List, Required: true, Item: new Shape(TicketedPassenger))]),
        [QimenMethods.OrderQuery] = new([.. OrderView, new("passengerList", List, Required: true, Item: new Shape(
            [.. TicketedPassenger, new("isRefund", Bool), new("isRrefund", Bool), new("refundAmount", Number),
             new("refundTime", Text, Format: FieldFormat.DateTime)]))]),
        [QimenMethods.ReturnQuery] = new(
            new("agentOrderId", Text, Required: true),
            new("alitripOrderId", Text, Required: true),
            new("canRefund", Bool, Required: true),
            new("refuseReason", Text),
            new("passengerList", List, Item: new Shape(
                new("passengerId", Text, Required: true, Format: FieldFormat.Digits),
                new("passengerName", Text),
                new("passengerCertificateNo", Text),
                new("passengerCertificateType", Text),
                new("ticketId", Text),
                new("refundSurcharge", Number, Required: true)))),
        [QimenMethods.ReturnConfirm] = new(
            new("refundStatus", Text, Required: true, OneOf: ["1", "2"]),
            new("refundAmount", Number)),
        [QimenMethods.OfflineNumberQuery] = new(new Field("lineSchedule", List, Item: OfflineLineSchedule)),
        [QimenMethods.OrderClose] = new(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static Shape For(string method) => ByMethod[method];
}
