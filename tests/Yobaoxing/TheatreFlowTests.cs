using System.Web;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>A theatre integration end to end: theatres, sessions, areas, seats, seat states, booking with seats, activation, gate, callbacks.</summary>
public sealed class TheatreFlowTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    CallbackReceiver _receiver = null!;
    YobaoxingClient _client = null!;
    YobaoxingSteps _steps = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _receiver = await CallbackReceiver.StartAsync();
        _receiver.Reply = _ => (200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><root><retcode>0</retcode><retmsg></retmsg></root>");
        _client = new YobaoxingClient(_host.Http);
        _steps = new YobaoxingSteps(_host, _client);
        await _steps.FreezeAtMorning();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Choose_seats_pay_activate_gate_with_callbacks_in_order()
    {
        Assert.Equal(0, (await _client.Get("SetAgentParameters", ("responseaddr", _receiver.Url + "/ota"), ("sendofficiallysnotify", "1"))).Retcode);
        var tomorrow = _client.Enc(YobaoxingSteps.Day(1));

        var theatres = await _client.Get("QueryTheaterList");
        Assert.Equal("操作成功", theatres.Retmsg);
        var theatreId = theatres.Items("item").Single().Element("TheaterID")!.Value;
        var sences = await _client.Get("QueryTheaterSenceList", ("TheaterID", _client.Enc(theatreId)), ("TicketDate", tomorrow));
        var evening = sences.Items("item").Single(i => i.Element("SenceName")!.Value == "夜场");
        Assert.Equal("1900", evening.Element("SellEndingTime")!.Value);
        var senceId = evening.Element("SenceID")!.Value;

        var products = await _client.Get("GetProducts2", ("TheaterID", _client.Enc(theatreId)), ("SceneID", _client.Enc(senceId)), ("TicketDate", tomorrow));
        Assert.Equal(2, products.Items().Count());
        var areaA = products.Items().Single(i => i.Element("price")!.Value == "380.00");
        Assert.Equal("40", areaA.Element("enablecount")!.Value);
        var productId = areaA.Element("productid")!.Value;

        var areas = await _client.Get("QuerySeatAreaList", ("ProductID", _client.Enc(productId)), ("SenceID", _client.Enc(senceId)), ("TicketDate", tomorrow));
        var area = areas.Items("item").Single();
        Assert.Equal("40", area.Element("SeatsCount")!.Value);
        var areaId = area.Element("SeatAreaID")!.Value;
        var rows = await _client.Get("QueryRowsAndSeatsList", ("SeatAreaID", _client.Enc(areaId)));
        Assert.Equal(4, rows.Items("item").Count());
        var firstRow = rows.Items("item").First();
        var seats = firstRow.Descendants("Item").ToList();
        Assert.Equal(10, seats.Count);
        Assert.Equal(firstRow.Element("FirstSeat")!.Value, seats[0].Element("SeatID")!.Value);
        Assert.Equal(seats[1].Element("SeatID")!.Value, seats[0].Element("NextSeatID")!.Value);
        Assert.Equal("", seats[9].Element("NextSeatID")!.Value);
        var (s5, s6) = (seats[4].Element("SeatID")!.Value, seats[5].Element("SeatID")!.Value);

        (string, string)[] Book(string list, string? seatInfo) =>
        [
            ("Order_list", list), ("mobile", _client.Enc("13812345678")), ("ID", _client.Enc("110101199001011234")), ("TicketDate", tomorrow),
            ("SenceID", _client.Enc(senceId)), .. seatInfo is null ? Array.Empty<(string, string)>() : [("SeatInfo", _client.Enc(seatInfo))],
        ];
        (string, string)[] pay = [.. Book(productId + "|2", s5 + "|" + s6), ("smscode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("money", "760"),
            ("smsModel", "0"), ("senderid", _client.Enc("SHOW-1"))];
        var paid = await _client.Post("OrderAndPayWithYDJ2", pay);
        Assert.Equal(0, paid.Retcode);
        Assert.Equal("2", paid.Value("status"));
        Assert.Equal("SHOW-1", paid.Value("senderid"));
        var orderId = paid.Value("Order_id");
        Assert.Equal(orderId, (await _client.Post("OrderAndPayWithYDJ2", pay)).Value("Order_id"));

        var taken = await _client.Get("OrderProducts2", Book(productId + "|1", s6));
        Assert.Equal(-1, taken.Retcode);
        Assert.Contains("A区1排6座", taken.Retmsg);
        Assert.Equal("订单提交的座位数量与预定门票数量不相符......", (await _client.Get("OrderProducts2", Book(productId + "|2", s6))).Retmsg);
        var assigned = await _client.Get("OrderProducts2", Book(productId + "|3", null));
        Assert.Equal(0, assigned.Retcode);
        Assert.Equal("30", assigned.Value("paytimeout"));

        var states = (await _client.Get("QuerySeatsState", ("SeatAreaID", _client.Enc(areaId)), ("SenceID", _client.Enc(senceId)), ("TicketDate", tomorrow)))
            .Items().ToDictionary(i => i.Element("SeatID")!.Value, i => i.Element("SeatState")!.Value);
        Assert.Equal("B", states[s5]);
        Assert.Equal("B", states[s6]);
        Assert.Equal(["S", "S", "S", "1"], seats.Take(4).Select(s => states[s.Element("SeatID")!.Value]).ToArray());
        Assert.Equal("35", (await _client.Get("QuerySeatAreaList", ("ProductID", _client.Enc(productId)), ("SenceID", _client.Enc(senceId)), ("TicketDate", tomorrow)))
            .Items("item").Single().Element("FreeSeatsCount")!.Value);
        Assert.Equal(0, (await _client.Get("CancelOrder", ("Order_id", assigned.Value("orderid")))).Retcode);
        Assert.Equal("38", (await _client.Get("QuerySeatAreaList", ("ProductID", _client.Enc(productId)), ("SenceID", _client.Enc(senceId)), ("TicketDate", tomorrow)))
            .Items("item").Single().Element("FreeSeatsCount")!.Value);

        var query = await _client.Get("QueryOrder", ("order_id", orderId));
        Assert.Contains("A区1排5座,A区1排6座", query.Value("seatlistdesc"));
        var activated = await _client.Get("ActivateTicket", ("orderid", orderId), ("activateall", "1"), ("activatedate", YobaoxingSteps.Day(1)),
            ("tickettype", "2"), ("activatemode", "1"));
        Assert.Equal(0, activated.Retcode);
        var tickets = activated.Items("ticket").ToList();
        Assert.Equal(2, tickets.Count);
        Assert.Equal("", tickets[0].Element("servicecode")!.Value);
        // "时段号，INT": a theatre ticket has no slot and says 0 wherever the field appears.
        Assert.All(tickets, t => Assert.Equal("0", t.Element("timespanindex")!.Value));
        Assert.All((await _client.Get("GetTicketList", ("orderid", orderId))).Items("ticket"), t => Assert.Equal("0", t.Element("timespanindex")!.Value));
        var context = await _client.Get("GetTicketContext", ("orderid", orderId), ("ticketcode", tickets[0].Element("ticketcode")!.Value));
        Assert.Equal("0", context.Value("timespanindex"));
        Assert.Equal("0", (await _client.Get("QueryOrder", ("order_id", orderId))).Value("timeindex"));

        await _steps.Advance("P1D");
        var code = tickets[1].Element("ticketcode")!.Value;
        var (status, _) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/gate-check", new { orderid = orderId, ticketcode = code });
        Assert.Equal(200, status);

        var received = await _receiver.WaitForAsync(4);
        Assert.Equal(["Notify_OrderChanged.aspx", "Notify_OrderChanged.aspx", "Notify_OrderChanged.aspx", "Notify_Checked.aspx"],
            received.Select(r => r.Path[(r.Path.LastIndexOf('/') + 1)..]).ToArray());
        Assert.Equal(["0", "2", "3"], received.Take(3).Select(r => HttpUtility.ParseQueryString(r.Query)["status"] ?? "").ToArray());
        foreach (var r in received)
        {
            var q = HttpUtility.ParseQueryString(r.Query);
            Assert.Equal(orderId, q["orderid"]);
            Assert.Equal("SHOW-1", q["senderid"]);
            var fields = q.AllKeys.Select(k => new KeyValuePair<string, string>(k!, q[k]!)).ToList();
            Assert.Equal(YobaoxingClient.Sign(fields, _client.Key), q["sign"]);
        }
        Assert.Equal(code, HttpUtility.ParseQueryString(received[3].Query)["ticketcode"]);
        var activation = (await _steps.Messages("activation")).Single()!;
        Assert.Contains(code, activation["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Theatre_page_errors_rebate_booking_and_assigned_seats()
    {
        Assert.Equal("缺少参数，操作失败......", (await _client.Get("QueryTheaterSenceList", ("TicketDate", _client.Enc(YobaoxingSteps.Day())))).Retmsg);
        Assert.StartsWith("参数异常。错误：", (await _client.Get("QuerySeatsState", ("SeatAreaID", "garbage"), ("SenceID", "x"), ("TicketDate", "y"))).Retmsg);
        Assert.Equal("没有找到场次的定义数据。", (await _client.Get("QueryTheaterSenceList", ("TheaterID", _client.Enc("9")), ("TicketDate", _client.Enc(YobaoxingSteps.Day())))).Retmsg);
        Assert.Equal("没有找到座位视图的定义数据。", (await _client.Get("QueryRowsAndSeatsList", ("SeatAreaID", _client.Enc("9")))).Retmsg);
        Assert.Equal("没有获取到相关的产品列表。", (await _client.Get("GetProducts2", ("TheaterID", _client.Enc("9")))).Retmsg);
        Assert.StartsWith("创建访问参数失败。", (await _client.Get("GetProducts2", ("TicketDate", "plain"))).Retmsg);
        // Neither date given: the three days from today, two sessions and two areas each (today's may have stopped selling).
        var all = await _client.Get("GetProducts2");
        Assert.InRange(all.Items().Count(), 8, 12);

        var products = await _client.Get("GetProducts2", ("TicketDate", _client.Enc(YobaoxingSteps.Day(2))));
        var b = products.Items().First(i => i.Element("price")!.Value == "280.00");
        var (productId, senceId) = (b.Element("productid")!.Value, b.Element("sceneid")!.Value);
        var scenic = (await _steps.Products())["成人票"];
        (string, string)[] Book(string list, string sender) =>
        [
            ("Order_list", list), ("mobile", _client.Enc("13812345678")), ("ID", _client.Enc("A1")), ("TicketDate", _client.Enc(YobaoxingSteps.Day(2))),
            ("SenceID", _client.Enc(senceId)), ("smscode", _client.PasswordField(YobaoxingClient.DemoPayPassword)), ("smsModel", "A"), ("senderid", sender),
        ];
        Assert.Equal(-1, (await _client.Get("OrderAndPayWithFK2", [.. Book(scenic + "|1", "P-0"), ("money", "150")])).Retcode);
        Assert.Equal(-1501, (await _client.Get("OrderAndPayWithFK2", Book(productId + "|1", "P-1"))).Retcode);
        Assert.Equal(-2196, (await _client.Get("OrderAndPayWithFK2", [.. Book(productId + "|2", "P-2"), ("money", "1")])).Retcode);
        var fk = await _client.Get("OrderAndPayWithFK2", [.. Book(productId + "|2", "P-3"), ("money", "560")]);
        Assert.Equal(0, fk.Retcode);
        Assert.Equal("C", fk.Value("status"));
        Assert.Equal("P-3", fk.Value("senderid"));
        Assert.Equal("C", await _steps.Status(fk.Value("order_id")));
        Assert.Equal(-1, (await _client.Get("GetTicketList", ("orderid", fk.Value("order_id")))).Retcode);

        await _steps.Settings(("seatSelection", "official"));
        var areaId = (await _client.Get("QuerySeatAreaList", ("ProductID", _client.Enc(productId)), ("SenceID", _client.Enc(senceId)), ("TicketDate", _client.Enc(YobaoxingSteps.Day(2)))))
            .Value("SeatAreaID");
        var rows = await _client.Get("QueryRowsAndSeatsList", ("SeatAreaID", _client.Enc(areaId)));
        var lastSeat = rows.Items("item").Last().Descendants("SeatID").Last().Value;
        var official = await _client.Get("OrderProducts2", [.. Book(productId + "|1", "P-4")[..5], ("SeatInfo", _client.Enc(lastSeat))]);
        Assert.Equal(0, official.Retcode);
        Assert.Contains("B区1排3座", (await _client.Get("QueryOrder", ("order_id", official.Value("orderid")))).Value("seatlistdesc"));
    }
}
