using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>
/// One successful reply of every page (52 integrator pages and the 3 payment-platform notify pages), in one session on
/// a fresh sandbox, compared with tests/Golden/yobaoxing/&lt;Page&gt;.xml. All differences are reported together.
/// </summary>
public sealed class GoldenPageTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    YobaoxingClient _client = null!;
    YobaoxingSteps _steps = null!;
    readonly List<string> _failures = [];
    readonly HashSet<string> _pages = new(StringComparer.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _client = new YobaoxingClient(_host.Http);
        _steps = new YobaoxingSteps(_host, _client);
        await _steps.FreezeAtMorning();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    async Task<YobaoxingClient.Reply> Page(string page, params (string, string)[] ps)
    {
        var reply = await _client.Get(page, ps);
        Record(page, reply.Text);
        Assert.True(reply.Retcode == 0, $"{page}: {reply.Retcode} {reply.Retmsg}");
        return reply;
    }

    void Record(string page, string text)
    {
        _pages.Add(page);
        if (GoldenXml.Compare("yobaoxing/" + page, text) is { } failure) _failures.Add(failure);
    }

    async Task<string> Notify(string page, string order, string op)
    {
        var list = new List<KeyValuePair<string, string>> { new("NETDH", _client.Enc(order)), new("STATUS", _client.Enc("TRADE_SUCCESS")), new("OpType", _client.Enc(op)) };
        list.Add(new("Sign", YobaoxingClient.Sign(list, _client.Key)));
        var text = await (await _host.Http.GetAsync($"/yobaoxing/{page}.aspx?" + YobaoxingClient.Query(list))).Content.ReadAsStringAsync();
        Record(page, text);
        Assert.Equal("success", text);
        return text;
    }

    [Fact]
    public async Task Every_page_matches_its_golden_reply()
    {
        string today = YobaoxingSteps.Day(), tomorrow = YobaoxingSteps.Day(1);
        var pwd = _client.PasswordField(YobaoxingClient.DemoPayPassword);
        await Page("SetAgentParameters", ("responseaddr", ""), ("sendofficiallysnotify", "1"));
        var products = (await Page("GetProducts")).Items().ToDictionary(i => i.Element("productname")!.Value, i => i.Element("productid")!.Value);
        await Page("GetProductsInventory", ("ProductID", products["限量体验票"]), ("StartDate", today), ("EndDate", today));
        await Page("GetServiceItem");
        await Page("GetTimeSegment", ("servicecode", "01"), ("startdate", today));
        await Page("GetProviderConfig");
        await Page("GetPayChannel");
        await Page("QueryPruductStatus", ("Productid", products["成人票"]));

        async Task<string> Book(string list, string? page = null, int day = 0)
        {
            var r = page is null ? await _client.Get("OrderProducts", _steps.Order(list, day: day)) : await Page(page, _steps.Order(list, day: day));
            Assert.Equal(0, r.Retcode);
            return r.Value("orderid");
        }
        var o1 = await Book(products["成人票"] + "|2", "OrderProducts");
        await Page("QueryOrder", ("order_id", o1));
        await Page("QueryOrdersList", ("Page_index", "0"));
        await Page("QueryOrderPageListCount");
        await Page("ReadyToPay", ("Order_id", o1));
        await Page("UseAccountToPay", ("Order_id", o1), ("money", "300"), ("SmsCode", await _steps.LastCode()));
        await Page("ReMakeTicket", ("Order_id", o1), ("smsModel", "0"));

        var o2 = await Book(products["儿童票"] + "|1");
        await Page("ReadyToPayByFK", ("Order_id", o2));
        await Page("UseAccountToPayByFK", ("Order_id", o2), ("money", "75"), ("SmsCode", await _steps.LastCode()), ("smsModel", "0"));
        var o3 = await Book(products["成人票"] + "|1");
        await Page("UseAccountToPayByPwd", ("Order_id", o3), ("money", "150"), ("Smscode", pwd), ("smsModel", "0"));
        var o4 = await Book(products["成人票"] + "|1");
        await Page("UseAccountToPayByFKWithPwd", ("Order_id", o4), ("money", "150"), ("SmsCode", pwd), ("smsModel", "0"));
        var o5 = await Book(products["老年票"] + "|1");
        await Page("CancelOrder", ("Order_id", o5));

        var named = await Page("OrderAndPayWithYDJ", ("Order_list", products["实名成人票"] + "|2"), ("Mobile", _client.Enc("13812345678")), ("ID", _client.Enc("A123")),
            ("SXRQ", _client.Enc(today)), ("IDCount", "2"), ("Memo", _client.Enc("110101199001011234^张三^13811111111^1^1|110101199202022345^李四^13822222222^1^1")),
            ("SmsCode", pwd), ("money", "300"), ("smsModel", "0"), ("XCDDH", _client.Enc("GOLD-6")));
        var o6 = named.Value("Order_id");
        var activated = await Page("ActivateTicket", ("orderid", o6), ("activateall", "1"), ("activatedate", today), ("tickettype", "1"), ("activatemode", "1"));
        var codes = activated.Items("ticket").Select(t => t.Element("ticketcode")!.Value).ToList();
        await Page("GetTicketList", ("orderid", o6));
        await Page("GetTicketContext", ("orderid", o6), ("ticketcode", codes[0]));
        await Page("GetProductsIdentity", ("orderid", o6));
        var (gate, _) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/gate-check", new { orderid = o6, ticketcode = codes[0], gatenumber = "03" });
        Assert.Equal(200, gate);
        await Page("QueryTicketCheckList", ("orderid", o6), ("ticketcode", codes[0]));
        await Page("RefundTicket", ("orderid", o6), ("ticketcode", codes[1]));
        await Page("QueryOrderRefund", ("orderid", o6));
        await Page("OrderAndPayWithFK", ("Order_list", products["成人票"] + "|1"), ("Mobile", _client.Enc("13812345678")), ("ID", _client.Enc("A123")),
            ("SXRQ", _client.Enc(today)), ("SmsCode", pwd), ("money", "150"), ("smsModel", "A"), ("senderid", _client.Enc("GOLD-7")));
        await Page("GetSPYDRecCount", ("Start_datetime", today), ("End_datetime", today));
        await Page("GetSPYDRec", ("Page_index", "0"), ("Start_datetime", today), ("End_datetime", today));

        string from = YobaoxingSteps.Day(-1) + "000000", to = YobaoxingSteps.Day(1) + "000000";
        await Page("QueryYFKRec");
        await Page("QueryYFKJYRecCount", ("Start_datetime", from), ("End_datetime", to));
        await Page("QueryYFKJYRec", ("Page_index", "0"), ("Start_datetime", from), ("End_datetime", to));
        await Page("QueryFKRec");
        await Page("QueryFKJYRecCount", ("Start_datetime", from), ("End_datetime", to));
        await Page("QueryFKJYRec", ("Page_index", "0"), ("Start_datetime", from), ("End_datetime", to));
        var zfdh = (await Page("GetVerificationCode", ("DWSX", _client.Enc("2")), ("DWID", _client.Enc("9D3E0F2A-1C4B-4A5D-8E6F-7A8B9C0D1E2F")))).Value("order_id");
        await Page("ChangePayPwd", ("YZM", await _steps.LastCode()), ("ZFDH", zfdh), ("NewPwd", pwd), ("NewPwd2", pwd));

        var theatre = (await Page("QueryTheaterList")).Items("item").Single().Element("TheaterID")!.Value;
        var sence = (await Page("QueryTheaterSenceList", ("TheaterID", _client.Enc(theatre)), ("TicketDate", _client.Enc(tomorrow))))
            .Items("item").Single(i => i.Element("SenceName")!.Value == "夜场").Element("SenceID")!.Value;
        var show = (await Page("GetProducts2", ("TheaterID", _client.Enc(theatre)), ("SceneID", _client.Enc(sence)), ("TicketDate", _client.Enc(tomorrow))))
            .Items().First().Element("productid")!.Value;
        var area = (await Page("QuerySeatAreaList", ("ProductID", _client.Enc(show)), ("SenceID", _client.Enc(sence)), ("TicketDate", _client.Enc(tomorrow))))
            .Value("SeatAreaID");
        var seats = (await Page("QueryRowsAndSeatsList", ("SeatAreaID", _client.Enc(area)))).Items("item").First().Descendants("SeatID").Select(s => s.Value).ToList();
        (string, string)[] Seat(int qty, string? seatInfo) =>
        [
            ("Order_list", show + "|" + qty), ("mobile", _client.Enc("13812345678")), ("ID", _client.Enc("A123")), ("TicketDate", _client.Enc(tomorrow)),
            ("SenceID", _client.Enc(sence)), .. seatInfo is null ? Array.Empty<(string, string)>() : [("SeatInfo", _client.Enc(seatInfo))],
        ];
        await Page("OrderProducts2", Seat(2, seats[0] + "|" + seats[1]));
        await Page("OrderAndPayWithYDJ2", [.. Seat(1, seats[2]), ("smscode", pwd), ("money", "380"), ("smsModel", "A"), ("senderid", _client.Enc("GOLD-8"))]);
        await Page("OrderAndPayWithFK2", [.. Seat(1, null), ("smscode", pwd), ("money", "380"), ("smsModel", "A"), ("senderid", _client.Enc("GOLD-9"))]);
        await Page("QuerySeatsState", ("SeatAreaID", _client.Enc(area)), ("SenceID", _client.Enc(sence)), ("TicketDate", _client.Enc(tomorrow)));

        var o9 = await Book(products["成人票"] + "|2", day: 3);
        await Page("BeginToPay", ("Order_id", o9), ("Paychannelid", "支付宝"));
        await Notify("notify_url", o9, "0");
        await Page("ApplyRefund", ("Order_id", o9), ("PaybackReason", "行程变更"));
        await Page("RevokeOrder", ("Order_id", o9), ("total_fee", "300"), ("PaybackReason", "不退了"));
        Assert.Equal(0, (await _client.Get("ApplyRefund", ("Order_id", o9), ("PaybackReason", "还是要退"))).Retcode);
        await Page("OrderRefundDeal", ("orderid", o9));
        await _steps.Advance("PT11M");
        await Notify("notify_Payback_url", o9, "1");

        var o10 = await Book(products["儿童票"] + "|1", day: 3);
        var trade = (await _client.Get("BeginToPay", ("Order_id", o10), ("Paychannelid", "微信支付"))).Value("out_trade_no");
        var wechat = await (await _host.Http.PostAsync("/yobaoxing/WeChatNotify.aspx", new StringContent(
            $"<xml><out_trade_no>{trade}</out_trade_no><transaction_id>4200000001</transaction_id><attach>{o10}</attach><bank_type>CFT</bank_type>" +
            "<mch_id>1900000109</mch_id><total_fee>7500</total_fee><result_code>SUCCESS</result_code><return_code>SUCCESS</return_code></xml>"))).Content.ReadAsStringAsync();
        Record("WeChatNotify", wechat);
        Assert.Contains("SUCCESS", wechat);

        var catalogue = (await _host.AdminGet("/suppliers"))!.AsArray().Single(s => s!["name"]?.GetValue<string>() == "yobaoxing")!;
        var served = catalogue["operations"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()).Where(n => !n.StartsWith("Notify", StringComparison.Ordinal)).ToList();
        Assert.Equal(55, served.Count);
        Assert.DoesNotContain(served, n => !_pages.Contains(n));
        Assert.Empty(_failures);
    }
}
