using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Sandbox.Suppliers.FliggyBus.Cli;
using Sandbox.Suppliers.FliggyBus.Conformance;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Tests.FliggyBus.ReferenceOperator;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// The Qimen client and the conformance runner against real HTTP on loopback: the reference operator passes every
/// check; each defect of the broken operator fails the check that names it, with the right reason.
/// </summary>
public sealed class ConformanceTests
{
    static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    static ConformanceOptions Options(ReferenceOperator.ReferenceOperator op) => new()
    {
        Url = op.Url,
        AppKey = ReferenceOperator.ReferenceOperator.AppKey,
        Secret = ReferenceOperator.ReferenceOperator.Secret,
        TopAppKey = "12345678",
        Timeout = TimeSpan.FromSeconds(5),
    };

    static Task<ConformanceReport> RunAsync(ConformanceOptions options) =>
        new ConformanceRunner(new QimenClient(Http), TimeProvider.System).RunAsync(options);

    static string Describe(ConformanceReport report) => string.Join("\n", report.Checks.Select(c => c.Line()));

    [Fact]
    public async Task Reference_operator_passes_every_check()
    {
        await using var op = await ReferenceOperator.ReferenceOperator.StartAsync();
        var report = await RunAsync(Options(op));
        Assert.True(report.Conforms, Describe(report));
        var names = report.Checks.Select(c => c.Name).ToList();
        Assert.Equal(["sign.bad-signature", "sign.stale-timestamp", "sign.tampered-body", "method.unknown", "order.query.unknown-order", .. ConformanceRunner.FlowChecks], names);
        Assert.Contains("retCode sign-check-failure", report.Checks.Single(c => c.Name == "sign.bad-signature").Reason);
        // The refund ran twice (the repeat must not refund again); only the two deliberately mis-signed requests failed verification.
        Assert.Equal(2, op.Received.Count(r => r.Method == QimenMethods.ReturnConfirm));
        Assert.Equal(2, op.Received.Count(r => !r.SignatureValid));
    }

    [Fact]
    public async Task Reference_operator_with_asynchronous_ticketing_and_signed_trace_passes()
    {
        await using var op = await ReferenceOperator.ReferenceOperator.StartAsync();
        op.Apis.AsyncTicketing = true;
        var report = await RunAsync(Options(op) with { SignedTrace = true, PassengerCount = 3 });
        Assert.True(report.Conforms, Describe(report));
        Assert.Contains("status 2", report.Checks.Single(c => c.Name == "order.confirm").Reason);
    }

    [Theory]
    [InlineData(OperatorDefect.AcceptsAnySignature, "sign.bad-signature", "was accepted (success=true)")]
    [InlineData(OperatorDefect.AcceptsAnySignature, "sign.tampered-body", "was accepted")]
    [InlineData(OperatorDefect.IgnoresTimestamp, "sign.stale-timestamp", "30 minutes old")]
    [InlineData(OperatorDefect.AcceptsUnknownMethod, "method.unknown", "qimen.alitrip.custombus.sandbox.unknown")]
    [InlineData(OperatorDefect.UnstableScheduleIds, "number.query.stable-schedule-id", "Fliggy takes it for a new schedule")]
    [InlineData(OperatorDefect.NonIdempotentCreate, "order.create.idempotent", "created a second order")]
    [InlineData(OperatorDefect.SeatsNotLocked, "order.create.seat-count", "expected")]
    [InlineData(OperatorDefect.RefundsTwice, "return.query.refunded-ticket", "still offers a refund")]
    [InlineData(OperatorDefect.CrossedGeofence, "number.query", "cross")]
    [InlineData(OperatorDefect.SegmentPriceUnknownStation, "number.query", "names a station the line does not have")]
    [InlineData(OperatorDefect.MissingCityCode, "fromcity.query", "cityCode")]
    [InlineData(OperatorDefect.CloseKeepsSeats, "order.close.seats-released", "was not released")]
    public async Task Broken_operator_fails_the_right_check_with_the_right_reason(OperatorDefect defect, string check, string reason)
    {
        await using var op = await ReferenceOperator.ReferenceOperator.StartAsync(defect);
        var report = await RunAsync(Options(op));
        Assert.False(report.Conforms);
        var failed = report.Checks.Single(c => c.Name == check);
        Assert.True(failed.Status == CheckStatus.Fail, Describe(report));
        Assert.Contains(reason, failed.Reason);
        Assert.StartsWith("curl -sS -X POST '" + op.Url + "?method=", failed.Curl);
        Assert.StartsWith("FAIL " + check + ": ", failed.Line());
    }

