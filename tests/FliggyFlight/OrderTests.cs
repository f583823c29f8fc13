using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>close, pay, queryorderlist and queryorderdetail (spec §2.5–2.8) against the order machine (§2.15).</summary>
public class OrderTests : FliggyTest
{
    static string Id(JsonObject r) => L(r["order_id"]).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Close_closes_an_unpaid_order_once_and_for_all()
    {
        var booked = await BookAsync("CLOSE-1");
        var r = Ok(await Top.CallAsync(CloseMethod, P(("order_id", Id(booked)), ("close_reason", "行程取消"))), CloseMethod);
        Assert.Equal(4, I(r["order_status_code"]));
        Assert.Equal("订单关闭", S(r["order_status"]));
        Ok(await Top.CallAsync(CloseMethod, P(("order_id", Id(booked)))), CloseMethod);
        Fails(await Top.CallAsync(PayMethod, P(("order_id", Id(booked)), ("total_price", S(booked["total_price"])))), PayMethod, "isv.ORDER_STATUS_ERROR");
        TopError(await Top.CallAsync(CloseMethod, P(("order_id", Id(booked)), ("close_reason", new string('x', 201)))), 41);
    }

    [Fact]
    public async Task A_paid_order_does_not_close()
    {
        var booked = await BookAsync("CLOSE-2");
        await PayAsync(L(booked["order_id"]), D(booked["total_price"]));
        Fails(await Top.CallAsync(CloseMethod, P(("order_id", Id(booked)))), CloseMethod, "isv.ORDER_STATUS_ERROR", "当前订单状态不允许该操作");
    }

    [Fact]
    public async Task Pay_takes_the_exact_total_and_answers_a_repeat_with_the_same_payment()
    {
        var booked = await BookAsync("PAY-1");
        Fails(await Top.CallAsync(PayMethod, P(("order_id", Id(booked)), ("total_price", (D(booked["total_price"]) + 1).ToString(CultureInfo.InvariantCulture)))),
            PayMethod, "isv.PAY_AMOUNT_ERROR", "支付金额与订单金额不一致");
        var paid = await PayAsync(L(booked["order_id"]), D(booked["total_price"]));
        Assert.Matches("^\\d{28}$", S(paid["alipay_trade_no"]));
        Assert.Equal(2, I(paid["order_status_code"]));
        Assert.Equal("支付成功，出票中", S(paid["order_status"]));
        Assert.Equal(D(booked["total_price"]), D(paid["real_pay_price"]));
        Assert.Equal("2030-06-03 09:00:00", S(paid["pay_time"]));
        var again = await PayAsync(L(booked["order_id"]), D(booked["total_price"]));
        Assert.Equal(S(paid["alipay_trade_no"]), S(again["alipay_trade_no"]));
    }

    [Fact]
    public async Task Pay_after_the_deadline_is_pay_timeout_and_the_order_is_closed()
    {
        var booked = await BookAsync("PAY-2");
        await Host.FreezeClockAsync(Frozen.AddMinutes(30));
        Fails(await Top.CallAsync(PayMethod, P(("order_id", Id(booked)), ("total_price", S(booked["total_price"])))), PayMethod, "isv.PAY_TIMEOUT", "订单已超过支付时限");
        Assert.Equal(4, I((await DetailAsync(L(booked["order_id"])))["order_status_code"]));
        Fails(await Top.CallAsync(PayMethod, P(("order_id", Id(booked)), ("total_price", S(booked["total_price"])))), PayMethod, "isv.PAY_TIMEOUT");
    }

    [Fact]
    public async Task Unknown_orders_are_not_found()
    {
        Fails(await Top.CallAsync(PayMethod, P(("order_id", "1234125412"), ("total_price", "1"))), PayMethod, "isv.ORDER_NOT_FOUND", "订单不存在");
        Fails(await Top.CallAsync(CloseMethod, P(("order_id", "1234125412"))), CloseMethod, "isv.ORDER_NOT_FOUND");
        Fails(await Top.CallAsync(DetailMethod, P(("order_id", "1234125412"))), DetailMethod, "isv.ORDER_NOT_FOUND");
    }

