using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Reliability;

/// <summary>
/// An integrator's receiver that is down for ten virtual minutes, slow past the contract's timeout, resetting the
/// connection, or answering with the wrong acknowledgement: every callback is still delivered once it behaves, and the
/// callbacks of one entity arrive in the order they were emitted.
/// </summary>
public class OutageTests : TechHouseTest
{

    const string Ack = "{\"status\":0,\"msg\":\"success\"}";

    [Fact]
    public async Task A_receiver_down_for_ten_virtual_minutes_gets_every_callback_in_order_per_order_when_it_is_back()
    {
        var first = await CallbackReceiver.StartAsync();
        var port = new Uri(first.Url).Port;
        await Host.RouteCallbacksToAsync(first);
        await first.DisposeAsync();

        var orders = new List<string>();
        for (var i = 0; i < 3; i++) orders.Add(Str((await Client.BookAsync())["orderNo"]));
        // Each order's TICKETED push falls due while the receiver is down; a second push per order queues behind it.
        await Host.AdvanceAsync("PT2M");
        foreach (var o in orders)
        {
            var (status, _) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{o}/transition", new { to = "TICKET_FAILED", emit = "SyncOrderStatus" });
            Assert.Equal(200, status);
        }
        for (var minute = 0; minute < 10; minute++) await Host.AdvanceAsync("PT1M");
        var log = await Host.CallbacksWhenAsync(l => l.Count == 6 && l.Where(c => c["attempts"]!.GetValue<int>() > 0).All(c => Str(c["status"]) == "pending"));
        Assert.All(log.Where(c => c["attempts"]!.GetValue<int>() > 0), c => Assert.Contains("refused", Str(c["deliveries"]![0]!["error"]), StringComparison.OrdinalIgnoreCase));

        await using var back = await CallbackReceiver.StartAsync(port);
        await Host.AdvanceAsync("PT1H");
        var pushes = await back.WaitForAsync(6);
        await Host.CallbacksWhenAsync(l => l.Count == 6 && l.All(c => Str(c["status"]) == "delivered"));
        foreach (var o in orders)
        {
            var mine = pushes.Select(p => JsonNode.Parse(p.Body)!).Where(p => Str(p["orderNo"]) == o).Select(p => Str(p["orderStatus"])).ToList();
            Assert.Equal(["TICKETED", "TICKET_FAILED"], mine);
        }
    }

    [Fact]
    public async Task A_slow_a_resetting_and_a_wrongly_acknowledging_receiver_is_retried_until_it_acknowledges()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        var attempt = 0;
        receiver.Delay = _ => attempt == 1 ? TimeSpan.FromSeconds(12) : TimeSpan.Zero;
        receiver.Reset = _ => attempt == 2;
        receiver.Reply = _ => Interlocked.Increment(ref attempt) switch
        {
            3 => (200, "{\"status\":1,\"msg\":\"busy\"}"),
            4 => (200, "OK"),
            _ => (200, Ack),
        };
        var orderNo = Str((await Client.BookAsync())["orderNo"]);

        await Host.AdvanceAsync("PT2M");
        // The contract's timeout is 10 s of real time: the first attempt times out.
        await Host.CallbacksWhenAsync(l => l.Count == 1 && l[0]["attempts"]!.GetValue<int>() == 1, timeoutSeconds: 30);
        foreach (var (by, attempts) in new[] { ("PT1M", 2), ("PT5M", 3), ("PT15M", 4), ("PT1H", 5) })
        {
            await Host.AdvanceAsync(by);
            await Host.CallbacksWhenAsync(l => l[0]["attempts"]!.GetValue<int>() == attempts);
        }
        var log = await Host.CallbacksWhenAsync(l => Str(l[0]["status"]) == "delivered");
        Assert.Equal(["retry", "retry", "retry", "retry", "acknowledged"], log[0]["deliveries"]!.AsArray().Select(d => Str(d!["outcome"])));
        Assert.All(receiver.All, r => Assert.Contains(orderNo, r.Body));
    }
}
