using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Config;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Tests.FliggyBus.ReferenceOperator;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.FliggyBus;

/// <summary>A configured tenant's calls: all 11 APIs at their URLs with the tenant's account, and retries as §3 says.</summary>
public sealed class MerchantCallsTests
{
    static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    static FliggyBusSettings Settings(string json = "{}")
    {
        var calls = new JsonObject();
        foreach (var method in QimenMethods.Names) calls[method] = new JsonObject { ["timeout"] = "5s", ["attempts"] = 1, ["delays"] = new JsonArray() };
        calls[QimenMethods.OrderCreate] = new JsonObject { ["timeout"] = "5s", ["attempts"] = 3, ["delays"] = new JsonArray("1s", "3s") };
        var settings = new JsonObject
        {
            ["calls"] = calls, ["paymentDeadline"] = "PT15M", ["ticketingTimeout"] = "PT30M", ["offlinePolling"] = "PT30M", ["offlineHorizonDays"] = 7,
        };
        var parsed = FliggyBusSettings.Parse(settings, (JsonObject)JsonNode.Parse(json)!);
        Assert.True(parsed.Ok, string.Join("; ", parsed.Errors));
        return parsed.Value!;
    }

    static FliggyBusCredentials Credentials(string url, string? offlineUrl = null)
    {
        var bus = new JsonObject
        {
            ["qimenUrl"] = url, ["qimenAppKey"] = ReferenceOperator.ReferenceOperator.AppKey,
            ["qimenSecret"] = ReferenceOperator.ReferenceOperator.Secret, ["customerId"] = "bus_merchant",
        };
        if (offlineUrl is not null) bus["qimenUrlOverrides"] = new JsonObject { [QimenMethods.OfflineNumberQuery] = offlineUrl };
        return FliggyBusCredentials.Parse(bus, new JsonObject { ["appKey"] = "12345678", ["appSecret"] = "topsecret" }).Value!;
    }

    [Fact]
    public async Task All_eleven_APIs_reach_the_operator_at_their_URLs_and_are_taken()
    {
        await using var op = await ReferenceOperator.ReferenceOperator.StartAsync();
        await using var stops = await ReferenceOperator.ReferenceOperator.StartAsync();
        var calls = MerchantCalls.ForTenant(new QimenClient(Http), Credentials(op.Url, stops.Url), Settings("""{"signedTrace":true}"""));

        var made = new List<QimenCall>
        {
            await calls.CallAsync(QimenMethods.FromCityQuery, QimenRequests.FromCity()),
            await calls.CallAsync(QimenMethods.ToCityQuery, QimenRequests.ToCity(OperatorCatalogue.Hangzhou)),
        };
        var number = await calls.CallAsync(QimenMethods.NumberQuery, QimenRequests.Number(OperatorCatalogue.Hangzhou, OperatorCatalogue.Shanghai));
        made.Add(number);
        var ls = LineSchedule.ReadAll(number.Reply!.Fields).Single();
        var schedule = ls.Schedules.First(s => s.SaleStatus == 1);
        var (from, to) = (ls.Line.Stations[0], ls.Line.Stations[^1]);
        made.Add(await calls.CallAsync(QimenMethods.SeatQuery, QimenRequests.Seat(ls.Line, schedule, from, to)));
        var passenger = new BusPassenger("1", "张三", "1", IdentityNumbers.Make("330106", new DateOnly(1990, 5, 1), 7), "0", 6000);
        var booking = new BusBooking(ls.Line, schedule, from, to, [passenger], "飞猪测试", "13800000000");
        var create = await calls.CallAsync(QimenMethods.OrderCreate, QimenRequests.OrderCreate(booking, "8240101000001", "2024010122001"));
        made.Add(create);
        var agentOrderId = create.Reply!.Fields!["agentOrderId"]!.GetValue<string>();
        var reference = QimenRequests.OrderRef(agentOrderId, "8240101000001");
        made.Add(await calls.CallAsync(QimenMethods.OrderQuery, reference));
        made.Add(await calls.CallAsync(QimenMethods.OrderConfirm, reference));
        made.Add(await calls.CallAsync(QimenMethods.ReturnQuery, QimenRequests.ReturnQuery(agentOrderId, "8240101000001", [("1", null)])));
        made.Add(await calls.CallAsync(QimenMethods.ReturnConfirm, QimenRequests.ReturnConfirm(agentOrderId, "8240101000001", false, [(passenger, null, 0)])));
        made.Add(await calls.CallAsync(QimenMethods.OfflineNumberQuery, QimenRequests.OfflineNumber(null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7))));
        var second = await calls.CallAsync(QimenMethods.OrderCreate, QimenRequests.OrderCreate(booking, "8240101000002", "2024010122002"));
        made.Add(await calls.CallAsync(QimenMethods.OrderClose,
            QimenRequests.OrderClose(second.Reply!.Fields!["agentOrderId"]!.GetValue<string>(), "8240101000002", 3, "用户取消")));

