using System.Web;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>SMS-code and password authorisations, the payment-password change, account queries and instant payments.</summary>
public sealed class AccountPaymentTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    YobaoxingClient _client = null!;
    YobaoxingSteps _steps = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _client = new YobaoxingClient(_host.Http);
        _steps = new YobaoxingSteps(_host, _client);
        await _steps.FreezeAtMorning();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Deposit_by_sms_code_validity_resend_interval_and_cap()
    {
        var p = await _steps.Products();
        var order = await _steps.Book(p["成人票"] + "|2");
        Assert.Equal(-2002, (await _client.Get("ReadyToPay", ("Order_id", "00000000000000000000"))).Retcode);
        Assert.Equal(0, (await _client.Get("ReadyToPay", ("Order_id", order), ("NumIndex", "1"))).Retcode);
        var sms = (await _steps.Messages("verification-code")).Single()!;
        // V4: the deposit code goes to phone 1 whatever NumIndex says.
        Assert.Equal("13800000001", sms["to"]!.GetValue<string>());
        Assert.Contains(order, sms["text"]!.GetValue<string>());
        Assert.Contains("重发太频繁", (await _client.Get("ReadyToPay", ("Order_id", order))).Retmsg);

        (string, string)[] Use(string code, string money = "300") => [("Order_id", order), ("money", money), ("SmsCode", code)];
        var code = await _steps.LastCode();
        var wrong = code == "000000" ? "111111" : "000000";
        Assert.Equal(-2092, (await _client.Get("UseAccountToPay", Use(wrong))).Retcode);
        Assert.Equal(-2096, (await _client.Get("UseAccountToPay", Use(code, "299"))).Retcode);
        await _steps.Advance("PT7M");
        Assert.Equal(-2093, (await _client.Get("UseAccountToPay", Use(code))).Retcode);

        Assert.Equal(0, (await _client.Get("ReadyToPay", ("Order_id", order))).Retcode);
        var fresh = await _steps.LastCode();
        var before = (await _client.Get("QueryYFKRec")).Value("BQJY");
        Assert.Equal(0, (await _client.Get("UseAccountToPay", Use(fresh))).Retcode);
        Assert.Equal("2", await _steps.Status(order));
        Assert.Equal(decimal.Parse(before) - 300, decimal.Parse((await _client.Get("QueryYFKRec")).Value("BQJY")));
        // The code is spent, and the order is no longer open for a new one.
        Assert.Equal(-2095, (await _client.Get("UseAccountToPay", Use(fresh))).Retcode);
        Assert.Equal(-2002, (await _client.Get("ReadyToPay", ("Order_id", order))).Retcode);

        await _steps.Settings(("smsMaxSends", "2"));
        var other = await _steps.Book(p["成人票"] + "|1");
        Assert.Equal(0, (await _client.Get("ReadyToPay", ("Order_id", other))).Retcode);
        await _steps.Advance("PT2M");
        Assert.Equal(0, (await _client.Get("ReadyToPay", ("Order_id", other))).Retcode);
        await _steps.Advance("PT2M");
        Assert.Equal(-3, (await _client.Get("ReadyToPay", ("Order_id", other))).Retcode);

        await _steps.Settings(("canpaywithyfk", "0"));
        var refused = await _client.Get("ReadyToPay", ("Order_id", other));
        Assert.Equal(-1, refused.Retcode);
        Assert.Equal("不支持预付金支付功能，请与景区管理员联系，开通此功能", refused.Retmsg);
    }

    [Fact]
    public async Task Rebate_by_sms_code_in_both_editions_and_by_password()
    {
        var p = await _steps.Products();
        var order = await _steps.Book(p["儿童票"] + "|2");
        Assert.Equal(0, (await _client.Get("ReadyToPayByFK", ("Order_id", order), ("NumIndex", "1"))).Retcode);
        var code = await _steps.LastCode("13800000002");
        Assert.Equal(-1901, (await _client.Get("UseAccountToPayByFK", ("Order_id", order), ("money", "150"))).Retcode);
        Assert.Equal(-2196, (await _client.Get("UseAccountToPayByFK", ("Order_id", order), ("money", "1"), ("SmsCode", code), ("smsModel", "0"))).Retcode);
        var ok = await _client.Get("UseAccountToPayByFK", ("Order_id", order), ("money", "150"), ("SmsCode", code), ("smsModel", "0"));
        Assert.Equal(0, ok.Retcode);
        Assert.Equal("C", await _steps.Status(order));
        var fkRec = await _client.Get("QueryFKRec");
        Assert.Equal("19850.00", fkRec.Value("JEBQJY"));
        Assert.Equal("150.00", fkRec.Value("JEBQDF"));

        await _steps.Settings(("edition", "legacy"));
        var legacy = await _steps.Book(p["儿童票"] + "|1");
        Assert.Equal(0, (await _client.Get("ReadyToPayByFK", ("Order_id", legacy))).Retcode);
        var legacyCode = await _steps.LastCode();
        Assert.Equal(-2093, (await _client.Get("UseAccountToPayByFK", ("Order_id", legacy), ("money", "75"), ("SmsCode", "x" + legacyCode), ("smsModel", "0"))).Retcode);
        await _steps.Advance("PT11M");
        Assert.Equal(-2, (await _client.Get("UseAccountToPayByFK", ("Order_id", legacy), ("money", "75"), ("SmsCode", legacyCode), ("smsModel", "0"))).Retcode);

        await _steps.Settings();
        var byPwd = await _steps.Book(p["儿童票"] + "|1");
        (string, string)[] Pwd(string pwd, string money = "75") =>
            [("Order_id", byPwd), ("money", money), ("SmsCode", _client.PasswordField(pwd)), ("smsModel", "0")];
        Assert.Equal(-2098, (await _client.Post("UseAccountToPayByFKWithPwd", Pwd("123"))).Retcode);
        await _steps.Account(rebate: -19800);
        Assert.Equal(-2197, (await _client.Post("UseAccountToPayByFKWithPwd", Pwd(YobaoxingClient.DemoPayPassword))).Retcode);
        await _steps.Account(rebate: 100);
        Assert.Equal(0, (await _client.Post("UseAccountToPayByFKWithPwd", Pwd(YobaoxingClient.DemoPayPassword))).Retcode);
        Assert.Equal("C", await _steps.Status(byPwd));
        await _steps.Settings(("canpaywithfk", "0"));
        Assert.Equal(-2194, (await _client.Post("UseAccountToPayByFKWithPwd", [("Order_id", await _steps.Book(p["儿童票"] + "|1")), ("money", "75"),
            ("SmsCode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("smsModel", "0")])).Retcode);
    }

    [Fact]
    public async Task Payment_password_change_through_the_sms_code()
    {
        (string, string)[] Unit(string dwsx = "2") =>
            [("DWSX", _client.Enc(dwsx)), ("DWID", _client.Enc("9D3E0F2A-1C4B-4A5D-8E6F-7A8B9C0D1E2F"))];
        var wrongUnit = await _client.Get("GetVerificationCode", Unit("3"));
        Assert.Equal("传入的单位ID或单位属性ID不正确", wrongUnit.Retmsg);
        var issued = await _client.Get("GetVerificationCode", Unit());
        Assert.Equal(0, issued.Retcode);
        Assert.Null(issued.Sign);
        var zfdh = issued.Value("order_id");
        Assert.Equal("0", issued.Value("status"));
        var code = await _steps.LastCode();

        (string, string)[] Change(string yzm, string newPwd, string again, string? doc = null) =>
            [("YZM", yzm), ("ZFDH", doc ?? zfdh), ("NewPwd", _client.PasswordField(newPwd)), ("NewPwd2", _client.PasswordField(again))];
        Assert.Equal(-2432, (await _client.Get("ChangePayPwd", Change(code, "654321", "654320"))).Retcode);
        Assert.Equal(-2433, (await _client.Get("ChangePayPwd", Change(code, "654321", "654321", "Z0000000000000000000"))).Retcode);
        Assert.Equal(-2431, (await _client.Get("ChangePayPwd", Change(code == "000000" ? "111111" : "000000", "654321", "654321"))).Retcode);
        Assert.Equal(-1901, (await _client.Get("ChangePayPwd", ("ZFDH", zfdh))).Retcode);
        var changed = await _client.Get("ChangePayPwd", Change(code, "654321", "654321"));
        Assert.Equal(0, changed.Retcode);
        Assert.Null(changed.Sign);

        var p = await _steps.Products();
        var order = await _steps.Book(p["成人票"] + "|1");
        (string, string)[] Pay(string pwd) => [("Order_id", order), ("money", "150"), ("Smscode", _client.PasswordField(pwd)), ("smsModel", "0")];
        Assert.Equal(-2098, (await _client.Get("UseAccountToPayByPwd", Pay(YobaoxingClient.DemoPayPassword))).Retcode);
        Assert.Equal(0, (await _client.Get("UseAccountToPayByPwd", Pay("654321"))).Retcode);

        await _steps.Settings(("edition", "legacy"));
        var again = await _client.Get("GetVerificationCode", Unit());
        var legacyCode = await _steps.LastCode();
        Assert.Equal(-2003, (await _client.Get("ChangePayPwd", [("YZM", legacyCode), ("ZFDH", again.Value("order_id")),
            ("NewPwd", _client.PasswordField("1")), ("NewPwd2", _client.PasswordField("2"))])).Retcode);
        Assert.Equal(-2001, (await _client.Get("ChangePayPwd", ("YZM", legacyCode))).Retcode);
        Assert.Equal(-2004, (await _client.Get("ChangePayPwd", Change(legacyCode, "1", "1", "Z0000000000000000000"))).Retcode);
    }

    [Fact]
    public async Task Account_transactions_pages_filters_and_date_rules()
    {
        var p = await _steps.Products();
        await _steps.Account(deposit: 500, rebate: 50);
        for (var i = 0; i < 3; i++)
            Assert.Equal(0, (await _client.Get("OrderAndPayWithYDJ", [.. _steps.Order(p["成人票"] + "|1"), ("SmsCode", _client.PasswordField(YobaoxingClient.DemoPayPassword)),
                ("money", "150"), ("smsModel", "A"), ("XCDDH", _client.Enc("T-" + i))])).Retcode);
        var from = YobaoxingSteps.Day(-1) + "000000";
        var to = YobaoxingSteps.Day(1) + "000000";
        await _steps.Settings(("pageSize", "2"));
        var count = await _client.Get("QueryYFKJYRecCount", ("Start_datetime", from), ("End_datetime", to));
        Assert.Equal("4", count.Value("recordcount"));
        Assert.Equal("2", count.Value("pagecount"));
        Assert.Equal("3", (await _client.Get("QueryYFKJYRecCount", ("Start_datetime", from), ("End_datetime", to), ("JYLX", "2"))).Value("recordcount"));
        var page0 = await _client.Get("QueryYFKJYRec", ("Page_index", "0"), ("Start_datetime", from), ("End_datetime", to));
        Assert.Equal(2, page0.Items().Count());
        var page1 = await _client.Get("QueryYFKJYRec", ("Page_index", "1"), ("Start_datetime", from), ("End_datetime", to));
        var topUp = page1.Items().Last();
        Assert.Equal("1", topUp.Element("JYLX")!.Value);
        Assert.Equal("500.00", topUp.Element("BQFS")!.Value);
        Assert.Equal("景区操作员", topUp.Element("YHDLM")!.Value);
        Assert.Equal(-1, (await _client.Get("QueryYFKJYRec", ("Page_index", "2"), ("Start_datetime", from), ("End_datetime", to))).Retcode);
        Assert.Equal(-1, (await _client.Get("QueryYFKJYRecCount", ("Start_datetime", YobaoxingSteps.Day(-30) + "000000"), ("End_datetime", YobaoxingSteps.Day(-29) + "000000"))).Retcode);
        Assert.Equal(-1, (await _client.Get("QueryYFKJYRec", ("Page_index", "0"), ("Start_datetime", "yesterday"), ("End_datetime", to))).Retcode);

        var rec = await _client.Get("QueryYFKRec");
        Assert.Equal("100050.00", rec.Value("BQJY"));
        Assert.Equal("450.00", rec.Value("BQDF"));
        Assert.Equal(decimal.Parse(rec.Value("BQJY")), decimal.Parse(rec.Value("SQJY")) + decimal.Parse(rec.Value("BQSQ")) - decimal.Parse(rec.Value("BQDF")));

        Assert.Equal("1", (await _client.Get("QueryFKJYRecCount", ("Start_datetime", from), ("End_datetime", to))).Value("recordcount"));
        var fk = (await _client.Get("QueryFKJYRec", ("Page_index", "0"), ("Start_datetime", from), ("End_datetime", to))).Items().Single();
        Assert.Equal("0", fk.Element("JYLX")!.Value);
        Assert.Equal(YobaoxingSteps.Day()[..4], fk.Element("ND")!.Value);
        Assert.Equal("传入的日期格式错误，请核查。", (await _client.Get("QueryFKJYRecCount", ("Start_datetime", "x"), ("End_datetime", to))).Retmsg);
        Assert.Equal("起始日期不能在截止日期之后，请重新选择查询的日期时间。", (await _client.Get("QueryFKJYRecCount", ("Start_datetime", to), ("End_datetime", from))).Retmsg);
        Assert.Equal("最大只能请求6个月内的数据，请重新选择查询的日期时间。", (await _client.Get("QueryFKJYRecCount", ("Start_datetime", YobaoxingSteps.Day(-200) + "000000"), ("End_datetime", to))).Retmsg);
        Assert.Equal(-1, (await _client.Get("QueryFKJYRecCount", ("Start_datetime", from), ("End_datetime", to), ("JYLX", "Z"))).Retcode);

        await _steps.Settings(("canpaywithfk", "0"));
        Assert.Equal("没有查询到该返款账户数据。", (await _client.Get("QueryFKRec")).Retmsg);
    }

    [Fact]
    public async Task Instant_payment_through_alipay_and_wechat_notifications()
    {
        var channels = await _client.Get("GetPayChannel");
        Assert.Equal(["支付宝", "微信支付", "银联网上支付"], channels.Items().Select(i => i.Element("paychannelname")!.Value).ToArray());
        var p = await _steps.Products();
        var order = await _steps.Book(p["成人票"] + "|2", senderId: "EP-1");

        Assert.Equal(-2007, (await _client.Get("BeginToPay", ("Paychannelid", "支付宝"))).Retcode);
        Assert.Equal(-2001, (await _client.Get("BeginToPay", ("Order_id", order), ("Paychannelid", "PayPal"))).Retcode);
        Assert.Equal(-2002, (await _client.Get("BeginToPay", ("Order_id", "1"), ("Paychannelid", "支付宝"))).Retcode);
        var begun = await _client.Get("BeginToPay", ("Order_id", order), ("Paychannelid", "支付宝"));
        Assert.Equal(0, begun.Retcode);
        Assert.Equal("300.00", begun.Value("total_fee"));

        (string, string)[] Alipay(string status, string op = "0", string? id = null) =>
        [
            ("NETDH", _client.Enc(id ?? order)), ("STATUS", _client.Enc(status)), ("OpType", _client.Enc(op)), ("sign_type", "MD5"),
        ];
        async Task<string> Notify(params (string, string)[] ps)
        {
            var list = ps.Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2)).ToList();
            list.Add(new("Sign", YobaoxingClient.Sign(list, _client.Key)));
            using var resp = await _host.Http.GetAsync("/yobaoxing/notify_url.aspx?" + YobaoxingClient.Query(list));
            return await resp.Content.ReadAsStringAsync();
        }
        using (var forged = await _host.Http.GetAsync("/yobaoxing/notify_url.aspx?" + YobaoxingClient.Query(
                   Alipay("TRADE_SUCCESS").Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2)).Append(new("Sign", new string('0', 32))))))
            Assert.Equal("fail", await forged.Content.ReadAsStringAsync());
        Assert.Equal("fail", await Notify(Alipay("TRADE_SUCCESS", id: "nope")));
        Assert.Equal("success", await Notify(Alipay("TRADE_FAIL")));
        Assert.Equal("0", await _steps.Status(order));
        Assert.Equal("success", await Notify(Alipay("TRADE_SUCCESS")));
        Assert.Equal("6", await _steps.Status(order));
        Assert.Equal("success", await Notify(Alipay("TRADE_SUCCESS")));
        Assert.Equal(-2004, (await _client.Get("BeginToPay", ("Order_id", order), ("Paychannelid", "支付宝"))).Retcode);
        var payment = (await _steps.Messages("payment")).Single()!;
        Assert.Equal("13812345678", payment["to"]!.GetValue<string>());

        var wechat = await _steps.Book(p["成人票"] + "|1");
        var trade = (await _client.Get("BeginToPay", ("Order_id", wechat), ("Paychannelid", "02"))).Value("out_trade_no");
        async Task<string> WeChat(string fee, string tradeNo) =>
            await (await _host.Http.PostAsync("/yobaoxing/WeChatNotify.aspx", new StringContent(
                $"<xml><out_trade_no>{tradeNo}</out_trade_no><transaction_id>4200001</transaction_id><attach>{wechat}</attach><bank_type>CFT</bank_type>" +
                $"<mch_id>1900000109</mch_id><total_fee>{fee}</total_fee><result_code>SUCCESS</result_code><return_code>SUCCESS</return_code></xml>"))).Content.ReadAsStringAsync();
        Assert.Contains("FAIL", await WeChat("100", trade));
        Assert.Contains("FAIL", await WeChat("15000", "T-other"));
        Assert.Contains("<return_code><![CDATA[SUCCESS]]></return_code>", await WeChat("15000", trade));
        Assert.Equal("6", await _steps.Status(wechat));

        var late = await _steps.Book(p["成人票"] + "|1");
        await _steps.Advance("PT31M");
        Assert.Equal(-2008, (await _client.Get("BeginToPay", ("Order_id", late), ("Paychannelid", "支付宝"))).Retcode);
    }

    [Fact]
    public async Task Manual_approval_auto_activation_and_the_legacy_notify_url()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ => (200, "<root><retcode>0</retcode><retmsg></retmsg></root>");
        var p = await _steps.Products();
        await _steps.Settings(("paymentApproval", "manual"));
        var manual = await _steps.Book(p["成人票"] + "|1");
        await _client.Get("BeginToPay", ("Order_id", manual), ("Paychannelid", "支付宝"));
        await PayByAlipay(manual);
        Assert.Equal("5", await _steps.Status(manual));
        var (status, _) = await _host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{manual}/transition", new { to = "9", supplier = "yobaoxing" });
        Assert.Equal(200, status);
        Assert.Equal("9", await _steps.Status(manual));

        await _steps.Settings(("payandactive", "1"));
        var auto = await _steps.Book(p["成人票"] + "|2");
        await _client.Get("BeginToPay", ("Order_id", auto), ("Paychannelid", "支付宝"));
        await PayByAlipay(auto);
        Assert.Equal("3", await _steps.Status(auto));
        Assert.Equal(2, (await _client.Get("GetTicketList", ("orderid", auto))).Items("ticket").Count());

        await _steps.Settings(("edition", "legacy"));
        Assert.Equal(0, (await _client.Get("SetAgentParameters", ("responseaddr", receiver.Url + "/ybx"), ("sendofficiallysnotify", "1"))).Retcode);
        var legacy = await _steps.Book(p["成人票"] + "|1", senderId: "LG-1");
        Assert.Equal(-1, (await _client.Get("BeginToPay", ("Order_id", legacy), ("Paychannelid", "支付宝"))).Retcode);
        Assert.Equal(0, (await _client.Get("BeginToPay", ("Order_id", legacy), ("Paychannelid", "支付宝"), ("NotifyURL", receiver.Url + "/paid?shop=1"))).Retcode);
        await PayByAlipay(legacy);
        // Callbacks of one order go out in sequence: creation, paid, approved, then the payment's NotifyURL.
        var all = await receiver.WaitForAsync(4);
        Assert.Equal(["/ybx/Notify_OrderChanged.aspx", "/ybx/Notify_OrderChanged.aspx", "/ybx/Notify_OrderChanged.aspx", "/paid"], all.Select(r => r.Path).ToArray());
        var paid = all[3];
        Assert.Equal("/paid", paid.Path);
        var q = HttpUtility.ParseQueryString(paid.Query);
        Assert.Equal("1", q["shop"]);
        Assert.Equal("TRADE_SUCCESS", q["status"]);
        Assert.Equal(legacy, q["orderid"]);
        Assert.Equal("LG-1", q["senderid"]);
    }

    async Task PayByAlipay(string order)
    {
        var list = new List<KeyValuePair<string, string>>
        {
            new("NETDH", _client.Enc(order)), new("STATUS", _client.Enc("TRADE_SUCCESS")), new("OpType", _client.Enc("0")),
        };
        list.Add(new("Sign", YobaoxingClient.Sign(list, _client.Key)));
        using var resp = await _host.Http.PostAsync("/yobaoxing/POST/notify_url.aspx", new FormUrlEncodedContent(list));
        Assert.Equal("success", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Counter_payment_and_collection_for_accounts_allowed_to_pay_at_the_counter()
    {
        var p = await _steps.Products();
        var refused = await _steps.Book(p["成人票"] + "|1");
        var (status, body) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/counter-collect", new { orderid = refused });
        Assert.Equal(409, status);
        Assert.Equal("当前客户不允许前台现付", body!["error"]!.GetValue<string>());

        await _steps.Settings(("canpaywithcash", "1"));
        var order = await _steps.Book(p["成人票"] + "|2");
        var waiting = await _steps.Book(p["成人票"] + "|1");
        Assert.Equal("0", (await _client.Get("QueryOrder", ("order_id", order))).Value("paytimeout"));
        (status, body) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/counter-collect", new { orderid = order });
        Assert.Equal(200, status);
        Assert.Equal("X", body!["status"]!.GetValue<string>());
        Assert.Equal(2, body["tickets"]!.AsArray().Count);
        var query = await _client.Get("QueryOrder", ("order_id", order));
        Assert.Equal("X", query.Value("orderstatus"));
        Assert.Equal("前台现付", query.Value("paychannel"));
        Assert.Equal("1", (await _client.Get("GetTicketList", ("orderid", order))).Value("businesstype"));
        Assert.Equal(-2381, (await _client.Get("CancelOrder", ("Order_id", order))).Retcode);
        (status, _) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/counter-collect", new { orderid = order });
        Assert.Equal(409, status);
        // Counter-pay accounts are exempt from the payment time limit.
        await _steps.Advance("PT31M");
        Assert.Equal("0", await _steps.Status(waiting));
    }

    [Fact]
    public async Task Password_authorisation_codes_in_both_editions_and_without_a_payment_password()
    {
        var p = await _steps.Products();
        var order = await _steps.Book(p["成人票"] + "|1");
        (string, string)[] Pay(string id, string money = "150", string pwd = YobaoxingClient.DemoPayPassword) =>
            [("Order_id", id), ("money", money), ("Smscode", _client.PasswordField(pwd)), ("smsModel", "0")];
        await _steps.Settings(("canpaywithyfk", "0"));
        Assert.Equal(-2094, (await _client.Get("UseAccountToPayByPwd", Pay(order))).Retcode);
        await _steps.Settings(("edition", "legacy"));
        Assert.Equal(-2092, (await _client.Get("UseAccountToPayByPwd", Pay("00000000000000000000"))).Retcode);
        Assert.Equal(-2093, (await _client.Get("UseAccountToPayByPwd", Pay(order, pwd: "1"))).Retcode);
        Assert.Equal(-2094, (await _client.Get("UseAccountToPayByPwd", Pay(order, money: "1"))).Retcode);
        Assert.Equal(0, (await _client.Get("UseAccountToPayByPwd", Pay(order))).Retcode);
        // Legacy takes the deposit at delivery, not at authorisation.
        Assert.Empty((await _host.AdminGet("/tenants/demo/orders?supplier=yobaoxing&kind=txn"))!.AsArray());

        var (status, _) = await _host.AdminSend(HttpMethod.Post, "/tenants", new
        {
            id = "nopwd",
            credentials = new { yobaoxing = new { user = "nopwd_agent", password = "p", key = YobaoxingClient.DemoKey, payPassword = "" } },
        });
        Assert.Equal(201, status);
        var agent = new YobaoxingClient(_host.Http, user: "nopwd_agent", password: "p");
        var booked = await agent.Get("OrderProducts", _steps.Order(p["成人票"] + "|1"));
        Assert.Equal(-2099, (await agent.Get("UseAccountToPayByPwd", Pay(booked.Value("orderid")))).Retcode);
    }

    [Fact]
    public async Task Message_log_needs_a_known_tenant()
    {
        var (status, _) = await _host.AdminSend(HttpMethod.Get, "/tenants/nobody/messages");
        Assert.Equal(404, status);
        Assert.Empty(await _steps.Messages());
    }
}
