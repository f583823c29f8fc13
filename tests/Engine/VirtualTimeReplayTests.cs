using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Engine;

/// <summary>
/// A clock advance replays its window as a test clock does: every timer due in it (timed transitions, callback
/// retries, and the timers those create) runs in virtual-time order at its own instant; callback attempts are really
/// sent; the advance answers with a summary once the window is processed.
/// </summary>
public sealed class VirtualTimeReplayTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    CallbackReceiver _receiver = null!;
    TechHouseClient _client = null!;
    DateTimeOffset _t0;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _receiver = await CallbackReceiver.StartAsync();
        _t0 = new DateTimeOffset(2027, 3, 1, 1, 0, 0, TimeSpan.Zero);
        _client = new TechHouseClient(_host.Http) { Now = _t0 };
        await _host.FreezeClockAsync(_t0);
        await _host.RouteCallbacksToAsync(_receiver);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    async Task<JsonObject> Advance(string by, string tenant = "demo")
    {
        var (status, body) = await _host.AdminSend(HttpMethod.Post, $"/tenants/{tenant}/clock/advance", new { by });
        Assert.True(status == 200, $"advance: {status} {body}");
        return body!.AsObject();
    }

    async Task<JsonObject> Order(string orderNo) => (await _host.AdminGet($"/tenants/demo/orders/{orderNo}?supplier=techhouse"))!.AsObject();

    static IEnumerable<(string To, DateTimeOffset At)> Transitions(JsonObject order) =>
        order["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "transition")
            .Select(e => (e!["detail"]!["to"]!.GetValue<string>(), DateTimeOffset.Parse(e["virtualAt"]!.GetValue<string>())));

    static DateTimeOffset[] Attempts(JsonObject callback) =>
        callback["deliveries"]!.AsArray().Select(d => DateTimeOffset.Parse(d!["virtualAt"]!.GetValue<string>())).ToArray();

    [Fact]
    public async Task Ticketing_and_every_retry_inside_the_window_happen_at_their_own_instants()
    {
        _receiver.Reply = _ => (500, "down");
        var orderNo = (await _client.BookAsync())["orderNo"]!.GetValue<string>();

        var summary = await Advance("PT2H");
        Assert.Equal(1, summary["fired"]!.GetValue<int>());
        // Ticketed at +2 m; SyncOrderStatus at +2 m, retried 1 m, 5 m, 15 m and 1 h after each failed attempt.
        Assert.Equal(5, summary["callbacks"]!.GetValue<int>());
        Assert.Equal(_t0.AddHours(2), DateTimeOffset.Parse(summary["until"]!.GetValue<string>()));
        Assert.Equal(_t0.AddHours(2), DateTimeOffset.Parse(summary["now"]!.GetValue<string>()));

        var order = await Order(orderNo);
        Assert.Equal([("TICKETED", _t0.AddMinutes(2))], Transitions(order));
        var callback = order["callbacks"]!.AsArray().Single()!.AsObject();
        int[] minutes = [2, 3, 8, 23, 83];
        Assert.Equal(minutes.Select(m => _t0.AddMinutes(m)), Attempts(callback));
        Assert.Equal(5, _receiver.All.Count);
        Assert.All(_receiver.All, r => Assert.Equal(_t0.AddMinutes(2).ToUnixTimeMilliseconds().ToString(), r.Headers["X-Sandbox-Emitted-At"]));
        Assert.Equal(["1", "2", "3", "4", "5"], _receiver.All.Select(r => r.Headers["X-Sandbox-Attempt"]));
        // Ticket times inside the payload are the transition's instant, not the end of the advance.
        var createTime = JsonNode.Parse(_receiver.All[0].Body)!["tickets"]![0]!["createTime"]!.GetValue<string>();
        Assert.Equal(_t0.AddMinutes(2).ToUnixTimeSeconds().ToString(), createTime);

        // The next retry is 6 h after the fifth attempt's own instant (+83 m), whatever the end of the first advance was.
        summary = await Advance("PT24H");
        Assert.Equal(1, summary["callbacks"]!.GetValue<int>());
        callback = (await Order(orderNo))["callbacks"]!.AsArray().Single()!.AsObject();
        Assert.Equal(_t0.AddMinutes(83 + 360), Attempts(callback)[^1]);
        Assert.Equal("abandoned", callback["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_follow_on_timer_created_during_the_replay_fires_in_the_same_advance()
    {
        var orderNo = (await _client.BookAsync(lastName: "PAYLATER"))["orderNo"]!.GetValue<string>();

        var summary = await Advance("PT6H");

        Assert.Equal(2, summary["fired"]!.GetValue<int>());
        Assert.Equal([("PENDING", _t0.AddMinutes(30)), ("TICKETED", _t0.AddMinutes(32))], Transitions(await Order(orderNo)));
        var received = await _receiver.WaitForAsync(1);
        Assert.Single(received);
        Assert.Equal("TICKETED", JsonNode.Parse(received[0].Body)!["orderStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_integrator_down_for_ten_minutes_receives_every_callback_in_order_per_entity_once_back()
    {
        var down = true;
        _receiver.Reply = _ => down ? (503, "maintenance") : (200, "{\"status\":0,\"msg\":\"success\"}");
        var orders = new List<string>();
        for (var i = 0; i < 3; i++) orders.Add((await _client.BookAsync())["orderNo"]!.GetValue<string>());
        // Each order is ticketed at +2 m, then forced to TICKET_FAILED by an admin action: two callbacks per order,
        // the second waiting for the first.
        await Advance("PT2M");
        foreach (var o in orders)
        {
            var (status, body) = await _host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{o}/transition",
                new { to = "TICKET_FAILED", supplier = "techhouse", emit = "SyncOrderStatus" });
            Assert.True(status == 200, $"transition: {status} {body}");
        }
        await Advance("PT10M");
        down = false;
        await Advance("PT1H");

        foreach (var o in orders)
        {
            var statuses = _receiver.All.Select(r => JsonNode.Parse(r.Body)!.AsObject())
                .Where(b => b["orderNo"]!.GetValue<string>() == o).Select(b => b["orderStatus"]!.GetValue<string>()).ToList();
            // Failed attempts first, then the first callback acknowledged, then the second — never the other way round.
            var firstFailed = statuses.IndexOf("TICKET_FAILED");
            Assert.True(firstFailed > 0 && statuses.Take(firstFailed).All(s => s == "TICKETED"), string.Join(",", statuses));
            var callbacks = (await Order(o))["callbacks"]!.AsArray().Select(c => c!.AsObject()).OrderBy(c => c["id"]!.GetValue<long>()).ToList();
            Assert.All(callbacks, c => Assert.Equal("delivered", c["status"]!.GetValue<string>()));
            // Attempts of the first at +2, +3, +8 (still down), then +23 m when back; the second follows at once.
            Assert.Equal(new[] { 2, 3, 8, 23 }.Select(m => _t0.AddMinutes(m)), Attempts(callbacks[0]));
            Assert.Equal([_t0.AddMinutes(23)], Attempts(callbacks[1]));
        }
    }

    [Fact]
    public async Task Two_tenants_advancing_at_the_same_time_do_not_see_each_other()
    {
        var other = await _host.AddTechHouseTenantAsync("other", "otherkey0000001", "othersecret0000000000000000000001");
        other.Now = _t0.AddDays(1);
        await _host.FreezeClockAsync(_t0.AddDays(1), "other");
        var mine = (await _client.BookAsync())["orderNo"]!.GetValue<string>();
        var theirs = (await other.BookAsync())["orderNo"]!.GetValue<string>();

        var a = Advance("PT5M");
        var b = Advance("PT1M", "other");
        await Task.WhenAll(a, b);

        Assert.Equal([("TICKETED", _t0.AddMinutes(2))], Transitions(await Order(mine)));
        var theirOrder = (await _host.AdminGet($"/tenants/other/orders/{theirs}?supplier=techhouse"))!.AsObject();
        Assert.Empty(Transitions(theirOrder));
        Assert.Equal(_t0.AddDays(1).AddMinutes(1), DateTimeOffset.Parse((await b)["now"]!.GetValue<string>()));
        await Advance("PT1M", "other");
        theirOrder = (await _host.AdminGet($"/tenants/other/orders/{theirs}?supplier=techhouse"))!.AsObject();
        Assert.Equal([("TICKETED", _t0.AddDays(1).AddMinutes(2))], Transitions(theirOrder));
    }

    [Fact]
    public async Task Timers_resume_from_the_store_after_a_restart_and_fire_once()
    {
        var orderNo = (await _client.BookAsync())["orderNo"]!.GetValue<string>();
        await _host.RestartAsync();
        await _host.RouteCallbacksToAsync(_receiver);

        var summary = await Advance("PT10M");

        Assert.Equal(1, summary["fired"]!.GetValue<int>());
        Assert.Equal([("TICKETED", _t0.AddMinutes(2))], Transitions(await Order(orderNo)));
        await _host.RestartAsync();
        Assert.Equal(0, (await Advance("PT10M"))["fired"]!.GetValue<int>());
        Assert.Single(Transitions(await Order(orderNo)));
    }

    [Fact]
    public async Task Moving_the_clock_forward_with_PUT_replays_the_window_too()
    {
        var orderNo = (await _client.BookAsync())["orderNo"]!.GetValue<string>();
        var (status, body) = await _host.AdminSend(HttpMethod.Put, "/tenants/demo/clock", new { frozen = true, now = _t0.AddHours(1).ToString("O") });
        Assert.Equal(200, status);
        Assert.Equal(1, body!["fired"]!.GetValue<int>());
        Assert.Equal([("TICKETED", _t0.AddMinutes(2))], Transitions(await Order(orderNo)));
    }

    [Fact]
    public async Task A_retry_goes_to_the_tenants_current_url_and_the_log_records_each_attempts_url()
    {
        var dead = DeadUrl();
        await SetTechHouseCallback(dead);
        var orderNo = (await _client.BookAsync())["orderNo"]!.GetValue<string>();
        await Advance("PT2M");
        await SetTechHouseCallback(_receiver.Url + "/fixed");
        await Advance("PT1M");

        var callback = (await Order(orderNo))["callbacks"]!.AsArray().Single()!.AsObject();
        Assert.Equal("delivered", callback["status"]!.GetValue<string>());
        Assert.Equal("tenant", callback["target"]!.GetValue<string>());
        Assert.Equal([dead, _receiver.Url + "/fixed"], callback["deliveries"]!.AsArray().Select(d => d!["url"]!.GetValue<string>()));
        Assert.Equal("/fixed", Assert.Single(_receiver.All).Path);
    }

    [Fact]
    public async Task A_callback_to_a_host_outside_the_allowed_ones_is_refused_without_a_connection()
    {
        await SetTechHouseCallback("http://203.0.113.7:9/hook");
        var orderNo = (await _client.BookAsync())["orderNo"]!.GetValue<string>();
        await Advance("PT2M");

        var attempt = (await Order(orderNo))["callbacks"]!.AsArray().Single()!["deliveries"]!.AsArray().Single()!;
        Assert.Contains("not allowed by Sandbox:Callbacks:AllowedHosts", attempt["error"]!.GetValue<string>());
        Assert.True(attempt["latencyMs"]!.GetValue<double>() < 1000);
    }

    async Task SetTechHouseCallback(string url)
    {
        var t = (await _host.AdminGet("/tenants/demo"))!.AsObject();
        t["callbacks"]!["techhouse"] = url;
        var (status, body) = await _host.AdminSend(HttpMethod.Put, "/tenants/demo", t);
        Assert.True(status == 200, $"PUT tenant: {status} {body}");
    }

    /// <summary>A loopback port nothing listens on: connections are refused at once.</summary>
    static string DeadUrl()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return $"http://127.0.0.1:{port}/sync";
    }
}
