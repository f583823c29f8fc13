using System.Web;
using Sandbox.LoadTests.Callbacks;
using Sandbox.Suppliers.Yobaoxing.Protocol;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.LoadReports;

/// <summary>
/// The callbacks load mode delivers the supplier's real notification, encoded by the sandbox's module, and judges the
/// receiver's answer by the supplier's contract: acknowledged, wrong acknowledgement, HTTP error, refused connection.
/// </summary>
public sealed class CallbacksModeTests
{
    [Fact]
    public async Task TechHouse_SyncOrderStatus_is_acknowledged_by_status_0_and_anything_else_is_a_violation()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var source = await CallbackSource.StartAsync("techhouse", new Uri(receiver.Url + "/techhouse/SyncOrderStatus"));
        using var http = new HttpClient();

        var ok = await source.DeliverAsync(http, CancellationToken.None);
        Assert.False(ok.IsError, ok.Message);
        var push = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(("POST", "/techhouse/SyncOrderStatus"), (push.Method, push.Path));
        var body = System.Text.Json.Nodes.JsonNode.Parse(push.Body)!;
        Assert.Equal("TICKETED", body["orderStatus"]!.GetValue<string>());
        Assert.StartsWith("lf", body["orderNo"]!.GetValue<string>());
        Assert.NotEmpty(body["tickets"]!.AsArray());

        receiver.Reply = _ => (200, "{\"status\":1}");
        var wrong = await source.DeliverAsync(http, CancellationToken.None);
        Assert.Equal(("wrong-ack", true), (wrong.StatusCode, wrong.IsError));
        receiver.Reply = _ => (503, "busy");
        Assert.Equal("503", (await source.DeliverAsync(http, CancellationToken.None)).StatusCode);

        var orders = (await receiver.WaitForAsync(3)).Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["orderNo"]!.GetValue<string>());
        Assert.Equal(3, orders.Distinct().Count());
    }

    [Fact]
    public async Task Yobaoxing_Notify_OrderChanged_is_a_signed_GET_in_the_receivers_folder()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ => (200, "<?xml version=\"1.0\" encoding=\"utf-8\"?><root><retcode>0</retcode><retmsg>ok</retmsg></root>");
        await using var source = await CallbackSource.StartAsync("yobaoxing", new Uri(receiver.Url + "/ybx"));
        using var http = new HttpClient();

        var result = await source.DeliverAsync(http, CancellationToken.None);
        Assert.False(result.IsError, result.Message);
        var call = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(("GET", "/ybx/Notify_OrderChanged.aspx"), (call.Method, call.Path));
        var query = HttpUtility.ParseQueryString(call.Query);
        Assert.Equal("2", query["status"]);
        var fields = query.AllKeys.Where(k => k is not null).Select(k => KeyValuePair.Create(k!, query[k]!));
        Assert.True(YobaoxingSign.Verify(fields, "6F2C1A9E-4B7D-4E21-9C3A-5D8E7F0B1A24", query["sign"]), "the callback's sign does not verify with the demo KEY");
    }

    [Fact]
    public async Task Bpt_ticketnoinfo_is_a_form_post_acknowledged_by_true_and_a_refused_connection_is_a_reset()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ => (200, "true");
        await using (var source = await CallbackSource.StartAsync("bpt", new Uri(receiver.Url + "/bpt/notify")))
        {
            using var http = new HttpClient();
            var result = await source.DeliverAsync(http, CancellationToken.None);
            Assert.False(result.IsError, result.Message);
            var call = Assert.Single(await receiver.WaitForAsync(1));
            Assert.StartsWith("ticketnoinfo=", call.Body);
        }

        var closed = new Uri("http://127.0.0.1:9/bpt/notify");
        await using var dead = await CallbackSource.StartAsync("bpt", closed);
        using var client = new HttpClient();
        Assert.Equal("reset", (await dead.DeliverAsync(client, CancellationToken.None)).StatusCode);
    }
}

/// <summary>
/// Fliggy flights notify over TMC: the callbacks mode serves TMC, a consumer written from the protocol (the tests' own
/// TMC client) connects with the demo app, and each TradeNotify is timed to its confirm; a failed frame and a missing
/// consumer are violations.
/// </summary>
public sealed class TmcCallbacksModeTests
{
    [Fact]
    public async Task A_TradeNotify_is_timed_to_the_consumers_confirm_and_a_failed_frame_is_a_violation()
    {
        var listen = new Uri($"http://127.0.0.1:{FreePort()}");
        await using var source = await TmcMessageSource.StartAsync(listen);
        Assert.Equal("no-consumer", (await source.DeliverAsync(CancellationToken.None)).StatusCode);

        await using var client = await Sandbox.Tests.Tmc.TmcTestClient.OpenAsync(listen);
        await client.ConnectAsync("12345678", "helloworld");
        Assert.True(await source.WaitForConsumerAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var delivery = source.DeliverAsync(CancellationToken.None);
        var push = (await client.DataAsync(1))[0];
        Assert.Equal("alitrip_flight_TradeNotify", (string?)push["topic"]);
        var content = System.Text.Json.Nodes.JsonNode.Parse((string)push["content"]!)!;
        Assert.Equal("3", content["type"]!.GetValue<string>());
        Assert.False(delivery.IsCompleted, "the delivery ended before the consumer confirmed");
        await client.ConfirmAsync(push["id"]!);
        var ok = await delivery.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ok.IsError, ok.Message);

        var second = source.DeliverAsync(CancellationToken.None);
        var next = (await client.DataAsync(1))[0];
        Assert.NotEqual(content["order_no"]!.GetValue<string>(), System.Text.Json.Nodes.JsonNode.Parse((string)next["content"]!)!["order_no"]!.GetValue<string>());
        await client.FailedAsync(next["id"]!);
        Assert.Equal("failed", (await second.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);
    }

    static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
