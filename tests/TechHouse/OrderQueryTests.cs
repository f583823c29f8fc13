using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.TechHouse;

/// <summary>GetOrderList and GetOrderDetail (spec §5.13, §5.14): live order state, filters and the lookup checks.</summary>
public class OrderQueryTests : TechHouseTest
{
    const string Wide = "2020-01-01T00:00:00+08:00";
    const string WideEnd = "2099-01-01T00:00:00+08:00";

    static JsonObject List(string start = Wide, string end = WideEnd, string? status = null)
    {
        var r = new JsonObject { ["startTime"] = start, ["endTime"] = end, ["routeType"] = 1 };
        if (status is not null) r["orderStatus"] = status;
        return r;
    }

    static JsonObject Detail(string orderNo, string email = "qa@example.com", string field = "orderno") =>
        new() { [field] = orderNo, ["email"] = email, ["cardIssuePlace"] = "", ["routeType"] = 1 };

    async Task<DateTimeOffset> TenantNow() => DateTimeOffset.Parse(Str((await Host.AdminGet("/tenants/demo/clock"))!["now"]), CultureInfo.InvariantCulture);

    static List<string> OrderNos(JsonObject reply) => reply["bookingList"]!.AsArray().Select(b => Str(b!["orderNo"])).ToList();

    [Fact]
    public async Task The_list_shows_orders_in_the_window_newest_first()
    {
        var first = Str((await Client.BookAsync())["orderNo"]);
        await Host.AdvanceAsync("PT1M");
        var second = Str((await Client.BookAsync("WANG"))["orderNo"]);

        var reply = await Client.Call("GetOrderList", List());
        AssertSuccess(reply);
        Assert.Equal([second, first], OrderNos(reply));
        var entry = reply["bookingList"]![0]!;
        Assert.Equal("PENDING", Str(entry["orderStatus"]));
        var created = (await TenantNow()).ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(created.ToString("0.00", CultureInfo.InvariantCulture), Str(entry["createTime"]));
    }

    [Fact]
    public async Task The_status_filter_keeps_only_orders_in_that_status()
    {
        var pending = Str((await Client.BookAsync())["orderNo"]);
        await Host.AdvanceAsync("PT2M");   // ticketed
        var stillPending = Str((await Client.BookAsync("WANG"))["orderNo"]);

        Assert.Equal([pending], OrderNos(await Client.Call("GetOrderList", List(status: "TICKETED"))));
        Assert.Equal([stillPending], OrderNos(await Client.Call("GetOrderList", List(status: "PENDING"))));
        Assert.Empty(OrderNos(await Client.Call("GetOrderList", List(status: "NEED_PAYMENT"))));
        Assert.Empty(OrderNos(await Client.Call("GetOrderList", List(status: "NEEDPAY"))));
        Assert.Equal(2, OrderNos(await Client.Call("GetOrderList", List(status: ""))).Count);
    }

    [Fact]
    public async Task The_same_instant_as_start_and_end_means_that_whole_day()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        var day = (await TenantNow()).ToOffset(TimeSpan.FromHours(8)).Date;
        string Midnight(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00+08:00";

        Assert.Equal([orderNo], OrderNos(await Client.Call("GetOrderList", List(Midnight(day), Midnight(day)))));
        Assert.Empty(OrderNos(await Client.Call("GetOrderList", List(Midnight(day.AddDays(1)), Midnight(day.AddDays(1))))));
        Assert.Empty(OrderNos(await Client.Call("GetOrderList", List(Midnight(day.AddDays(-1)), Midnight(day.AddDays(-1))))));
    }

