using System.Globalization;
using System.Web;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>A scenic integration end to end: catalogue, order and pay with the deposit, activation, gate check, callbacks.</summary>
public sealed class ScenicFlowTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    CallbackReceiver _receiver = null!;
    YobaoxingClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _receiver = await CallbackReceiver.StartAsync();
        _receiver.Reply = _ => (200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><root><retcode>0</retcode><retmsg></retmsg></root>");
        _client = new YobaoxingClient(_host.Http);
        await new YobaoxingSteps(_host, _client).FreezeAtMorning();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    static string Today => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Order_pay_activate_gate_and_every_callback_in_order()
    {
        var set = await _client.Get("SetAgentParameters", ("responseaddr", _receiver.Url + "/ota/ybx"), ("sendofficiallysnotify", "0"));
        Assert.Equal(0, set.Retcode);
        Assert.Equal(YobaoxingClient.Sign([new("retcode", "0"), new("retmsg", "")], _client.Key), set.Sign);

        var products = await _client.Get("GetProducts");
        Assert.Equal(0, products.Retcode);
        var adult = products.Items().First(i => i.Element("productname")!.Value == "成人票");
        var productId = adult.Element("productid")!.Value;
        Assert.Equal("150.00", adult.Element("price")!.Value);

        var inventory = await _client.Get("GetProductsInventory", ("ProductID", productId), ("StartDate", Today), ("EndDate", Today));
        Assert.Equal("0", inventory.Value("quantity"));

        var before = await _host.AdminGet("/tenants/demo");
        (string, string)[] pay =
        [
            ("Order_list", productId + "|2"), ("mobile", _client.Enc("13812345678")), ("ID", _client.Enc("110101199001011234")),
            ("SXRQ", _client.Enc(Today)), ("SmsCode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("money", "300"),
            ("smsModel", "0"), ("XCDDH", _client.Enc("OTA-1001")),
        ];
        var paid = await _client.Post("OrderAndPayWithYDJ", pay);
        Assert.Equal(0, paid.Retcode);
        var orderId = paid.Value("Order_id");
        Assert.Equal("OTA-1001", paid.Value("XCDDH"));
        Assert.Equal("2", paid.Value("status"));

        var again = await _client.Post("OrderAndPayWithYDJ", pay);
        Assert.Equal(orderId, again.Value("Order_id"));

        var ledger = await _host.AdminGet("/tenants/demo/orders?supplier=yobaoxing&kind=txn");
        Assert.Single(ledger!.AsArray());

        var activated = await _client.Get("ActivateTicket", ("orderid", orderId), ("activateall", "1"), ("activatedate", Today),
            ("tickettype", "2"), ("activatemode", "1"), ("timespanindex", "-1"));
        Assert.Equal(0, activated.Retcode);
        var tickets = activated.Items("ticket").ToList();
        Assert.Equal(2, tickets.Count);
        Assert.Equal("01", tickets[0].Element("servicecode")!.Value);
        Assert.Equal("1", tickets[0].Element("timespanindex")!.Value);

        var query = await _client.Get("QueryOrder", ("order_id", orderId));
        Assert.Equal("3", query.Value("orderstatus"));
        // Booked without a slot, activated with -1: the order shows the slot activation assigned.
        Assert.Equal("1", query.Value("timeindex"));
        Assert.NotEqual("", query.Value("timeindexdesc"));
        Assert.Equal("300.00", query.Value("dealamount"));

        var code = tickets[0].Element("ticketcode")!.Value;
        var (status, gate) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/gate-check", new { orderid = orderId, ticketcode = code, gatenumber = "07" });
        Assert.Equal(200, status);
        Assert.True(gate!["first"]!.GetValue<bool>());
        var (status2, gate2) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/gate-check", new { orderid = orderId, ticketcode = code });
        Assert.Equal(200, status2);
        Assert.False(gate2!["first"]!.GetValue<bool>());

        var checks = await _client.Get("QueryTicketCheckList", ("orderid", orderId), ("ticketcode", code));
        Assert.Equal(2, checks.Items().Count());
        var list = await _client.Get("GetTicketList", ("orderid", orderId));
        Assert.Equal("4", list.Items("ticket").First(t => t.Element("ticketcode")!.Value == code).Element("status")!.Value);
        // GetTicketContext documents 1 and 2 only (1: normal or consumed).
        Assert.Equal("1", (await _client.Get("GetTicketContext", ("orderid", orderId), ("ticketcode", code))).Value("status"));

        var received = await _receiver.WaitForAsync(4);
        Assert.Equal(
            ["/ota/ybx/Notify_OrderChanged.aspx", "/ota/ybx/Notify_OrderChanged.aspx", "/ota/ybx/Notify_OrderChanged.aspx", "/ota/ybx/Notify_Checked.aspx"],
            received.Select(r => r.Path).ToArray());
        var statuses = received.Take(3).Select(r => HttpUtility.ParseQueryString(r.Query)["status"] ?? "").ToArray();
        Assert.Equal(["0", "2", "3"], statuses);
        foreach (var r in received)
        {
            Assert.Equal("GET", r.Method);
            var q = HttpUtility.ParseQueryString(r.Query);
            Assert.Equal(orderId, q["orderid"]);
            Assert.Equal("OTA-1001", q["senderid"]);
            Assert.Equal(YobaoxingClient.DemoUser, q["user"]);
            Assert.Equal(YobaoxingClient.Md5(YobaoxingClient.DemoPassword), _client.Dec(q["password"]!));
            var fields = q.AllKeys.Select(k => new KeyValuePair<string, string>(k!, q[k]!)).ToList();
            Assert.Equal(YobaoxingClient.Sign(fields, _client.Key), q["sign"]);
        }
        var checkedCall = HttpUtility.ParseQueryString(received[3].Query);
        Assert.Equal(code, checkedCall["ticketcode"]);
        Assert.Equal("07", checkedCall["gatenumber"]);
    }

    [Fact]
    public async Task No_senderid_means_no_callbacks_and_unpaid_orders_close_at_the_payment_time_limit()
    {
        await _client.Get("SetAgentParameters", ("responseaddr", _receiver.Url), ("sendofficiallysnotify", "1"));
        var products = await _client.Get("GetProducts");
        var productId = products.Items().First().Element("productid")!.Value;
        var silent = await _client.Get("OrderProducts", ("Order_list", productId + "|1"), ("Mobile", _client.Enc("13812345678")),
            ("ID", _client.Enc("A1234567")), ("SXRQ", _client.Enc(Today)));
        Assert.Equal(0, silent.Retcode);
        Assert.Equal("30", silent.Value("paytimeout"));
        var tracked = await _client.Get("OrderProducts", ("Order_list", productId + "|1"), ("Mobile", _client.Enc("13812345678")),
            ("ID", _client.Enc("A1234567")), ("SXRQ", _client.Enc(Today)), ("senderid", "OTA-2002"));
        var trackedId = tracked.Value("orderid");

        var (status, _) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT31M" });
        Assert.Equal(200, status);
        var received = await _receiver.WaitForAsync(2);
        Assert.All(received, r => Assert.Equal(trackedId, HttpUtility.ParseQueryString(r.Query)["orderid"]));
        Assert.Equal(["0", "4"], received.Select(r => HttpUtility.ParseQueryString(r.Query)["status"] ?? "").ToArray());
        var closed = await _client.Get("QueryOrder", ("order_id", silent.Value("orderid")));
        Assert.Equal("4", closed.Value("orderstatus"));
    }
}
