using System.Web;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>Every magic value of scenarios/yobaoxing/failures.yaml, reached through the pages, in the codes of the edition in force.</summary>
public sealed class FailureTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    YobaoxingClient _client = null!;
    YobaoxingSteps _steps = null!;
    Dictionary<string, string> _p = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _client = new YobaoxingClient(_host.Http);
        _steps = new YobaoxingSteps(_host, _client);
        await _steps.FreezeAtMorning();
        _p = await _steps.Products();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    (string, string)[] Pay(string mobile, string sender, string pwd = YobaoxingClient.DemoPayPassword) =>
    [
        .. _steps.Order(_p["成人票"] + "|1", mobile), ("SmsCode", _client.PasswordField(pwd)), ("money", "150"), ("smsModel", "A"), ("XCDDH", _client.Enc(sender)),
    ];

    [Fact]
    public async Task Every_rule_is_listed_with_its_description()
    {
        var magic = (await _host.AdminGet("/scenarios/magic?supplier=yobaoxing"))!.AsArray();
        string[] names =
        [
            "sold-out", "daily-limit-hit", "insufficient-balance-at-booking", "insufficient-balance-at-authorisation", "wrong-payment-password-at-booking",
            "wrong-payment-password-at-authorisation", "wrong-sms-code", "expired-sms-code", "wrong-password-change-code", "expired-password-change-code",
            "account-disabled", "order-auto-closed-unpaid", "refund-rejected-by-finance", "callback-receiver-down", "callback-receiver-down-xcddh",
        ];
        foreach (var name in names)
        {
            var rule = magic.Single(m => m!["rule"]!.GetValue<string>() == name && m["scenario"]?.GetValue<string>() == "default");
            Assert.False(string.IsNullOrWhiteSpace(rule!["description"]?.GetValue<string>()), name);
        }
    }

    [Fact]
    public async Task Sold_out_daily_limit_insufficient_balance_and_wrong_password()
    {
        Assert.Equal(-10361, (await _client.Get("OrderProducts", _steps.Order(_p["成人票"] + "|1", "13900000001"))).Retcode);
        Assert.Equal(-10362, (await _client.Get("OrderProducts", _steps.Order(_p["成人票"] + "|1", "13900000002"))).Retcode);
        Assert.Equal(-2097, (await _client.Get("OrderAndPayWithYDJ", Pay("13900000003", "F-1"))).Retcode);
        Assert.Equal(-2197, (await _client.Get("OrderAndPayWithFK", [.. _steps.Order(_p["成人票"] + "|1", "13900000003"),
            ("SmsCode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("money", "150"), ("smsModel", "A"), ("senderid", _client.Enc("F-2"))])).Retcode);
        Assert.Equal(-2098, (await _client.Get("OrderAndPayWithYDJ", Pay("13900000005", "F-3"))).Retcode);

        var low = await _steps.Book(_p["成人票"] + "|1");
        var lowBalance = (await _client.Get("OrderProducts", _steps.Order(_p["成人票"] + "|1", "13900000003"))).Value("orderid");
        var wrongPwd = (await _client.Get("OrderProducts", _steps.Order(_p["成人票"] + "|1", "13900000005"))).Value("orderid");
        (string, string)[] ByPwd(string order) => [("Order_id", order), ("money", "150"), ("Smscode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("smsModel", "0")];
        Assert.Equal(-2097, (await _client.Get("UseAccountToPayByPwd", ByPwd(lowBalance))).Retcode);
        Assert.Equal(-2098, (await _client.Get("UseAccountToPayByPwd", ByPwd(wrongPwd))).Retcode);
        Assert.Equal(0, (await _client.Get("UseAccountToPayByPwd", ByPwd(low))).Retcode);

        await _steps.Settings(("edition", "legacy"));
        Assert.Equal(-2095, (await _client.Get("OrderAndPayWithYDJ", Pay("13900000003", "F-4"))).Retcode);
        Assert.Equal(-2093, (await _client.Get("OrderAndPayWithYDJ", Pay("13900000005", "F-5"))).Retcode);
    }

    [Fact]
    public async Task Wrong_and_expired_sms_codes_and_a_disabled_account()
    {
        var order = await _steps.Book(_p["成人票"] + "|1");
        Assert.Equal(0, (await _client.Get("ReadyToPay", ("Order_id", order))).Retcode);
        (string, string)[] Use(string code) => [("Order_id", order), ("money", "150"), ("SmsCode", code)];
        Assert.Equal(-2092, (await _client.Get("UseAccountToPay", Use("999999"))).Retcode);
        Assert.Equal(-2093, (await _client.Get("UseAccountToPay", Use("999998"))).Retcode);
        var fk = await _steps.Book(_p["成人票"] + "|1");
        Assert.Equal(-2093, (await _client.Get("UseAccountToPayByFK", ("Order_id", fk), ("money", "150"), ("SmsCode", "999998"), ("smsModel", "0"))).Retcode);
        (string, string)[] unit = [("DWSX", _client.Enc("2")), ("DWID", _client.Enc("9D3E0F2A-1C4B-4A5D-8E6F-7A8B9C0D1E2F"))];
        var zfdh = (await _client.Get("GetVerificationCode", unit)).Value("order_id");
        Assert.Equal(-2431, (await _client.Get("ChangePayPwd", ("YZM", "999999"), ("ZFDH", zfdh), ("NewPwd", _client.PasswordField("1")), ("NewPwd2", _client.PasswordField("1")))).Retcode);
        Assert.Equal(-2433, (await _client.Get("ChangePayPwd", ("YZM", "999998"), ("ZFDH", zfdh), ("NewPwd", _client.PasswordField("1")), ("NewPwd2", _client.PasswordField("1")))).Retcode);

        var disabled = await _client.Get("QueryOrder", ("order_id", order), ("service_version", "disabled"));
        Assert.Equal(-2202, disabled.Retcode);
        Assert.Equal("当前账户已禁用", disabled.Retmsg);
        Assert.Equal("没有这个互联网账户或者互联网账户被禁用", (await _client.Get("GetProducts", ("service_version", "disabled"))).Retmsg[10..]);

        await _steps.Settings(("edition", "legacy"));
        Assert.Equal(-3, (await _client.Get("UseAccountToPay", Use("999999"))).Retcode);
        Assert.Equal(-2, (await _client.Get("UseAccountToPay", Use("999998"))).Retcode);
        Assert.Equal(-2, (await _client.Get("ChangePayPwd", ("YZM", "999998"), ("ZFDH", zfdh), ("NewPwd", _client.PasswordField("1")), ("NewPwd2", _client.PasswordField("1")))).Retcode);
        Assert.Equal(-1, (await _client.Get("QueryOrder", ("order_id", order), ("service_version", "disabled"))).Retcode);
    }

    [Fact]
    public async Task Order_auto_closed_unpaid_and_refund_rejected_by_finance()
    {
        var closing = await _client.Get("OrderProducts", _steps.Order(_p["成人票"] + "|1", "13900000007"));
        Assert.Equal("1", closing.Value("paytimeout"));
        var id = closing.Value("orderid");
        await _steps.Advance("PT2M");
        Assert.Equal("4", await _steps.Status(id));
        Assert.Equal(-2095, (await _client.Get("UseAccountToPayByPwd", ("Order_id", id), ("money", "150"),
            ("Smscode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("smsModel", "0"))).Retcode);
        Assert.Equal(-2008, (await _client.Get("BeginToPay", ("Order_id", id), ("Paychannelid", "支付宝"))).Retcode);

        var order = await _steps.Book(_p["成人票"] + "|1", day: 2);
        await _client.Get("BeginToPay", ("Order_id", order), ("Paychannelid", "支付宝"));
        var list = new List<KeyValuePair<string, string>> { new("NETDH", _client.Enc(order)), new("STATUS", _client.Enc("TRADE_SUCCESS")), new("OpType", _client.Enc("0")) };
        list.Add(new("Sign", YobaoxingClient.Sign(list, _client.Key)));
        Assert.Equal("success", await (await _host.Http.GetAsync("/yobaoxing/notify_url.aspx?" + YobaoxingClient.Query(list))).Content.ReadAsStringAsync());
        Assert.Equal(0, (await _client.Get("ApplyRefund", ("Order_id", order), ("PaybackReason", "REJECT please"))).Retcode);
        await _steps.Advance("PT11M");
        Assert.Equal("A", await _steps.Status(order));
        Assert.Equal("4", (await _client.Get("QueryOrderRefund", ("orderid", order))).Items().Single().Element("status")!.Value);
        // backtotal/backstatus are refunds after delivery ("在交割后产生的退款"): this undelivered order has none.
        var query = await _client.Get("QueryOrder", ("order_id", order));
        Assert.Equal(("0.00", ""), (query.Value("backtotal"), query.Value("backstatus")));
    }

    [Fact]
    public async Task Callback_receiver_down_fails_every_attempt_of_that_order_only()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ => (200, "<root><retcode>0</retcode></root>");
        await _client.Get("SetAgentParameters", ("responseaddr", receiver.Url), ("sendofficiallysnotify", "0"));
        var down = (await _client.Get("OrderAndPayWithYDJ", Pay("13812345678", "CBDOWN-1"))).Value("Order_id");
        var up = (await _client.Get("OrderAndPayWithYDJ", Pay("13812345678", "UP-1"))).Value("Order_id");
        var received = await receiver.WaitForAsync(2);
        Assert.All(received, r => Assert.Equal(up, HttpUtility.ParseQueryString(r.Query)["orderid"]));

        async Task<int> FailedAttempts()
        {
            var callbacks = (await _host.AdminGet($"/callbacks?tenant=demo&entity=yobaoxing:order:{down}"))!.AsArray();
            return callbacks.Sum(c => c!["deliveries"]!.AsArray().Count(d => d!["outcome"]!.GetValue<string>() != "delivered"));
        }
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await FailedAttempts() < 1 && DateTime.UtcNow < deadline) await Task.Delay(100);
        var first = await FailedAttempts();
        Assert.True(first >= 1);
        // A retry is set once the failed attempt is recorded; an hour of virtual time is due whenever it was set.
        for (var step = 0; step < 5 && await FailedAttempts() <= first; step++)
        {
            await _steps.Advance("PT1H");
            deadline = DateTime.UtcNow.AddSeconds(3);
            while (await FailedAttempts() <= first && DateTime.UtcNow < deadline) await Task.Delay(100);
        }
        Assert.True(await FailedAttempts() > first);
        Assert.DoesNotContain(receiver.All, r => HttpUtility.ParseQueryString(r.Query)["orderid"] == down);
    }

    [Fact]
    public async Task Instant_scenario_refunds_without_waiting_for_finance()
    {
        var (status, _) = await _host.AdminSend(HttpMethod.Put, "/tenants/demo/scenario", new { supplier = "yobaoxing", set = "instant" });
        Assert.Equal(200, status);
        var order = await _steps.Book(_p["成人票"] + "|1", day: 2);
        await _client.Get("BeginToPay", ("Order_id", order), ("Paychannelid", "支付宝"));
        var list = new List<KeyValuePair<string, string>> { new("NETDH", _client.Enc(order)), new("STATUS", _client.Enc("TRADE_SUCCESS")), new("OpType", _client.Enc("0")) };
        list.Add(new("Sign", YobaoxingClient.Sign(list, _client.Key)));
        Assert.Equal("success", await (await _host.Http.GetAsync("/yobaoxing/notify_url.aspx?" + YobaoxingClient.Query(list))).Content.ReadAsStringAsync());
        Assert.Equal(0, (await _client.Get("ApplyRefund", ("Order_id", order), ("PaybackReason", "行程变更"))).Retcode);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await _steps.Status(order) != "B" && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal("B", await _steps.Status(order));
        // Unlimited inventory: the 5-a-day product takes a sixth booking.
        Assert.Equal(0, (await _client.Get("OrderProducts", _steps.Order(_p["限量体验票"] + "|5"))).Retcode);
        Assert.Equal(0, (await _client.Get("OrderProducts", _steps.Order(_p["限量体验票"] + "|1"))).Retcode);
    }
}