    [Fact]
    public async Task Window_bounds_are_inclusive_and_UTC_Z_is_accepted()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        var at = (await TenantNow()).ToUniversalTime();
        var second = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, TimeSpan.Zero);
        string Z(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        Assert.Equal([orderNo], OrderNos(await Client.Call("GetOrderList", List(Z(second.AddSeconds(-5)), Z(second.AddSeconds(1))))));
        Assert.Empty(OrderNos(await Client.Call("GetOrderList", List(Z(second.AddSeconds(-10)), Z(second.AddSeconds(-5))))));
    }

    [Theory]
    [InlineData("2017/07/01 00:00:00", WideEnd)]
    [InlineData("20170701", WideEnd)]
    [InlineData("yesterday", WideEnd)]
    [InlineData(WideEnd, Wide)]   // end before start
    public async Task A_bad_date_or_window_is_2005(string start, string end) =>
        AssertError(2005, await Client.Call("GetOrderList", List(start, end)));

    [Fact]
    public async Task A_missing_time_is_2005()
    {
        var request = List();
        request.Remove("endTime");
        AssertError(2005, await Client.Call("GetOrderList", request));
    }

    [Theory]
    [InlineData("CANCELLED")]
    [InlineData("TICKET")]
    public async Task An_unknown_order_status_is_2006(string status) =>
        AssertError(2006, await Client.Call("GetOrderList", List(status: status)));

    [Fact]
    public async Task The_detail_has_the_whole_order()
    {
        var commit = await Client.BookAsync();
        var orderNo = Str(commit["orderNo"]);
        var reply = await Client.Call("GetOrderDetail", Detail(orderNo));

        AssertSuccess(reply);
        Assert.Equal("PEK", Str(reply["fromcity"]));
        Assert.Equal("SHA", Str(reply["tocity"]));
        Assert.Equal("CNY", Str(reply["currency"]));
        Assert.Equal("PENDING", Str(reply["orderStatus"]));
        Assert.Equal(orderNo, Str(reply["orderNo"]));
        var now = (await TenantNow()).ToUnixTimeSeconds();
        Assert.Equal(now, reply["orderDate"]!.GetValue<long>());
        Assert.Equal(now, reply["paymentDate"]!.GetValue<long>());
        Assert.Equal(Dec(commit["totalCost"]), Dec(reply["totalCost"]));
        Assert.Equal(Str(commit["sessionId"]), Str(reply["sessionId"]));
        Assert.Equal("AG", Str(reply["paymentCode"]));

        var routing = reply["routing"]!;
        var fare = routing["fares"]!.AsArray().Single()!;
        Assert.Equal("0", Str(fare["passengerId"]));
        Assert.Equal(Dec(commit["totalCost"]), Dec(fare["fare"]) + Dec(fare["tax"]));
        Assert.Equal("CNY", Str(fare["currency"]));
        var segment = routing["fromSegments"]!.AsArray().Single()!;
        Assert.Equal("", Str(segment["pack_code"]));
        Assert.Equal("Y", Str(segment["cabinClass"]));
        Assert.Empty(routing["retSegments"]!.AsArray());

        var passenger = reply["passengers"]!.AsArray().Single()!;
        Assert.Equal("0", Str(passenger["passengerId"]));
        Assert.Equal("LIU", Str(passenger["lastName"]));
        Assert.Equal("YANG", Str(passenger["firstName"]));
        Assert.Equal(0, passenger["ageType"]!.GetValue<int>());
        Assert.Equal("PP", Str(passenger["cardType"]));
        Assert.Equal("CN", Str(passenger["cardIssuePlace"]));

        var contact = reply["contact"]!;
        Assert.Equal("LIU/YANG", Str(contact["name"]));
        Assert.Equal("YANG", Str(contact["firstName"]));
        Assert.Equal("qa@example.com", Str(contact["email"]));
        Assert.Equal("200335", Str(contact["postcode"]));

        Assert.Empty(reply["ssrs"]!.AsArray());
        Assert.Empty(reply["seats"]!.AsArray());
        Assert.Empty(reply["tickets"]!.AsArray());
    }

    [Fact]
    public async Task Tickets_appear_once_the_order_is_ticketed()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        await Host.AdvanceAsync("PT2M");
        var reply = await Client.Call("GetOrderDetail", Detail(orderNo));

        Assert.Equal("TICKETED", Str(reply["orderStatus"]));
        var ticket = reply["tickets"]!.AsArray().Single()!;
        Assert.Matches(@"^\d{13}$", Str(ticket["ticketNo"]));
        Assert.Equal("0", Str(ticket["passengerId"]));
        Assert.Equal("LIU", Str(ticket["lastName"]));
        Assert.Equal(Str(reply["routing"]!["fromSegments"]![0]!["flightNumber"]), Str(ticket["flightNumber"]));
        Assert.Equal((await TenantNow()).ToUnixTimeSeconds(), ticket["createTime"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_order_number_field_may_be_spelled_orderNo()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        var reply = await Client.Call("GetOrderDetail", Detail(orderNo, field: "orderNo"));
        AssertSuccess(reply);
        Assert.Equal(orderNo, Str(reply["orderNo"]));
    }

    [Fact]
    public async Task The_email_check_is_case_insensitive_and_an_empty_email_skips_it()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        AssertSuccess(await Client.Call("GetOrderDetail", Detail(orderNo, "QA@Example.COM")));
        AssertSuccess(await Client.Call("GetOrderDetail", Detail(orderNo, "")));
    }

    [Fact]
    public async Task Another_email_is_1004_order_not_found()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        var reply = await Client.Call("GetOrderDetail", Detail(orderNo, "someone@else.com"));
        AssertError(1004, reply);
        Assert.Equal("order not found", Str(reply["msg"]));
    }

    [Fact]
    public async Task A_card_issue_place_no_passenger_has_is_1004()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        var request = Detail(orderNo);
        request["cardIssuePlace"] = "JP";
        AssertError(1004, await Client.Call("GetOrderDetail", request));
        request["cardIssuePlace"] = "cn";
        AssertSuccess(await Client.Call("GetOrderDetail", request));
    }

    [Fact]
    public async Task An_unknown_order_is_1004_order_not_found()
    {
        var reply = await Client.Call("GetOrderDetail", Detail("lf170908141233456789"));
        AssertError(1004, reply);
        Assert.Equal("order not found", Str(reply["msg"]));
    }

    [Fact]
    public async Task A_missing_order_number_is_1001() =>
        AssertError(1001, await Client.Call("GetOrderDetail", new JsonObject { ["email"] = "qa@example.com", ["routeType"] = 1 }));

    [Fact]
    public async Task Awaiting_payment_is_spelled_NEEDPAY_in_the_detail_and_NEED_PAYMENT_in_the_list()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{orderNo}/transition", new { to = "NEED_PAYMENT" });
        Assert.True(status == 200, body?.ToJsonString());

        Assert.Equal("NEEDPAY", Str((await Client.Call("GetOrderDetail", Detail(orderNo)))["orderStatus"]));
        var list = await Client.Call("GetOrderList", List(status: "NEEDPAY"));
        Assert.Equal("NEED_PAYMENT", Str(list["bookingList"]!.AsArray().Single()!["orderStatus"]));
    }
}
