using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>Every magic value of scenarios/fliggyflight/failures.yaml answers what its description promises.</summary>
public class FailureCatalogueTests : FliggyTest
{
    Task<TopResponse> SearchFrom(string city, int mode = 1) => Top.CallAsync(SearchMethod, P(("search_flight_info_req", new
    {
        search_mode = mode, search_od_info_list = new[] { new { dep_city_code = city, arr_city_code = "SHA", dep_date = Day(30) } },
    })));

    [Fact]
    public async Task Search_magic_cities()
    {
        Fails(await SearchFrom("SBN"), SearchMethod, "isv.NO_PRICE", "搜索询价无报价");
        Fails(await SearchFrom("SBC"), SearchMethod, "isv.PARAM_ERROR", "请求参数错误");
        Fails(await SearchFrom("SBE"), SearchMethod, "isv.SYSTEM_ERROR", "系统错误");
        var ip = TopError(await SearchFrom("SBI"), 11, "isv.permission-ip-whitelist-limit");
        Assert.Equal("The appkey 12345678 is only allowed to call from its ip white list, but the source ip 127.0.0.1 is not included", S(ip["sub_msg"]));
        TopError(await SearchFrom("SBS"), 27, "invalid-sessionkey");
        TopError(await SearchFrom("SBQ"), 7, "accesscontrol.limited-by-app-access-count");
        TopError(await SearchFrom("SBU"), 10, "isp.top-remote-service-unavailable");
        // The timeout city is a listing-search failure only; as a specified search it is just not a city.
        Fails(await SearchFrom("SBX", mode: 2), SearchMethod, "isv.NO_PRICE");
    }

    [Fact]
    public async Task Price_change_and_sold_out_at_airbook()
    {
        var item = Plain(await SearchAsync());
        var r = await AirbookAsync(Booking(item, "SBXPRICE_1"));
        Fails(r, AirbookMethod, "isv.PRICE_CHANGED", "价格发生变化，请重新询价");
        Assert.Contains("adt_flight_item_price", r.Diagnostic);
        Fails(await AirbookAsync(Booking(item, "SBXSOLDOUT_1")), AirbookMethod, "isv.SEAT_NOT_ENOUGH", "舱位座位不足");
    }

    [Fact]
    public async Task Ticketing_fails_after_pay_and_the_order_is_refunded()
    {
        var booked = await BookAsync("SBXTKTFAIL_1");
        var id = L(booked["order_id"]);
        await PayAsync(id, D(booked["total_price"]));
        await AdvanceAsync("PT10S");
        var detail = await DetailAsync(id);
        Assert.Equal(5, I(detail["order_status_code"]));
        Assert.Equal("FAILED", S(Items(detail["flight_book_order_detail_list"], "flight_book_order_detail")[0]["passenger"]!["ticket_status"]));
        Assert.Equal("2", S((await Tmc.WaitForAsync(m => m.Count == 3)).Last().Json["type"]));
    }