    [Fact]
    public async Task Unreachable_operator_fails_every_check_without_an_exception()
    {
        var report = await RunAsync(new ConformanceOptions { Url = $"http://127.0.0.1:{FreePort()}/qimen", AppKey = "k", Secret = "s" });
        Assert.False(report.Conforms);
        Assert.All(report.Checks, c => Assert.NotEqual(CheckStatus.Pass, c.Status));
        Assert.Contains(QimenOutcome.ConnectionError, report.Checks.First(c => c.Name == "fromcity.query").Reason);
    }

    [Theory]
    [InlineData("""{"success":true,"retCode":"0","fromCityList":[{"provinceName":"p","fromCity":"A","cityCode":"1"}],"toCityList":[{"toCity":"B","preSellDay":1}],"lineSchedule":[{"line":{"id":"L","name":"n","fromTimeType":1,"fromCity":"A","toCity":"B","stationList":[{"stationCode":"s1","stationName":"a","seq":1,"stationFunction":1,"stationType":1,"longitude":"1","latitude":"1"},{"stationCode":"s2","stationName":"b","seq":2,"stationFunction":2,"stationType":1,"longitude":"1","latitude":"2"}],"isRefund":true,"isOrderRefund":false},"scheduleList":[{"scheduleId":"S","fromDate":"2099-01-01","fromTime":"10:00","ticketPrice":100,"leftTicketCnt":50,"saleStatus":1}]}],"leftTicketCnt":50,"saleStatus":1,"agentOrderId":"A","status":"3","agentIssueTime":"2099-01-01 00:00:00","canRefund":true,"refundStatus":"1","refundAmount":1,"passengerList":[{"passengerId":"1","passengerName":"n","passengerType":"0","passengerCertificateNo":"c","passengerCertificateType":"1","refundSurcharge":0},{"passengerId":"1"}]}""")]
    [InlineData("""{"success":true,"fromCityList":[{"fromCity":"A"}],"toCityList":[{"toCity":"B"}],"lineSchedule":[{"line":{"stationList":"x","segmentPrices":[1],"refundRuleList":{"a":1}},"scheduleList":[{"scheduleId":7,"leftTicketCnt":"many","fromDate":null}]}],"passengerList":7,"status":[3]}""")]
    [InlineData("""{"response":{"response":{"success":true}},"success":"maybe"}""")]
    public async Task An_operator_answering_nonsense_fails_checks_and_never_breaks_the_run(string reply)
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ => (200, reply);
        var report = await RunAsync(new ConformanceOptions { Url = receiver.Url + "/qimen", AppKey = "k", Secret = "s", Timeout = TimeSpan.FromSeconds(5) });
        Assert.False(report.Conforms);
        // Every check listed once, whatever failed where.
        Assert.Equal(5 + ConformanceRunner.FlowChecks.Length, report.Checks.Count);
        Assert.Equal(report.Checks.Count, report.Checks.Select(c => c.Name).Distinct().Count());
        Assert.Contains(report.Checks, c => c.Status == CheckStatus.Fail);
    }

    [Fact]
    public async Task Client_records_the_call_and_times_out_on_a_silent_operator()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ =>
        {
            Thread.Sleep(1500);
            return (200, "{}");
        };
        var client = new QimenClient(Http);
        var endpoint = new QimenEndpoint(receiver.Url + "/qimen", "k", "s", "c", null);
        var call = await client.CallAsync(endpoint, QimenMethods.SeatQuery, new JsonObject { ["scheduleId"] = "X1" }, TimeSpan.FromMilliseconds(200));
        Assert.Equal(QimenOutcome.Timeout, call.Outcome);
        Assert.Equal("timeout", call.Verdict);
        Assert.False(call.Accepted);

        receiver.Reply = _ => (200, """{"retCode":"0","retDesc":"成功","success":true,"leftTicketCnt":-1}""");
        var ok = await client.CallAsync(endpoint, QimenMethods.SeatQuery, new JsonObject { ["scheduleId"] = "X1" }, TimeSpan.FromSeconds(5));
        Assert.Equal(QimenOutcome.Success, ok.Outcome);
        Assert.Equal(200, ok.HttpStatus);
        Assert.Equal("""{"scheduleId":"X1"}""", ok.Body);
        Assert.StartsWith(receiver.Url + "/qimen?method=qimen.alitrip.custombus.product.seat.query&app_key=k&customerId=c&format=json&v=2.0&sign_method=md5&timestamp=", ok.Url);
        Assert.Equal(ok.Sign, ok.Url[(ok.Url.LastIndexOf("sign=", StringComparison.Ordinal) + 5)..]);
        var received = (await receiver.WaitForAsync(2))[^1];
        Assert.Equal("""{"scheduleId":"X1"}""", received.Body);
        Assert.Equal("application/json;charset=utf-8", received.Headers["Content-Type"]);

        receiver.Reply = _ => (502, "bad gateway");
        var bad = await client.CallAsync(endpoint, QimenMethods.SeatQuery, new JsonObject(), TimeSpan.FromSeconds(5));
        Assert.Equal(QimenOutcome.ResponseBodyParseError, bad.Outcome);
        Assert.Equal("bad gateway", bad.ReplyBody);
    }

    [Fact]
    public async Task Cli_prints_one_line_per_check_writes_junit_and_html_and_exits_by_the_result()
    {
        await using var good = await ReferenceOperator.ReferenceOperator.StartAsync();
        await using var broken = await ReferenceOperator.ReferenceOperator.StartAsync(OperatorDefect.NonIdempotentCreate);
        var dir = Directory.CreateTempSubdirectory("fliggybus-conformance-");
        try
        {
            var junit = Path.Combine(dir.FullName, "results.xml");
            var html = Path.Combine(dir.FullName, "report.html");
            var output = new StringWriter();
            var exit = ConformanceCommand.Run(["conformance", "--url", good.Url, "--app-key", ReferenceOperator.ReferenceOperator.AppKey,
                "--secret", ReferenceOperator.ReferenceOperator.Secret, "--junit", junit, "--report", html], output, new StringWriter());
            Assert.Equal(0, exit);
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5 + ConformanceRunner.FlowChecks.Length, lines.Count(l => l.StartsWith("PASS ", StringComparison.Ordinal)));
            var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
            Assert.Equal("0", suite.Attribute("failures")!.Value);
            Assert.Equal(5 + ConformanceRunner.FlowChecks.Length, suite.Elements("testcase").Count());
            Assert.Contains("the operator conforms", File.ReadAllText(html));

            output = new StringWriter();
            exit = ConformanceCommand.Run(["conformance", "--url", broken.Url, "--app-key", ReferenceOperator.ReferenceOperator.AppKey,
                "--secret", ReferenceOperator.ReferenceOperator.Secret, "--junit", junit], output, new StringWriter());
            Assert.Equal(1, exit);
            Assert.Contains(output.ToString().Split('\n'), l => l.StartsWith("FAIL order.create.idempotent: ", StringComparison.Ordinal) && l.Contains(" | curl "));
            var failure = XDocument.Load(junit).Descendants("testcase").Single(t => t.Attribute("name")!.Value == "order.create.idempotent").Element("failure")!;
            Assert.Contains("created a second order", failure.Attribute("message")!.Value);
            Assert.Contains("reproduce: curl", failure.Value);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData(new[] { "conformance", "--app-key", "k", "--secret", "s" }, "--url is required")]
    [InlineData(new[] { "conformance", "--url", "not a url", "--app-key", "k", "--secret", "s" }, "not an absolute http(s) URL")]
    [InlineData(new[] { "conformance", "--url", "http://x/q", "--app-key", "k", "--secret", "s", "--timeout", "soon" }, "--timeout")]
    [InlineData(new[] { "conformance", "--url", "http://x/q", "--app-key", "k", "--secret", "s", "--top-app-key", "t" }, "go together")]
    [InlineData(new[] { "conformance", "--url", "http://x/q", "--app-key", "k", "--secret", "s", "--bogus" }, "unknown argument")]
    [InlineData(new[] { "verify" }, "usage:")]
    public void Cli_refuses_bad_arguments_with_exit_code_2(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, ConformanceCommand.Run(args, new StringWriter(), error));
        Assert.Contains(message, error.ToString());
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
