using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Engine;

/// <summary>Callback delivery to a real receiver: scenario chaos (drop, duplicate), per-entity order, the ack contract and giving up.</summary>
public class CallbackChaosTests : TechHouseTest
{
    CallbackReceiver _receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(_receiver);
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    async Task UseChaos(string chaos)
    {
        await Host.WriteScenarioAsync("chaos", $"""
            supplier: techhouse
            description: callback chaos for tests
            extends: default
            callbacks:
              chaos: {chaos}
            """);
        await Host.UseScenarioAsync("chaos");
    }

    [Fact]
    public async Task DropFirst_loses_the_first_attempt_and_the_retry_delivers()
    {
        await UseChaos("{dropFirst: true}");
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        await Host.AdvanceAsync("PT2M");

        var log = await Host.CallbacksWhenAsync(l => l.Count == 1 && l[0]["attempts"]!.GetValue<int>() == 1);
        Assert.Equal("pending", Str(log[0]["status"]));
        Assert.Contains("dropFirst", Str(log[0]["deliveries"]![0]!["error"]));
        Assert.Empty(_receiver.All);

        await Host.AdvanceAsync("PT1M");
        var push = (await _receiver.WaitForAsync(1)).Single();
        Assert.Contains(orderNo, push.Body);
        log = await Host.CallbacksWhenAsync(l => Str(l[0]["status"]) == "delivered");
        Assert.Equal(["retry", "acknowledged"], log[0]["deliveries"]!.AsArray().Select(d => Str(d!["outcome"])));
    }

    [Fact]
    public async Task Duplicate_1_delivers_every_push_twice()
    {
        await UseChaos("{duplicate: 1}");
        await Client.BookAsync();
        await Host.AdvanceAsync("PT2M");

        var pushes = await _receiver.WaitForAsync(2);
        Assert.Equal(pushes[0].Body, pushes[1].Body);
        var log = await Host.CallbacksWhenAsync(l => Str(l[0]["status"]) == "delivered");
        Assert.Single(log);
    }

    [Fact]
    public async Task Pushes_of_one_order_arrive_in_order_even_when_the_first_needs_a_retry()
    {
        var calls = 0;
        _receiver.Reply = _ => Interlocked.Increment(ref calls) == 1 ? (503, "busy") : (200, "{\"status\":0,\"msg\":\"success\"}");
        var orderNo = Str((await Client.BookAsync())["orderNo"]);

        await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{orderNo}/transition", new { to = "TICKETED" });
        await _receiver.WaitForAsync(1);
        var (status, _) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{orderNo}/transition", new { to = "TICKET_FAILED", emit = "SyncOrderStatus" });
        Assert.Equal(200, status);
        // The second push waits behind the first, which waits for its retry a virtual minute later.
        await Host.CallbacksWhenAsync(l => l.Count == 2 && l[0]["attempts"]!.GetValue<int>() == 1);
        Assert.Single(_receiver.All);

        await Host.AdvanceAsync("PT1M");
        var pushes = await _receiver.WaitForAsync(3);
        Assert.Equal(["TICKETED", "TICKETED", "TICKET_FAILED"], pushes.Select(p => Str(JsonNode.Parse(p.Body)!["orderStatus"])));
    }

    [Fact]
    public async Task A_reply_that_is_not_JSON_status_0_is_retried_on_the_schedule_until_the_sandbox_gives_up()
    {
        _receiver.Reply = _ => (200, "OK");
        await Client.BookAsync();
        await Host.AdvanceAsync("PT2M");
        await Host.CallbacksWhenAsync(l => l.Count == 1 && l[0]["attempts"]!.GetValue<int>() == 1);

        var attempt = 1;
        foreach (var wait in new[] { "PT1M", "PT5M", "PT15M", "PT1H", "PT6H" })
        {
            attempt++;
            await Host.AdvanceAsync(wait);
            var n = attempt;
            await Host.CallbacksWhenAsync(l => l[0]["attempts"]!.GetValue<int>() == n);
        }
        var log = await Host.CallbacksWhenAsync(l => Str(l[0]["status"]) != "pending");
        Assert.Equal("abandoned", Str(log[0]["status"]));
        var outcomes = log[0]["deliveries"]!.AsArray().Select(d => Str(d!["outcome"])).ToList();
        Assert.Equal([.. Enumerable.Repeat("retry", 5), "gave-up"], outcomes);
        Assert.Equal(6, _receiver.All.Count);
        await Host.AdvanceAsync("P1D");
        Assert.Equal(6, _receiver.All.Count);
    }

    [Fact]
    public async Task A_push_without_a_callback_url_is_logged_as_failed_and_retried()
    {
        var demo = (await Host.AdminGet("/tenants/demo"))!.AsObject();
        demo["callbacks"] = new JsonObject();
        await Host.AdminSend(HttpMethod.Put, "/tenants/demo", demo);
        await Client.BookAsync();
        await Host.AdvanceAsync("PT2M");

        var log = await Host.CallbacksWhenAsync(l => l.Count == 1 && l[0]["attempts"]!.GetValue<int>() == 1);
        Assert.Equal("pending", Str(log[0]["status"]));
        Assert.Contains("no callback URL", Str(log[0]["lastError"]));
    }
}