    async Task<TopResponse> Refund(long orderId, string outRefundNo, int type = 2) =>
        await Top.CallAsync(RefundMethod, P(("refund_create_request", new JsonObject
        {
            ["order_id"] = orderId, ["out_refund_no"] = outRefundNo, ["refund_apply_type"] = type,
            ["refund_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" }),
        })));

    [Fact]
    public async Task Refund_magic_numbers()
    {
        var (id, _) = await TicketedAsync("FAIL-R");
        Fails(await Refund(id, "SBXFEE_1"), RefundMethod, "isv.REFUND_FEE_CHANGED", "退票手续费发生变化，请重试!");
        Fails(await Refund(id, "SBXRULE_1"), RefundMethod, "isv.REFUND_RULE_CHANGED");
        var rejected = L(Ok(await Refund(id, "SBXREJ_1"), RefundMethod)["refund_order_id"]);
        await AdvanceAsync("PT30S");
        var detail = Ok(await Top.CallAsync(RefundDetailMethod, P(("refund_order_id", rejected.ToString(CultureInfo.InvariantCulture)))), RefundDetailMethod);
        Assert.Equal(5, I(detail["refund_status"]));
        Assert.Equal("航司审核不通过", S(detail["refuse_reason"]));
    }

    async Task<TopResponse> Change(long orderId, string outChangeNo, JsonObject detail, JsonObject target) =>
        await Top.CallAsync(ChangeMethod, P(("change_order_create_request", new JsonObject
        {
            ["order_id"] = orderId, ["out_change_no"] = outChangeNo, ["change_type"] = 2,
            ["change_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" }),
            ["new_flight_segment_list"] = new JsonArray(new JsonObject
            {
                ["original_flight_segment_id"] = S(Items(Items(detail["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["id"]),
                ["market_flight_no"] = S(target["marketing_flight_no"]), ["dep_airport_code"] = S(target["dep_airport"]), ["arr_airport_code"] = S(target["arr_airport"]),
                ["flight_time"] = S(target["dep_time"]), ["cabin_code"] = S(target["cabin"]),
            }),
        })));

    [Fact]
    public async Task Change_magic_numbers()
    {
        var (id, detail) = await TicketedAsync("FAIL-C");
        var target = Items(Items(Plain(await SearchAsync(daysAhead: 31))["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0];
        Fails(await Change(id, "SBXNOCHG_1", detail, target), ChangeMethod, "isv.CHANGE_NOT_ALLOWED", "该客票不可改签");
        Fails(await Change(id, "SBXSOLDOUT_1", detail, target), ChangeMethod, "isv.SEAT_NOT_ENOUGH");
        var created = Ok(await Change(id, "SBXREJ_1", detail, target), ChangeMethod);
        await AdvanceAsync("PT10S");
        var query = Items(Ok(await Top.CallAsync(ChangeQueryMethod, P(("change_order_id", S(created["change_order_id"])))), ChangeQueryMethod)["change_order_list"], "change_order");
        Assert.Equal(4, I(query.Single()["change_status"]));
    }

    [Fact]
    public async Task Every_magic_value_is_listed_by_the_admin_api()
    {
        var magic = (await Host.AdminGet("/scenarios/magic?supplier=fliggyflight"))!.AsArray().Select(m => S(m!["rule"])).ToHashSet();
        foreach (var rule in new[]
                 {
                     "remote-call-timeout", "no-quote", "channel-not-assigned", "ip-whitelist", "session-expired", "call-limit", "system-error", "service-unavailable",
                     "airbook-timeout", "price-change-at-airbook", "sold-out-at-airbook", "ticketing-fails", "pay-timeout", "refund-rejected",
                     "refund-fee-changed", "refund-rules-updated", "change-rejected", "change-refused", "change-sold-out",
                 })
            Assert.Contains(rule, magic);
    }
}

/// <summary>
/// TOP's 5-second timeout (FAQ 5 and 7): the reply is code 15 远程调用服务超时 while booking or payment went through,
/// and the integrator recovers with queryorderdetail. These wait the real 5 seconds.
/// </summary>
public class PlatformTimeoutTests : FliggyTest
{
    [Fact]
    public async Task A_listing_search_from_sbx_times_out()
    {
        var r = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", new
        {
            search_od_info_list = new[] { new { dep_city_code = "SBX", arr_city_code = "SHA", dep_date = Day(30) } },
        })));
        var e = TopError(r, 15, "isp.top-remote-connection-timeout");
        Assert.Equal("远程调用服务超时", S(e["sub_msg"]));
    }

    [Fact]
    public async Task An_airbook_that_times_out_still_created_the_order()
    {
        var item = Plain(await SearchAsync());
        TopError(await AirbookAsync(Booking(item, "SBXTO_1")), 15, "isp.top-remote-connection-timeout");
        var detail = Ok(await Top.CallAsync(DetailMethod, P(("out_order_no", "SBXTO_1"))), DetailMethod);
        Assert.Equal(1, I(detail["order_status_code"]));
        var retry = Ok(await AirbookAsync(Booking(item, "SBXTO_1")), AirbookMethod);
        Assert.Equal(L(detail["order_id"]), L(retry["order_id"]));
    }

    [Fact]
    public async Task A_payment_that_times_out_still_took_the_money()
    {
        var booked = await BookAsync("SBXPAYTO_1");
        var id = L(booked["order_id"]).ToString(CultureInfo.InvariantCulture);
        TopError(await Top.CallAsync(PayMethod, P(("order_id", id), ("total_price", S(booked["total_price"])))), 15, "isp.top-remote-connection-timeout");
        var detail = await DetailAsync(L(booked["order_id"]));
        Assert.Equal(2, I(detail["order_status_code"]));
        var retry = Ok(await Top.CallAsync(PayMethod, P(("order_id", id), ("total_price", S(booked["total_price"])))), PayMethod);
        Assert.Equal(S(detail["alipay_trade_no"]), S(retry["alipay_trade_no"]));
    }
}