        Assert.Equal(QimenMethods.Names.Order(), made.Select(c => c.Method).Distinct().Order());
        Assert.All(made, c => Assert.True(c.Accepted, $"{c.Method}: {c.Verdict} {string.Join("; ", c.Findings)} {c.ReplyBody}"));
        Assert.All(made, c => Assert.Contains(new KeyValuePair<string, string>("top-sign-list", "x-qimen-trace"), c.Headers));
        Assert.All(made, c => Assert.Contains("target_app_key=12345678", c.Url));
        Assert.Equal([QimenMethods.OfflineNumberQuery], stops.Received.Select(r => r.Method));
        Assert.DoesNotContain(op.Received, r => r.Method == QimenMethods.OfflineNumberQuery);
        Assert.All(op.Received, r => Assert.True(r.SignatureValid));
    }

    [Fact]
    public async Task Create_is_retried_with_a_fresh_timestamp_and_sign_over_the_same_body()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var replies = new Queue<(int, string)>([(200, """{"retCode":"9999","retDesc":"系统异常","success":false}"""), (503, "busy"),
            (200, """{"retCode":"0","retDesc":"成功","success":true,"agentOrderId":"A1","alitripOrderId":"8240101000001","status":"1"}""")]);
        receiver.Reply = _ => replies.Dequeue();
        var time = new ManualTime(new DateTimeOffset(2024, 1, 1, 4, 0, 0, TimeSpan.Zero));
        var calls = MerchantCalls.ForTenant(new QimenClient(Http, time), Credentials(receiver.Url + "/qimen"), Settings());
        var waited = new List<TimeSpan>();
        var body = new JsonObject { ["alitripOrderId"] = "8240101000001" };

        var attempts = await calls.CallWithRetriesAsync(QimenMethods.OrderCreate, body, (d, _) =>
        {
            waited.Add(d);
            time.Now += d;
            return Task.CompletedTask;
        });

        Assert.Equal([QimenOutcome.Failure, QimenOutcome.ResponseBodyParseError, QimenOutcome.Success], attempts.Select(a => a.Outcome));
        Assert.True(attempts[^1].Accepted);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)], waited);
        var received = await receiver.WaitForAsync(3);
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.Equal(["2024-01-01%2012%3A00%3A00", "2024-01-01%2012%3A00%3A01", "2024-01-01%2012%3A00%3A04"],
            received.Select(r => r.Query.Split('&').Single(p => p.StartsWith("timestamp=", StringComparison.Ordinal))["timestamp=".Length..]));
        Assert.Equal(3, attempts.Select(a => a.Sign).Distinct().Count());
    }

    [Fact]
    public async Task A_call_with_one_attempt_is_not_retried_and_the_last_attempt_decides()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ => (200, """{"retCode":"1001","retDesc":"余票不足","success":false}""");
        var calls = MerchantCalls.ForTenant(new QimenClient(Http), Credentials(receiver.Url + "/qimen"), Settings());
        var seat = await calls.CallWithRetriesAsync(QimenMethods.SeatQuery, new JsonObject(), (_, _) => throw new InvalidOperationException("no wait expected"));
        Assert.Equal("1001", Assert.Single(seat).RetCode);
        var create = await calls.CallWithRetriesAsync(QimenMethods.OrderCreate, new JsonObject(), (_, _) => Task.CompletedTask);
        Assert.Equal(3, create.Count);
        Assert.All(create, c => Assert.False(c.Accepted));
    }
}
