using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using Sandbox.Tests.FliggyBus.ReferenceOperator;

namespace Sandbox.Tests.FliggyBus;

/// <summary>Merchant replies read as spec §2.3 and checked against the §4 tables, each defect with its reason.</summary>
public sealed class ReplyValidationTests
{
    static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;

    [Theory]
    [InlineData("""{"retCode":"0","retDesc":"成功","success":true,"leftTicketCnt":10}""", QimenOutcome.Success)]
    [InlineData("""{"response":{"retCode":"0","retDesc":"成功","success":"TRUE","leftTicketCnt":10}}""", QimenOutcome.Success)]
    [InlineData("""{"retDesc":"Illegal request","success":"false","retCode":"sign-check-failure"}""", QimenOutcome.SignCheckFailure)]
    [InlineData("""{"retCode":"0","retDesc":"成功"}""", QimenOutcome.Failure)]
    [InlineData("""{"retCode":"1001","retDesc":"余票不足","success":false}""", QimenOutcome.Failure)]
    [InlineData("""<html>502</html>""", QimenOutcome.ResponseBodyParseError)]
    [InlineData("""[1,2]""", QimenOutcome.ResponseBodyParseError)]
    public void Reply_outcome_follows_section_2_3(string body, string outcome)
    {
        var reply = QimenReply.Parse(200, body);
        Assert.Equal(outcome, reply.Outcome);
        if (outcome == QimenOutcome.Success) Assert.Equal(10, reply.Fields!["leftTicketCnt"]!.GetValue<int>());
    }

    [Fact]
    public void A_non_2xx_status_is_a_parse_error_whatever_the_body()
    {
        var reply = QimenReply.Parse(500, """{"retCode":"0","success":true}""");
        Assert.Equal(QimenOutcome.ResponseBodyParseError, reply.Outcome);
        Assert.Equal("HTTP 500", reply.Error);
    }

    static IReadOnlyList<Finding> Validate(string method, JsonObject request, string reply, ReplyContext? ctx = null) =>
        ReplyValidator.Validate(method, request, QimenReply.Parse(200, reply), ctx);

