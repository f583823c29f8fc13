using System.Web;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>Ticket refunds with their callbacks, the instant-payment refund application through finance, and the remaining order pages.</summary>
public sealed class RefundTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    CallbackReceiver _receiver = null!;
    YobaoxingClient _client = null!;
    YobaoxingSteps _steps = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _receiver = await CallbackReceiver.StartAsync();
        _receiver.Reply = _ => (200, "<root><retcode>0</retcode><retmsg></retmsg></root>");
        _client = new YobaoxingClient(_host.Http);
        _steps = new YobaoxingSteps(_host, _client);
        await _steps.FreezeAtMorning();
        Assert.Equal(0, (await _client.Get("SetAgentParameters", ("responseaddr", _receiver.Url), ("sendofficiallysnotify", "1"))).Retcode);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    async Task<(string Order, List<string> Tickets)> PaidAndActivated(string product, int qty, string page, string sender, int day = 0)
    {
        var p = await _steps.Products();
        var price = decimal.Parse((await _client.Get("GetProducts")).Items().First(i => i.Element("productid")!.Value == p[product]).Element("price")!.Value);
        var rebate = page == "OrderAndPayWithFK";
        var paid = await _client.Get(page, [.. _steps.Order(p[product] + "|" + qty, day: day), ("SmsCode", _client.PasswordField(YobaoxingClient.DemoPayPassword)),
            ("money", (price * qty).ToString("0.##")), ("smsModel", "0"), (rebate ? "senderid" : "XCDDH", _client.Enc(sender))]);
        Assert.Equal(0, paid.Retcode);
        var order = paid.Value(rebate ? "order_id" : "Order_id");
        var activated = await _client.Get("ActivateTicket", ("orderid", order), ("activateall", "1"), ("activatedate", YobaoxingSteps.Day(day)),
            ("tickettype", "2"), ("activatemode", rebate ? "2" : "1"));
        Assert.Equal(0, activated.Retcode);
        return (order, activated.Items("ticket").Select(t => t.Element("ticketcode")!.Value).ToList());
    }

    [Fact]
    public async Task Refund_tickets_of_deposit_and_rebate_orders_with_penalty_and_callbacks()
    {
        var (order, tickets) = await PaidAndActivated("成人票", 3, "OrderAndPayWithYDJ", "RF-1");
        var before = decimal.Parse((await _client.Get("QueryYFKRec")).Value("BQJY"));
        var refunded = await _client.Get("RefundTicket", ("orderid", order), ("ticketcode", tickets[0] + "|" + tickets[1]));
        Assert.Equal(0, refunded.Retcode);
        Assert.Equal(order, refunded.Value("orderid"));
        // Same-day refund: ¥20 per ticket (the catalogue's "within a day" rule), 150 − 20 back per ticket.
        Assert.Equal(before + 260, decimal.Parse((await _client.Get("QueryYFKRec")).Value("BQJY")));
        var list = await _client.Get("GetTicketList", ("orderid", order));
        Assert.Equal(["2", "2", "1"], list.Items("ticket").Select(t => t.Element("status")!.Value).ToArray());
        // A refund after delivery is what backtotal/backstatus report, on both order pages, whatever paid for it.
        var query = await _client.Get("QueryOrder", ("order_id", order));
        Assert.Equal(("260.00", "已受理"), (query.Value("backtotal"), query.Value("backstatus")));
        var row = (await _client.Get("QueryOrdersList", ("Page_index", "0"))).Items().Single(i => i.Element("orderid")!.Value == order);
        Assert.Equal(("260.00", "已受理"), (row.Element("backtotal")!.Value, row.Element("backstatus")!.Value));
        var refunds = await _client.Get("QueryOrderRefund", ("orderid", order));
        Assert.Equal("300.00", refunds.Value("total"));
        Assert.Equal("40.00", refunds.Value("totalfee"));
        Assert.Equal("260.00", refunds.Value("totalrefund"));
        Assert.All(refunds.Items(), i => Assert.Equal("3", i.Element("status")!.Value));
        Assert.Equal("2", refunds.Items().First().Element("calculationbasis")!.Value);
        var again = await _client.Get("RefundTicket", ("orderid", order), ("ticketcode", tickets[0]));
        Assert.Contains("已退票", again.Retmsg);

        var calls = await _receiver.WaitForAsync(5);
        Assert.Equal(["Notify_OrderChanged.aspx", "Notify_OrderChanged.aspx", "Notify_OrderChanged.aspx", "Notify_Refund.aspx", "Notify_Refund.aspx"],
            calls.Select(c => c.Path.TrimStart('/')).ToArray());
        var q = HttpUtility.ParseQueryString(calls[3].Query);
        Assert.Equal(tickets[0], q["ticketcode"]);
        Assert.Equal("2", q["refundmode"]);
        Assert.Equal("150.00", q["amount"]);
        Assert.Equal("20.00", q["fees"]);
        Assert.Equal("130.00", q["returnamount"]);
        Assert.Equal("RF-1", q["senderid"]);

        var (fkOrder, fkTickets) = await PaidAndActivated("儿童票", 1, "OrderAndPayWithFK", "RF-2");
        Assert.Equal(0, (await _client.Get("RefundTicket", ("orderid", fkOrder), ("ticketcode", fkTickets[0]))).Retcode);
        var fk = (await _receiver.WaitForAsync(9)).Last();
        Assert.Equal("/Notify_Refund_FK.aspx", fk.Path);
        var fq = HttpUtility.ParseQueryString(fk.Query);
        Assert.Null(fq["refundmode"]);
        Assert.Null(fq["fees"]);
        Assert.Equal(fkTickets[0], fq["ticketcode"]);
        Assert.NotEmpty(await _steps.Messages("refund"));
    }

    [Fact]
    public async Task Gated_tickets_cannot_be_refunded_and_cancel_refunds_the_rest()
    {
        var (order, tickets) = await PaidAndActivated("成人票", 2, "OrderAndPayWithYDJ", "RF-3");
        var (status, _) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/gate-check", new { orderid = order, ticketcode = tickets[0] });
        Assert.Equal(200, status);
        var gated = await _client.Get("RefundTicket", ("orderid", order), ("ticketcode", tickets[0]));
        Assert.Equal(-1, gated.Retcode);
        Assert.Contains("已过闸消费", gated.Retmsg);
        Assert.Equal("单号不能为空......", (await _client.Get("RefundTicket", ("ticketcode", tickets[0]))).Retmsg);
        Assert.Equal("指定的预订单不存在。", (await _client.Get("RefundTicket", ("orderid", "1"), ("ticketcode", tickets[0]))).Retmsg);
        Assert.Contains("不属于该订单", (await _client.Get("RefundTicket", ("orderid", order), ("ticketcode", "123"))).Retmsg);

        Assert.Equal(0, (await _client.Get("CancelOrder", ("Order_id", order))).Retcode);
        var statuses = (await _client.Get("GetTicketList", ("orderid", order))).Items("ticket").Select(t => t.Element("status")!.Value).ToArray();
        Assert.Equal(["4", "2"], statuses);
        Assert.Equal(-2362, (await _client.Get("CancelOrder", ("Order_id", order))).Retcode);

        await _steps.Settings(("activerefund", "0"));
        var (other, others) = await PaidAndActivated("成人票", 1, "OrderAndPayWithYDJ", "RF-4");
        Assert.Equal(-1, (await _client.Get("RefundTicket", ("orderid", other), ("ticketcode", others[0]))).Retcode);
    }

    async Task<string> InstantPaid(string sender)
    {
        var p = await _steps.Products();
        var order = await _steps.Book(p["成人票"] + "|2", senderId: sender, day: 3);
        Assert.Equal(0, (await _client.Get("BeginToPay", ("Order_id", order), ("Paychannelid", "支付宝"), ("NotifyURL", _receiver.Url + "/paid"))).Retcode);
        Assert.Equal("success", await Alipay("notify_url", order, "0"));
        Assert.Equal("6", await _steps.Status(order));
        return order;
    }

    async Task<string> Alipay(string page, string order, string op)
    {
        var list = new List<KeyValuePair<string, string>>
        {
            new("NETDH", _client.Enc(order)), new("STATUS", _client.Enc("TRADE_SUCCESS")), new("OpType", _client.Enc(op)),
        };
        list.Add(new("Sign", YobaoxingClient.Sign(list, _client.Key)));
        using var resp = await _host.Http.GetAsync($"/yobaoxing/{page}.aspx?" + YobaoxingClient.Query(list));
        return await resp.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Instant_refund_application_revoke_deal_finance_and_platform_refund()
    {
        var order = await InstantPaid("IR-1");
        Assert.Equal(-1901, (await _client.Get("ApplyRefund", ("Order_id", order))).Retcode);
        Assert.Equal(-2095, (await _client.Get("ApplyRefund", ("Order_id", "1"), ("PaybackReason", "行程变更"))).Retcode);
        Assert.Equal(0, (await _client.Get("ApplyRefund", ("Order_id", order), ("PaybackReason", "行程变更"))).Retcode);
        Assert.Equal("7", await _steps.Status(order));
        var pending = await _client.Get("QueryOrderRefund", ("orderid", order));
        Assert.Equal("300.00", pending.Value("totalrefund"));
        Assert.Equal("1", pending.Items().Single().Element("status")!.Value);
        Assert.Equal("行程变更", pending.Items().Single().Element("refundreason")!.Value);

        Assert.Equal(-1901, (await _client.Get("RevokeOrder", ("Order_id", order), ("total_fee", "1"), ("PaybackReason", "不退了"))).Retcode);
        var revoked = await _client.Get("RevokeOrder", ("Order_id", order), ("total_fee", "300"), ("PaybackReason", "不退了"));
        Assert.Equal(0, revoked.Retcode);
        Assert.Equal("IR-1", revoked.Value("OrderInnerID"));
        Assert.Equal("6", await _steps.Status(order));
        Assert.Equal(-2095, (await _client.Get("RevokeOrder", ("Order_id", order), ("total_fee", "300"), ("PaybackReason", "x"))).Retcode);

        Assert.Equal(0, (await _client.Get("ApplyRefund", ("Order_id", order), ("PaybackReason", "还是要退"))).Retcode);
        Assert.Equal("7", (await _client.Get("OrderRefundDeal", ("orderid", order))).Value("status"));
        Assert.Equal(-2372, (await _client.Get("RevokeOrder", ("Order_id", order), ("total_fee", "300"), ("PaybackReason", "x"))).Retcode);
        await _steps.Advance("PT11M");
        Assert.Equal("8", await _steps.Status(order));
        Assert.Equal("success", await Alipay("notify_Payback_url", order, "1"));
        Assert.Equal("B", await _steps.Status(order));
        Assert.Equal("3", (await _client.Get("QueryOrderRefund", ("orderid", order))).Items().Last().Element("status")!.Value);
        Assert.Equal(-2371, (await _client.Get("RevokeOrder", ("Order_id", order), ("total_fee", "300"), ("PaybackReason", "x"))).Retcode);

        var statuses = (await _receiver.WaitForAsync(8)).Select(c => HttpUtility.ParseQueryString(c.Query)["status"] ?? "").ToArray();
        Assert.Equal(["0", "5", "6", "7", "6", "7", "8", "B"], statuses);

        await _steps.Settings(("edition", "legacy"));
        var legacyOrder = await InstantPaid("IR-2");
        Assert.Equal(-2002, (await _client.Get("ApplyRefund", ("PaybackReason", "x"))).Retcode);
        Assert.Equal(-2008, (await _client.Get("ApplyRefund", ("Order_id", "1"), ("PaybackReason", "x"))).Retcode);
        Assert.Equal(-2004, (await _client.Get("RevokeOrder", ("Order_id", legacyOrder), ("total_fee", "300"), ("PaybackReason", "x"))).Retcode);
        Assert.Equal(404, (await _client.Get("RefundTicket", ("orderid", legacyOrder), ("ticketcode", "1"))).Status);
        Assert.Equal(404, (await _client.Get("QueryOrderRefund", ("orderid", legacyOrder))).Status);
    }

    [Fact]
    public async Task Ticket_context_image_voucher_records_identity_and_product_status()
    {
        var p = await _steps.Products();
        var named = await _client.Get("OrderAndPayWithYDJ", [.. _steps.Order(p["实名成人票"] + "|2"), ("IDCount", "2"),
            ("Memo", _client.Enc("110101199001011234^张三^13811111111^1^1|110101199202022345^李四^13822222222^1^1")),
            ("SmsCode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("money", "300"), ("smsModel", "0"), ("XCDDH", _client.Enc("TC-1"))]);
        Assert.Equal(0, named.Retcode);
        var order = named.Value("Order_id");
        var identity = await _client.Get("GetProductsIdentity", ("orderid", order));
        Assert.Equal(["张三", "李四"], identity.Items().Select(i => i.Element("name")!.Value).ToArray());
        Assert.All(identity.Items(), i => Assert.Equal("0", i.Element("status")!.Value));
        Assert.Equal("指定的预约单不存在。", (await _client.Get("GetProductsIdentity", ("orderid", "1"))).Retmsg);

        Assert.Equal(0, (await _client.Get("ReMakeTicket", ("Order_id", order), ("smsModel", "2"))).Retcode);
        Assert.Equal(2, (await _steps.Messages("voucher")).Count(m => m!["entity"]!.GetValue<string>().EndsWith(order)));
        Assert.Contains("间隔5分钟", (await _client.Get("ReMakeTicket", ("Order_id", order), ("smsModel", "0"))).Retmsg);
        var unpaid = await _steps.Book(p["成人票"] + "|1");
        Assert.Contains("还没有支付完成", (await _client.Get("ReMakeTicket", ("Order_id", unpaid), ("smsModel", "0"))).Retmsg);

        var activated = await _client.Get("ActivateTicket", ("orderid", order), ("activateall", "1"), ("activatedate", YobaoxingSteps.Day()),
            ("tickettype", "1"), ("activatemode", "1"));
        Assert.Equal(0, activated.Retcode);
        var code = activated.Items("ticket").First().Element("ticketcode")!.Value;
        Assert.Equal("1", (await _client.Get("GetProductsIdentity", ("orderid", order))).Items().First().Element("status")!.Value);
        var context = await _client.Get("GetTicketContext", ("orderid", order), ("ticketcode", code));
        Assert.Equal("2", context.Value("dealtype"));
        Assert.Equal("张三", context.Value("name"));
        var jpeg = Convert.FromBase64String(context.Value("eticketimage"));
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0], jpeg[..4]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
        Assert.Equal(-1, (await _client.Get("GetTicketContext", ("orderid", order), ("ticketcode", "0"))).Retcode);

        var count = await _client.Get("GetSPYDRecCount", ("Start_datetime", YobaoxingSteps.Day(-1)), ("End_datetime", YobaoxingSteps.Day(1)));
        Assert.Equal("1", count.Value("recordcount"));
        var deal = (await _client.Get("GetSPYDRec", ("Page_index", "0"), ("Start_datetime", YobaoxingSteps.Day(-1)), ("End_datetime", YobaoxingSteps.Day(1)),
            ("TicketTypeID", _client.Enc(p["实名成人票"])))).Items().Single();
        Assert.Equal("2", deal.Element("num")!.Value);
        Assert.Equal("300.00", deal.Element("Total")!.Value);
        Assert.Equal(-1, (await _client.Get("GetSPYDRecCount", ("Start_datetime", YobaoxingSteps.Day(-1)), ("End_datetime", YobaoxingSteps.Day(1)),
            ("TicketTypeID", _client.Enc(p["成人票"])))).Retcode);

        Assert.Equal("1", (await _client.Get("QueryPruductStatus", ("Productid", p["限量体验票"]))).Value("productstatus"));
        await _steps.Book(p["限量体验票"] + "|5");
        Assert.Equal("0", (await _client.Get("QueryPruductStatus", ("Productid", p["限量体验票"]))).Value("productstatus"));
        Assert.Equal(-1, (await _client.Get("QueryPruductStatus", ("Productid", "nope"))).Retcode);

        await _steps.Settings(("edition", "legacy"));
        Assert.Equal(-1, (await _client.Get("GetTicketContext", ("orderid", order), ("ticketcode", code))).Retcode);
        var legacyContext = await _client.Get("GetTicketContext", ("orderid", order), ("ticketcode", _client.Enc(code)));
        Assert.Equal(0, legacyContext.Retcode);
        Assert.Empty(legacyContext.Items().Single().Elements("seatdesc"));
    }
}
