using System.Text.Json.Nodes;
using Sandbox.Tests.Bpt;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Yobaoxing;

namespace Sandbox.Tests.Reliability;

/// <summary>
/// Two tenants on one sandbox: every read and write path — each supplier's API, the admin API's entity, transition
/// and module endpoints, the delivery log and the callbacks themselves — refuses or never shows the other tenant's
/// entities.
/// </summary>
public sealed class IsolationTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    CallbackReceiver _demoReceiver = null!, _otherReceiver = null!;

    const string Other = "other";
    const string OtherThKey = "otherTechHouseKey1", OtherThSecret = "other-techhouse-secret-0123456789";
    const string OtherPartner = "2088000000000099", OtherBptKey = "otherbptkey0123456789abcdefghijk";
    const string OtherYbxUser = "other_agent", OtherYbxPassword = "other123456", OtherYbxKey = "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D";

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _demoReceiver = await CallbackReceiver.StartAsync();
        _otherReceiver = await CallbackReceiver.StartAsync();
        await _host.RouteCallbacksToAsync(_demoReceiver);
        var (status, body) = await _host.AdminSend(HttpMethod.Post, "/tenants", new JsonObject
        {
            ["id"] = Other,
            ["name"] = "Another integrator",
            ["credentials"] = new JsonObject
            {
                ["techhouse"] = new JsonObject { ["key"] = OtherThKey, ["secret"] = OtherThSecret, ["balances"] = new JsonObject { ["CNY"] = 100000 } },
                ["bpt"] = new JsonObject { ["partner"] = OtherPartner, ["key"] = OtherBptKey, ["payaccount"] = "other@example.com" },
                ["yobaoxing"] = new JsonObject
                {
                    ["user"] = OtherYbxUser, ["password"] = OtherYbxPassword, ["key"] = OtherYbxKey, ["payPassword"] = "123123",
                    ["phones"] = new JsonArray("13900000001"), ["depositBalance"] = 100000,
                },
            },
            ["callbacks"] = new JsonObject { ["techhouse"] = _otherReceiver.Url + "/sync", ["yobaoxing"] = _otherReceiver.Url + "/ybx" },
        });
        Assert.True(status == 201, $"POST tenant: {status} {body}");
    }

    public async Task DisposeAsync()
    {
        await _demoReceiver.DisposeAsync();
        await _otherReceiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    async Task<JsonNode?> AdminGetOrNull(string path)
    {
        using var resp = await _host.Http.GetAsync("/admin/api" + path);
        return resp.IsSuccessStatusCode ? JsonNode.Parse(await resp.Content.ReadAsStringAsync()) : null;
    }

    [Fact]
    public async Task TechHouse_orders_are_invisible_to_another_key_and_its_admin_paths_and_callbacks()
    {
        var demo = new TechHouseClient(_host.Http);
        var other = new TechHouseClient(_host.Http, OtherThKey, OtherThSecret);
        var orderNo = (await demo.BookAsync())["orderNo"]!.GetValue<string>();

        var detail = await other.Call("GetOrderDetail", new JsonObject { ["orderNo"] = orderNo });
        Assert.NotEqual(0, TechHouseClient.Status(detail));
        var list = await other.Call("GetOrderList", new JsonObject { ["startTime"] = "20000101", ["endTime"] = "20991231" });
        Assert.DoesNotContain(orderNo, list.ToJsonString());
        Assert.Equal(0, TechHouseClient.Status(await demo.Call("GetOrderDetail", new JsonObject { ["orderNo"] = orderNo })));

        Assert.Null(await AdminGetOrNull($"/tenants/{Other}/orders/{orderNo}"));
        Assert.DoesNotContain(orderNo, (await _host.AdminGet($"/tenants/{Other}/orders"))!.ToJsonString());
        var (status, _) = await _host.AdminSend(HttpMethod.Post, $"/tenants/{Other}/orders/{orderNo}/transition", new { to = "TICKET_FAILED" });
        Assert.Equal(404, status);
        Assert.NotNull(await AdminGetOrNull($"/tenants/demo/orders/{orderNo}"));

        // The order's push goes to its own tenant's receiver only, and only its tenant's delivery log shows it.
        await _host.AdvanceAsync("PT2M");
        Assert.Contains(orderNo, (await _demoReceiver.WaitForAsync(1))[0].Body);
        Assert.DoesNotContain(orderNo, (await _host.AdminGet($"/callbacks?tenant={Other}"))!.ToJsonString());
        Assert.Empty(_otherReceiver.All);
    }

    [Fact]
    public async Task Bpt_orders_are_invisible_to_another_partner_and_its_admin_actions()
    {
        var c = await BptClient.StartAsync(_host);
        var pnr = "ISO" + Random.Shared.Next(100, 999);
        Assert.Equal("1", (await c.Get("input", BptClient.Common(pnr, "CA", "ISO-1", "HV7SEK"))).Code);

        (string, string)[] asOther = [.. BptClient.Common(pnr, "CA", "ISO-1", "HV7SEK"), ("partner", OtherPartner)];
        Assert.Equal("订单不存在", (await c.Get("newqueryorder", asOther))["message"]);
        Assert.Equal("0", (await c.Get("pay", [.. asOther, ("autopayflag", "1")])).Code);
        Assert.Equal("0", (await c.Get("ticketout", asOther)).Code);
        // The other partner's refused pay left the demo order as it was: still waiting for payment.
        Assert.Equal("3", (await c.Get("newqueryorder", BptClient.Common(pnr, "CA", "ISO-1"))).Xml.Descendants("status").Single().Value);

        var id = "CA-" + pnr;
        Assert.Null(await AdminGetOrNull($"/tenants/{Other}/orders/{id}"));
        var (status, _) = await _host.AdminSend(HttpMethod.Post, $"/tenants/{Other}/bpt/orders/{id}/cancel");
        Assert.Equal(404, status);
        Assert.NotNull(await AdminGetOrNull($"/tenants/demo/orders/{id}"));
    }

    [Fact]
    public async Task Yobaoxing_orders_are_invisible_to_another_agent_and_its_admin_paths()
    {
        var demo = new YobaoxingClient(_host.Http);
        var other = new YobaoxingClient(_host.Http, OtherYbxUser, OtherYbxPassword, OtherYbxKey);
        var steps = new YobaoxingSteps(_host, demo);
        var products = await steps.Products();
        var orderId = await steps.Book(products["成人票"] + "|1");

        Assert.NotEqual(0, (await other.Get("QueryOrder", ("order_id", orderId))).Retcode);
        Assert.NotEqual(0, (await other.Get("CancelOrder", ("Order_id", orderId))).Retcode);
        Assert.NotEqual(0, (await other.Get("GetTicketList", ("orderid", orderId))).Retcode);
        Assert.Equal("0", (await demo.Get("QueryOrder", ("order_id", orderId))).Value("orderstatus"));

        Assert.Null(await AdminGetOrNull($"/tenants/{Other}/orders/{orderId}"));
        var (status, _) = await _host.AdminSend(HttpMethod.Post, $"/tenants/{Other}/yobaoxing/gate-check", new { orderid = orderId, ticketcode = "1" });
        Assert.True(status is 400 or 404, $"gate-check on another tenant's order: {status}");
    }

    [Fact]
    public async Task Callbacks_go_only_where_the_tenants_AllowedHosts_permit()
    {
        await using var host = await SandboxHost.StartAsync(settings: new() { ["Sandbox:Callbacks:AllowedHosts:0"] = "*.example.invalid" });
        await using var receiver = await CallbackReceiver.StartAsync();
        await host.RouteCallbacksToAsync(receiver);
        await new TechHouseClient(host.Http).BookAsync();
        await host.AdvanceAsync("PT2M");
        var log = await host.CallbacksWhenAsync(l => l.Count == 1 && l[0]["attempts"]!.GetValue<int>() >= 1);
        Assert.Contains("not allowed by Sandbox:Callbacks:AllowedHosts", log[0]["deliveries"]![0]!["error"]!.GetValue<string>());
        Assert.Empty(receiver.All);
    }

    [Fact]
    public void A_supplier_listener_beyond_loopback_needs_an_admin_token_to_start()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SandboxApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Sandbox:Listeners:bpt", "http://0.0.0.0:0", "--Sandbox:DataPath", Path.Combine(Path.GetTempPath(), "never.db")]));
        Assert.Contains("admin token", e.Message);
    }
}