    [Fact]
    public async Task Detail_reflects_the_live_order_by_either_id()
    {
        var (id, detail) = await TicketedAsync("DETAIL-1");
        Assert.Equal("出票成功", S(detail["order_status"]));
        Assert.Equal("DETAIL-1", S(detail["out_order_no"]));
        Assert.Equal("2030-06-03 09:00:00", S(detail["book_time"]));
        Assert.NotEmpty(S(detail["seller_nick"]));
        var row = Items(detail["flight_book_order_detail_list"], "flight_book_order_detail").Single();
        Assert.Matches("^\\d{3}-\\d{10}$", S(row["passenger"]!["ticket_no"]));
        Assert.Equal("TICKETED", S(row["passenger"]!["ticket_status"]));
        var price = row["flight_price"]!;
        Assert.Equal(D(price["build_price"]) + D(price["oil_price"]), D(price["tax"]));
        Assert.Equal(S(Items(Items(detail["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["id"]),
            S(row["flight_segment_cabin_relation"]!["flight_segment_item"]!["flight_segment_id"]));
        var byOut = Ok(await Top.CallAsync(DetailMethod, P(("out_order_no", "DETAIL-1"))), DetailMethod);
        Assert.Equal(id, L(byOut["order_id"]));
        TopError(await Top.CallAsync(DetailMethod), 40);
        TopError(await Top.CallAsync(DetailMethod, P(("order_id", id.ToString(CultureInfo.InvariantCulture)), ("out_order_no", "DETAIL-1"))), 40);
    }

    [Fact]
    public async Task A_round_trip_order_has_one_detail_row_per_passenger_and_segment()
    {
        var r = Ok(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", new
        {
            search_od_info_list = new[]
            {
                new { dep_city_code = "BJS", arr_city_code = "SHA", dep_date = Day(30) }, new { dep_city_code = "SHA", arr_city_code = "BJS", dep_date = Day(32) },
            },
        }))), SearchMethod);
        var item = Items(r["flight_item_list"], "flight_item")[0];
        var booked = Ok(await AirbookAsync(Booking(item, "RT-1", Adult(), Adult("李四", "110101198001011234"))), AirbookMethod);
        var detail = await DetailAsync(L(booked["order_id"]));
        Assert.Equal(4, Items(detail["flight_book_order_detail_list"], "flight_book_order_detail").Count);
        Assert.Equal(2, I(detail["flight_route"]!["trip_type"]));
    }

    [Fact]
    public async Task The_list_shows_the_users_orders_in_the_window_with_filters_and_pages()
    {
        var a = await BookAsync("LIST-A");
        var b = await BookAsync("LIST-B");
        await PayAsync(L(b["order_id"]), D(b["total_price"]));
        JsonObject Query(object req) => Ok(Top.CallAsync(ListMethod, P(("query_order_list_request", req))).Result, ListMethod);
        var all = Query(new { book_time_start = "2030-06-03 00:00:00", book_time_end = "2030-06-04 00:00:00" });
        Assert.Equal(2, I(all["total_count"]));
        var summaries = Items(all["order_list"], "flight_order_summary");
        Assert.Equal(["LIST-A", "LIST-B"], summaries.Select(s => S(s["out_order_no"])).Order());
        var first = summaries.First(s => S(s["out_order_no"]) == "LIST-A");
        Assert.Equal("BJS", S(first["dep_city_code"]));
        Assert.Equal(1, I(first["passenger_count"]));
        var paid = Query(new { book_time_start = "2030-06-03 00:00:00", book_time_end = "2030-06-04 00:00:00", order_status_code = 2 });
        Assert.Equal("LIST-B", S(Items(paid["order_list"], "flight_order_summary").Single()["out_order_no"]));
        var page = Query(new { book_time_start = "2030-06-03 00:00:00", book_time_end = "2030-06-04 00:00:00", page_no = 2, page_size = 1 });
        Assert.Equal(2, I(page["total_count"]));
        Assert.Single(Items(page["order_list"], "flight_order_summary"));
        var empty = Query(new { book_time_start = "2030-05-01 00:00:00", book_time_end = "2030-05-02 00:00:00" });
        Assert.Equal(0, I(empty["total_count"]));
        Assert.Equal(L(a["order_id"]), L(Items(Query(new { book_time_start = "2030-06-03 00:00:00", book_time_end = "2030-06-04 00:00:00", out_order_no = "LIST-A" })["order_list"], "flight_order_summary")[0]["order_id"]));
    }

    [Theory]
    [InlineData("{\"book_time_start\":\"2030-05-01 00:00:00\",\"book_time_end\":\"2030-06-04 00:00:00\"}")]
    [InlineData("{\"book_time_start\":\"2030-06-03 00:00:00\",\"book_time_end\":\"2030-06-04 00:00:00\",\"page_size\":101}")]
    [InlineData("{\"book_time_start\":\"2030-06-03\",\"book_time_end\":\"2030-06-04 00:00:00\"}")]
    [InlineData("{\"book_time_start\":\"2030-06-04 00:00:00\",\"book_time_end\":\"2030-06-03 00:00:00\"}")]
    [InlineData("{\"book_time_start\":\"2030-06-03 00:00:00\",\"book_time_end\":\"2030-06-04 00:00:00\",\"order_status_code\":9}")]
    public async Task List_arguments_out_of_range_are_param_error(string req) =>
        Fails(await Top.CallAsync(ListMethod, P(("query_order_list_request", req))), ListMethod, "isv.PARAM_ERROR");

    [Fact]
    public async Task Another_users_orders_are_not_listed()
    {
        await BookAsync("LIST-C");
        var (_, s) = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/top/sessions", new { userId = 2200000000555 });
        var other = NewClient(session: S(s!["session"]));
        var r = Ok(await other.CallAsync(ListMethod, P(("query_order_list_request", new { book_time_start = "2030-06-03 00:00:00", book_time_end = "2030-06-04 00:00:00" }))), ListMethod);
        Assert.Equal(0, I(r["total_count"]));
    }
}