    static JsonObject NumberReply(OperatorDefect defects = OperatorDefect.None)
    {
        var apis = new MerchantApis(defects, TimeProvider.System);
        return apis.Handle(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai));
    }

    [Fact]
    public void The_reference_operators_schedules_have_no_finding()
    {
        var findings = Validate(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai), NumberReply().ToJsonString());
        Assert.Empty(findings);
    }

    [Fact]
    public void Crossed_geofence_is_an_error_with_the_crossing_edges()
    {
        var findings = Validate(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai),
            NumberReply(OperatorDefect.CrossedGeofence).ToJsonString());
        var f = Assert.Single(findings);
        Assert.Equal(FindingCodes.Geofence, f.Code);
        Assert.Equal("lineSchedule[0].line.stationList[1].geofence", f.Path);
        Assert.Contains("cross", f.Reason);
    }

    [Theory]
    [InlineData("120.1,30.1;120.2,30.1", "at least three")]
    [InlineData("120.1,30.1;120.2,30.1;120.3,30.1", "one line")]
    [InlineData("120.1,30.1;120.2;120.3,30.2", "not a 'longitude,latitude' point")]
    [InlineData("190.1,30.1;120.2,30.1;120.3,30.2", "outside")]
    [InlineData("0,0;2,2;2,0;0,2", "cross")]
    public void Geofence_problems(string fence, string expected) => Assert.Contains(expected, Geofence.Problem(fence));

    [Theory]
    [InlineData("0,0;2,0;2,2;0,2")]
    [InlineData("0,0;0,2;2,2;2,0;0,0")]
    [InlineData("120.420,30.220;120.450,30.220;120.435,30.250")]
    public void Geofences_in_boundary_order_pass(string fence) => Assert.Null(Geofence.Problem(fence));

    [Fact]
    public void Segment_price_on_an_unknown_station_is_an_error()
    {
        var findings = Validate(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai),
            NumberReply(OperatorDefect.SegmentPriceUnknownStation).ToJsonString());
        var f = Assert.Single(findings);
        Assert.Equal(FindingCodes.SegmentPrice, f.Code);
        Assert.Contains("XXX→SHHQ", f.Reason);
    }

    [Fact]
    public void Section_against_the_line_direction_and_into_a_boarding_only_stop_are_errors()
    {
        var reply = NumberReply();
        var prices = (JsonArray)reply["lineSchedule"]![0]!["line"]!["segmentPrices"]!;
        prices.Add(new JsonObject { ["fromStationCode"] = "SHHQ", ["toStationCode"] = "HZD", ["ticketPrice"] = 6000 });
        var findings = Validate(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai), reply.ToJsonString());
        Assert.Contains(findings, f => f.Code == FindingCodes.SegmentPrice && f.Reason.Contains("against the line's direction"));
        Assert.Contains(findings, f => f.Code == FindingCodes.SegmentPrice && f.Reason.Contains("not a boarding point"));
    }

    [Fact]
    public void Missing_fields_types_and_codes_are_reported_with_their_paths()
    {
        var reply = NumberReply();
        var line = (JsonObject)reply["lineSchedule"]![0]!["line"]!;
        line.Remove("isOrderRefund");
        line["fromTimeType"] = 7;
        ((JsonObject)line["stationList"]![0]!).Remove("longitude");
        var schedule = (JsonObject)reply["lineSchedule"]![0]!["scheduleList"]![0]!;
        schedule["leftTicketCnt"] = "12";
        schedule["fromDate"] = "2024/01/02";
        schedule["saleStatus"] = true;
        var findings = Validate(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai), reply.ToJsonString());
        Assert.Contains(findings, f => f is { Code: FindingCodes.Missing, Path: "lineSchedule[0].line.isOrderRefund", Severity: Severity.Error });
        Assert.Contains(findings, f => f is { Code: FindingCodes.Enum, Path: "lineSchedule[0].line.fromTimeType" });
        Assert.Contains(findings, f => f is { Code: FindingCodes.Missing, Path: "lineSchedule[0].line.stationList[0].longitude" });
        Assert.Contains(findings, f => f is { Code: FindingCodes.Type, Path: "lineSchedule[0].scheduleList[0].leftTicketCnt", Severity: Severity.Warning });
        Assert.Contains(findings, f => f is { Code: FindingCodes.Format, Path: "lineSchedule[0].scheduleList[0].fromDate" });
        Assert.Contains(findings, f => f is { Code: FindingCodes.Type, Path: "lineSchedule[0].scheduleList[0].saleStatus", Severity: Severity.Error });
    }

    [Fact]
    public void Changed_schedule_id_across_syncs_breaks_stability()
    {
        var registry = new ScheduleIdRegistry();
        var ctx = new ReplyContext { Schedules = registry };
        var apis = new MerchantApis(OperatorDefect.UnstableScheduleIds, TimeProvider.System);
        var request = QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai);
        Assert.Empty(Validate(QimenMethods.NumberQuery, request, apis.Handle(QimenMethods.NumberQuery, request).ToJsonString(), ctx));
        var second = Validate(QimenMethods.NumberQuery, request, apis.Handle(QimenMethods.NumberQuery, request).ToJsonString(), ctx);
        Assert.NotEmpty(second);
        Assert.All(second, f => Assert.Equal(FindingCodes.ScheduleId, f.Code));
        Assert.Contains("Fliggy takes it for a new schedule", second[0].Reason);

        var stable = new MerchantApis(OperatorDefect.None, TimeProvider.System);
        var fresh = new ReplyContext { Schedules = new ScheduleIdRegistry() };
        for (var i = 0; i < 2; i++) Assert.Empty(Validate(QimenMethods.NumberQuery, request, stable.Handle(QimenMethods.NumberQuery, request).ToJsonString(), fresh));
    }

    [Fact]
    public void Same_schedule_id_on_two_departures_is_reported()
    {
        var reply = NumberReply();
        var list = (JsonArray)reply["lineSchedule"]![0]!["scheduleList"]!;
        list[1]!["scheduleId"] = list[0]!["scheduleId"]!.GetValue<string>();
        var findings = Validate(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai), reply.ToJsonString(),
            new ReplyContext { Schedules = new ScheduleIdRegistry() });
        Assert.Contains(findings, f => f.Code == FindingCodes.Unique);
        Assert.Contains(findings, f => f.Code == FindingCodes.ScheduleId && f.Reason.Contains("already names"));
    }

    [Fact]
    public void Create_order_must_echo_the_order_and_answer_status_1()
    {
        var request = new JsonObject { ["alitripOrderId"] = "111", ["passengerList"] = new JsonArray(new JsonObject { ["passengerId"] = "1" }) };
        var findings = Validate(QimenMethods.OrderCreate, request,
            """{"retCode":"0","retDesc":"成功","success":true,"agentOrderId":"A1","alitripOrderId":"112","status":"3","passengerList":[{"passengerId":"9"}]}""");
        Assert.Contains(findings, f => f is { Code: FindingCodes.Echo, Path: "alitripOrderId" });
        Assert.Contains(findings, f => f is { Code: FindingCodes.Enum, Path: "status" });
        Assert.Contains(findings, f => f is { Code: FindingCodes.Echo, Path: "passengerList[0].passengerId" });
    }

    [Fact]
    public void Confirm_with_an_unknown_ticket_status_is_a_warning_recorded_as_minus_one()
    {
        var request = QimenRequests.OrderRef("A1", "111");
        var findings = Validate(QimenMethods.OrderConfirm, request,
            """{"retCode":"0","retDesc":"成功","success":true,"agentOrderId":"A1","alitripOrderId":"111","agentIssueTime":"2024-01-01 12:00:00","status":"3","passengerList":[{"passengerName":"张三","passengerType":"0","passengerCertificateNo":"330106198601110017","passengerCertificateType":"1","passengerId":"1","ticketStatus":"8"}]}""");
        var f = Assert.Single(findings);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal(TicketStatus.Unknown, TicketStatus.FromMerchant("8"));
    }

    [Fact]
    public void Refusal_without_retDesc_is_a_warning_only()
    {
        var findings = Validate(QimenMethods.SeatQuery, new JsonObject(), """{"retCode":"1001","success":false}""");
        Assert.Equal(Severity.Warning, Assert.Single(findings).Severity);
    }

    [Theory]
    [InlineData(2500, 4.5, true, 625)]
    [InlineData(3333, 4.5, true, 833)]
    [InlineData(2500, 10, true, 250)]
    [InlineData(3333, 10, true, 333)]
    [InlineData(2500, 30, true, 125)]
    [InlineData(3333, 30, true, 167)]
    [InlineData(3333, 72, true, 0)]
    [InlineData(2500, 2.9, false, 0)]
    public void Refund_fee_of_the_seed_rule(long price, double hours, bool canRefund, long fee)
    {
        var quote = RefundPolicy.Quote(RefundRule.SeedExample, price, (decimal)hours);
        Assert.Equal(canRefund, quote.CanRefund);
        Assert.Equal(fee, quote.Fee);
    }

    [Fact]
    public void Refund_fee_differing_from_the_rule_is_a_warning_naming_the_rule()
    {
        var now = DateTimeOffset.UtcNow;
        var ctx = new ReplyContext { Now = now, Departure = now.AddHours(10), PassengerPrices = new Dictionary<string, long> { ["1"] = 3333 } };
        var findings = Validate(QimenMethods.ReturnQuery, QimenRequests.OrderRef("A1", "111"),
            """{"retCode":"0","retDesc":"成功","success":true,"agentOrderId":"A1","alitripOrderId":"111","canRefund":true,"passengerList":[{"passengerId":"1","refundSurcharge":300}]}""", ctx);
        var f = Assert.Single(findings);
        Assert.Equal(FindingCodes.RefundFee, f.Code);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Contains("10 % of 3333 = 333 fen", f.Reason);
    }

    [Fact]
    public void Refund_amount_above_what_was_paid_is_an_error()
    {
        var ctx = new ReplyContext { PassengerPrices = new Dictionary<string, long> { ["1"] = 3000 } };
        var request = new JsonObject { ["passengerList"] = new JsonArray(new JsonObject { ["passengerId"] = "1", ["refundSurcharge"] = 300 }) };
        Assert.Contains(Validate(QimenMethods.ReturnConfirm, request, """{"retCode":"0","success":true,"refundStatus":"1","refundAmount":3500}""", ctx),
            f => f is { Code: FindingCodes.Range, Severity: Severity.Error });
        Assert.Contains(Validate(QimenMethods.ReturnConfirm, request, """{"retCode":"0","success":true,"refundStatus":"1"}""", ctx),
            f => f is { Code: FindingCodes.Missing, Path: "refundAmount" });
        Assert.Empty(Validate(QimenMethods.ReturnConfirm, request, """{"retCode":"0","success":true,"refundStatus":"1","refundAmount":2700}""", ctx));
    }

    [Fact]
    public void Overlapping_refund_windows_are_reported()
    {
        var problems = RefundPolicy.Problems([new RefundRule(0, 6, false, 0), new RefundRule(3, null, true, 120)]).ToList();
        Assert.Contains(problems, p => p.Contains("overlap"));
        Assert.Contains(problems, p => p.Contains("outside 0–100"));
    }

    [Fact]
    public void Identity_numbers_of_test_passengers_carry_a_valid_check_digit()
    {
        Assert.True(IdentityNumbers.IsValid("11010519491231002X"));
        var made = IdentityNumbers.Make("330106", new DateOnly(1986, 2, 11), 101);
        Assert.True(IdentityNumbers.IsValid(made));
        Assert.False(IdentityNumbers.IsValid(made[..17] + (made[17] == '0' ? '1' : '0')));
    }

    [Theory]
    [InlineData("1", "01")]
    [InlineData("4", "04")]
    public void Certificate_codes_map_between_Qimen_and_TOP(string qimen, string top)
    {
        Assert.Equal(top, CertificateTypes.ToTop(qimen));
        Assert.Equal(qimen, CertificateTypes.FromTop(top));
    }
}
