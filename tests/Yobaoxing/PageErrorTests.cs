using System.Globalization;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>Credentials, signature, bad input and the documented retcodes of the pages, in both editions.</summary>
public sealed class PageErrorTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    YobaoxingClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _client = new YobaoxingClient(_host.Http);
        await new YobaoxingSteps(_host, _client).FreezeAtMorning();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    static string Day(int offset = 0) => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    async Task Edition(string edition) =>
        await _host.AdminSend(HttpMethod.Put, "/tenants/demo", TenantWith(await _host.AdminGet("/tenants/demo"), edition));

    static object TenantWith(System.Text.Json.Nodes.JsonNode? tenant, string edition)
    {
        var t = tenant!.AsObject();
        t["settings"] ??= new System.Text.Json.Nodes.JsonObject();
        t["settings"]!["yobaoxing"] = new System.Text.Json.Nodes.JsonObject { ["edition"] = edition };
        return t;
    }

    [Fact]
    public async Task Credentials_and_signature()
    {
        var wrongSign = await _client.Send(HttpMethod.Get, "/yobaoxing/GetProducts.aspx?" + YobaoxingClient.Query(
            _client.Parameters().Select(p => p.Key == "sign" ? new KeyValuePair<string, string>("sign", new string('0', 32)) : p)), null);
        Assert.Equal(-1, wrongSign.Retcode);
        Assert.Equal("签名不正确，不能完成操作", wrongSign.Retmsg);
        Assert.Contains("&key=6F2C****", wrongSign.Diagnostic);

        var stranger = new YobaoxingClient(_host.Http, user: "nobody");
        Assert.Equal(-2201, (await stranger.Get("QueryOrder", ("order_id", "1"))).Retcode);
        Assert.Equal(-1, (await stranger.Get("GetProducts")).Retcode);

        var wrongPassword = new YobaoxingClient(_host.Http, password: "wrong");
        var reply = await wrongPassword.Get("GetProducts");
        Assert.Equal(-1, reply.Retcode);
        Assert.Contains("password mismatch", reply.Diagnostic);

        var noUser = await _client.Send(HttpMethod.Get, "/yobaoxing/QueryOrder.aspx?order_id=1", null);
        Assert.Equal(-1901, noUser.Retcode);
        var unknownPage = await _client.Get("NoSuchPage");
        Assert.Equal(404, unknownPage.Status);
        var wrongFolder = await _client.Send(HttpMethod.Get, "/yobaoxing/POST/GetProducts.aspx", null);
        Assert.Equal(405, wrongFolder.Status);
        Assert.Equal(-1, wrongFolder.Retcode);
    }

    [Fact]
    public async Task Case_insensitive_pages_and_parameters_over_get_and_post()
    {
        var lower = await _client.Send(HttpMethod.Get, "/YOBAOXING/getproducts.ASPX?" + YobaoxingClient.Query(
            _client.Parameters().Select(p => new KeyValuePair<string, string>(p.Key.ToUpperInvariant(), p.Value))), null);
        Assert.Equal(0, lower.Retcode);
        var post = await _client.Post("GetProviderConfig");
        Assert.Equal(0, post.Retcode);
        Assert.Equal("1", post.Value("sublevelmode"));
        // Three fee rules of the default catalogue, for each of its eight products (six scenic, two theatre areas).
        Assert.Equal(24, post.Items("feeitem").Count());
        Assert.Equal(["10", "20", "50"], post.Items("feeitem").Where(f => f.Element("productid")!.Value == post.Value("productid"))
            .Select(f => f.Element("feevalue")!.Value).ToArray());
    }

    [Fact]
    public async Task Inventory_codes_follow_the_edition()
    {
        Assert.Equal(-1, (await _client.Get("GetProductsInventory", ("StartDate", Day()), ("EndDate", Day(8)))).Retcode);
        Assert.Equal("起始日期不能在截止日期之后，请重新选择查询的日期时间。", (await _client.Get("GetProductsInventory", ("StartDate", Day(2)), ("EndDate", Day()))).Retmsg);
        Assert.Equal("传入的日期格式错误，请核查。", (await _client.Get("GetProductsInventory", ("StartDate", "2024-01-01"), ("EndDate", Day()))).Retmsg);
        var v4 = await _client.Get("GetProductsInventory", ("StartDate", Day()), ("EndDate", Day()));
        Assert.Contains(v4.Items(), i => i.Element("quantity")!.Value == "0");
        Assert.Contains(v4.Items(), i => i.Element("quantity")!.Value == "5");

        await Edition("legacy");
        Assert.Equal(-3, (await _client.Get("GetProductsInventory", ("StartDate", Day()), ("EndDate", Day(8)))).Retcode);
        Assert.Equal(-4, (await _client.Get("GetProductsInventory", ("StartDate", Day(2)), ("EndDate", Day()))).Retcode);
        Assert.Equal(-2, (await _client.Get("GetProductsInventory", ("ProductID", "nope"), ("StartDate", Day()), ("EndDate", Day()))).Retcode);
        var legacy = await _client.Get("GetProductsInventory", ("StartDate", Day()), ("EndDate", Day()));
        Assert.Contains(legacy.Items(), i => i.Element("quantity")!.Value == "-1");
        Assert.Equal(-2201, (await new YobaoxingClient(_host.Http, user: "nobody").Get("QueryOrder", ("order_id", "1"))).Retcode);
        Assert.Equal(-1, (await _client.Get("QueryOrder", ("order_id", "1"))).Retcode);
    }

    [Fact]
    public async Task Booking_errors_limits_and_payment_codes()
    {
        var products = (await _client.Get("GetProducts")).Items().ToDictionary(i => i.Element("productname")!.Value, i => i.Element("productid")!.Value);
        (string, string)[] Order(string list, string mobile = "13812345678", int day = 0) =>
            [("Order_list", list), ("Mobile", _client.Enc(mobile)), ("ID", _client.Enc("A123")), ("SXRQ", _client.Enc(Day(day)))];

        Assert.Equal(-1501, (await _client.Get("OrderProducts", Order(products["成人票"]))).Retcode);
        var range = await _client.Get("OrderProducts", Order(products["限量体验票"] + "|6"));
        Assert.Equal(-1501, range.Retcode);
        Assert.StartsWith(products["限量体验票"] + "|", range.Retmsg);
        Assert.Equal(-1, (await _client.Get("OrderProducts", Order("unknown|1"))).Retcode);
        Assert.Equal("解析实名用户数据失败。已超过当前门票预售时间。", (await _client.Get("OrderProducts", Order(products["成人票"] + "|1", day: -1))).Retmsg);
        Assert.Equal("解析实名用户数据失败。要求实名制的票，没有给出相应的实名信息。", (await _client.Get("OrderProducts", Order(products["实名成人票"] + "|1"))).Retmsg);
        Assert.Equal(-1501, (await _client.Get("OrderProducts", [("Order_list", products["成人票"] + "|1"), ("Mobile", "garbage"), ("ID", _client.Enc("A")), ("SXRQ", _client.Enc(Day()))])).Retcode);

        Assert.Equal(0, (await _client.Get("OrderProducts", Order(products["限量体验票"] + "|5"))).Retcode);
        var soldOut = await _client.Get("OrderProducts", Order(products["限量体验票"] + "|1"));
        Assert.Equal(-10361, soldOut.Retcode);
        Assert.Equal(products["限量体验票"] + "|已达到或接近最大单日预定限制", soldOut.Retmsg);
        Assert.Equal(-10361, (await _client.Get("OrderProducts", Order(products["成人票"] + "|1", mobile: "13900000001"))).Retcode);

        (string, string)[] Pay(string xcddh, string money, string pwd = YobaoxingClient.DemoPayPassword) =>
        [
            .. Order(products["成人票"] + "|1"), ("SmsCode", _client.PasswordField(pwd)), ("money", money), ("smsModel", "0"), ("XCDDH", _client.Enc(xcddh)),
        ];
        Assert.Equal(-2098, (await _client.Get("OrderAndPayWithYDJ", Pay("X1", "150", "000000"))).Retcode);
        Assert.Equal(-2096, (await _client.Get("OrderAndPayWithYDJ", Pay("X2", "149"))).Retcode);
        Assert.Equal(-1501, (await _client.Get("OrderAndPayWithYDJ", [.. Pay("X3", "150")[..^1]])).Retcode);
        var booked = (await _client.Get("OrderProducts", Order(products["成人票"] + "|2"))).Value("orderid");
        (string, string)[] ByPwd(string money, string pwd = YobaoxingClient.DemoPayPassword) =>
            [("Order_id", booked), ("money", money), ("Smscode", _client.PasswordField(pwd)), ("smsModel", "0")];
        Assert.Equal(-2098, (await _client.Post("UseAccountToPayByPwd", ByPwd("300", "123"))).Retcode);
        Assert.Equal(-2096, (await _client.Post("UseAccountToPayByPwd", ByPwd("299"))).Retcode);
        Assert.Equal(0, (await _client.Post("UseAccountToPayByPwd", ByPwd("300"))).Retcode);
        Assert.Equal(-2095, (await _client.Post("UseAccountToPayByPwd", ByPwd("300"))).Retcode);
        Assert.Equal("2", (await _client.Get("QueryOrder", ("order_id", booked))).Value("orderstatus"));
        var fk = await _client.Get("OrderAndPayWithFK", [.. Order(products["成人票"] + "|1"), ("smscode", _client.PasswordField(YobaoxingClient.DemoPayPassword)),
            ("money", "150"), ("smsmodel", "A"), ("senderid", _client.Enc("FK-1"))]);
        Assert.Equal(0, fk.Retcode);
        Assert.Equal("C", fk.Value("status"));
    }

    [Fact]
    public async Task Cancel_charges_the_penalty_by_the_fee_rules_and_refuses_closed_orders()
    {
        var adult = (await _client.Get("GetProducts")).Items().First(i => i.Element("productname")!.Value == "成人票").Element("productid")!.Value;
        async Task<string> Paid(int day, string id) => (await _client.Get("OrderAndPayWithYDJ",
            ("Order_list", adult + "|2"), ("Mobile", _client.Enc("13812345678")), ("ID", _client.Enc("A123")), ("SXRQ", _client.Enc(Day(day))),
            ("SmsCode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("money", "300"), ("smsModel", "0"), ("XCDDH", _client.Enc(id)))).Value("Order_id");

        var farAhead = await Paid(5, "C-1");
        var sameDay = await Paid(0, "C-2");
        Assert.Equal(0, (await _client.Get("CancelOrder", ("Order_id", farAhead))).Retcode);
        Assert.Equal(0, (await _client.Get("CancelOrder", ("Order_id", sameDay))).Retcode);
        Assert.Equal("0.00", (await _client.Get("QueryOrder", ("order_id", farAhead))).Value("totalfees"));
        Assert.Equal("40.00", (await _client.Get("QueryOrder", ("order_id", sameDay))).Value("totalfees"));
        Assert.Equal(-2362, (await _client.Get("CancelOrder", ("Order_id", sameDay))).Retcode);
        Assert.Equal(-2361, (await _client.Get("CancelOrder", ("Order_id", "00000000000000000000"))).Retcode);
        Assert.Equal(-1, (await _client.Get("CancelOrder")).Retcode);

        await Edition("legacy");
        Assert.Equal(-2003, (await _client.Get("CancelOrder", ("Order_id", sameDay))).Retcode);
        Assert.Equal(-2001, (await _client.Get("CancelOrder", ("Order_id", "00000000000000000000"))).Retcode);
    }

    [Fact]
    public async Task Lists_time_slots_and_activation_errors()
    {
        Assert.Equal(-1, (await _client.Get("QueryOrdersList", ("Page_index", "0"))).Retcode);
        Assert.Equal(-1901, (await _client.Get("QueryOrdersList")).Retcode);
        Assert.Equal(-1901, (await _client.Get("QueryOrderPageListCount", ("Start_datetime", Day(-40)), ("End_datetime", Day()))).Retcode);
        Assert.Equal("0", (await _client.Get("QueryOrderPageListCount")).Value("recordcount"));
        Assert.Equal(-2351, (await _client.Get("GetTimeSegment", ("startdate", Day()), ("enddate", Day(7)))).Retcode);
        Assert.Equal(-2352, (await _client.Get("GetTimeSegment", ("servicecode", "99"))).Retcode);
        Assert.Equal(8, (await _client.Get("GetTimeSegment")).Items().Count());
        Assert.Single((await _client.Get("GetServiceItem", ("productid", (await _client.Get("GetProducts", ("ServiceCode", "02"))).Value("productid")))).Items());
        Assert.Equal("没有找到对应的预订（预购）单。", (await _client.Get("ActivateTicket", ("orderid", "1"), ("activateall", "1"), ("activatedate", Day()),
            ("tickettype", "2"), ("activatemode", "1"))).Retmsg);
        Assert.Equal("激活方式不能为空，激活失败。", (await _client.Get("ActivateTicket", ("orderid", "1"), ("activateall", "1"), ("activatedate", Day()), ("tickettype", "2"))).Retmsg);
        Assert.Equal(-1901, (await _client.Get("SetAgentParameters", ("sendofficiallysnotify", "1"))).Retcode);
        Assert.Equal(-1, (await _client.Get("SetAgentParameters", ("responseaddr", "ftp://x"), ("sendofficiallysnotify", "1"))).Retcode);
    }
}
