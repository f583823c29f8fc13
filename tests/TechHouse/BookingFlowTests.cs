using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.TechHouse;

/// <summary>The whole booking chain through real HTTP, ending in a SyncOrderStatus push to a real receiver.</summary>
public class BookingFlowTests
{
    static async Task<(SandboxHost Host, CallbackReceiver Receiver, TechHouseClient Client)> Start()
    {
        var host = await SandboxHost.StartAsync();
        var receiver = await CallbackReceiver.StartAsync();
        var demo = (await host.AdminGet("/tenants/demo"))!.AsObject();
        demo["callbacks"]!["techhouse"] = receiver.Url + "/sync";
        var (status, _) = await host.AdminSend(HttpMethod.Put, "/tenants/demo", demo);
        Assert.Equal(200, status);
        await host.AdminSend(HttpMethod.Put, "/tenants/demo/clock", new { frozen = true });
        return (host, receiver, new TechHouseClient(host.Http));
    }

    [Fact]
    public async Task Commit_debits_the_balance_then_tickets_after_the_virtual_delay_and_pushes_SyncOrderStatus()
    {
        var (host, receiver, client) = await Start();
        await using var _ = host;
        await using var __ = receiver;

        var before = (await client.Call("GetBalance", new JsonObject()))["balanceList"]!.AsArray()
            .First(b => b!["currency"]!.GetValue<string>() == "CNY")!["balance"]!.GetValue<decimal>();
        var commit = await client.BookAsync();
        Assert.Equal(0, TechHouseClient.Status(commit));
        Assert.Equal("PENDING", commit["orderStatus"]!.GetValue<string>());
        var orderNo = commit["orderNo"]!.GetValue<string>();
        Assert.Matches("^lf\\d{18}$", orderNo);
        var total = commit["totalCost"]!.GetValue<decimal>();
        var after = (await client.Call("GetBalance", new JsonObject()))["balanceList"]!.AsArray()
            .First(b => b!["currency"]!.GetValue<string>() == "CNY")!["balance"]!.GetValue<decimal>();
        Assert.Equal(before - total, after);

        // Frozen clock: nothing happens until the tenant's time moves past the 2-minute ticketing delay.
        await host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT1M" });
        Assert.Empty(receiver.All);
        var pending = await client.Call("GetOrderDetail", new { orderno = orderNo, email = "qa@example.com" });
        Assert.Equal("PENDING", pending["orderStatus"]!.GetValue<string>());
        Assert.Empty(pending["tickets"]!.AsArray());

        await host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT1M" });
        var push = (await receiver.WaitForAsync(1))[0];
        var body = JsonNode.Parse(push.Body)!;
        Assert.Equal(orderNo, body["orderNo"]!.GetValue<string>());
        Assert.Equal("TICKETED", body["orderStatus"]!.GetValue<string>());
        var ticket = body["tickets"]!.AsArray().Single()!;
        Assert.Matches("^\\d{13}$", ticket["ticketNo"]!.GetValue<string>());
        Assert.Equal("application/json; charset=utf-8", push.Headers["Content-Type"]);

        var detail = await client.Call("GetOrderDetail", new { orderno = orderNo, email = "qa@example.com" });
        Assert.Equal("TICKETED", detail["orderStatus"]!.GetValue<string>());
        Assert.Equal(ticket["ticketNo"]!.GetValue<string>(), detail["tickets"]![0]!["ticketNo"]!.GetValue<string>());
        var list = await client.Call("GetOrderList", new { startTime = "2020-01-01T00:00:00+08:00", endTime = "2099-01-01T00:00:00+08:00", routeType = 1, orderStatus = "TICKETED" });
        Assert.Contains(list["bookingList"]!.AsArray(), b => b!["orderNo"]!.GetValue<string>() == orderNo);
    }

    [Fact]
    public async Task Unacknowledged_push_is_retried_on_the_virtual_schedule_and_survives_a_restart()
    {
        var (host, receiver, client) = await Start();
        await using var _ = host;
        await using var __ = receiver;
        var attempts = 0;
        // The merchant answers status 1 (not an acknowledgement) until the third attempt.
        receiver.Reply = _ => Interlocked.Increment(ref attempts) < 3 ? (200, "{\"status\":1,\"msg\":\"busy\"}") : (200, "{\"status\":0,\"msg\":\"success\"}");

        var orderNo = (await client.BookAsync())["orderNo"]!.GetValue<string>();
        await host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT2M" });
        await receiver.WaitForAsync(1);
        // The attempt is logged just after the HTTP exchange: restart only once it is (else it is simply resent).
        await host.CallbacksWhenAsync(l => l.Count == 1 && l[0]["attempts"]!.GetValue<int>() == 1);

        // Restart while the push waits for its first retry (1 virtual minute later).
        await host.RestartAsync();
        var log = (await host.AdminGet("/callbacks?tenant=demo"))!.AsArray();
        var cb = log.Single()!;
        Assert.Equal("pending", cb["status"]!.GetValue<string>());
        Assert.Equal(1, cb["attempts"]!.GetValue<int>());

        await host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT1M" });
        await receiver.WaitForAsync(2);
        await host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT5M" });
        await receiver.WaitForAsync(3);
        Assert.All(receiver.All, r => Assert.Contains(orderNo, r.Body));

        JsonNode? delivered = null;
        for (var i = 0; i < 50 && delivered?["status"]?.GetValue<string>() != "delivered"; i++)
        {
            await Task.Delay(50);
            delivered = (await host.AdminGet("/callbacks?tenant=demo"))!.AsArray().Single();
        }
        Assert.Equal("delivered", delivered!["status"]!.GetValue<string>());
        var outcomes = delivered["deliveries"]!.AsArray().Select(d => d!["outcome"]!.GetValue<string>()).ToList();
        Assert.Equal(["retry", "retry", "acknowledged"], outcomes);
    }

    [Fact]
    public async Task An_order_acknowledged_by_Commit_survives_a_restart()
    {
        var (host, receiver, client) = await Start();
        await using var _ = host;
        await using var __ = receiver;
        var orderNo = (await client.BookAsync())["orderNo"]!.GetValue<string>();

        await host.RestartAsync();
        client = new TechHouseClient(host.Http);
        var detail = await client.Call("GetOrderDetail", new { orderno = orderNo });
        Assert.Equal(0, TechHouseClient.Status(detail));
        Assert.Equal("PENDING", detail["orderStatus"]!.GetValue<string>());

        // Its ticketing timer was persisted too: it still fires after the restart.
        await host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT2M" });
        var push = (await receiver.WaitForAsync(1))[0];
        Assert.Contains(orderNo, push.Body);
    }
}
