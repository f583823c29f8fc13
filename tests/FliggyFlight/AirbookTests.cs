using System.Text.Json.Nodes;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>alitrip.flight.service.airbook (spec §2.4): the checks in their order, idempotency and the created order.</summary>
public class AirbookTests : FliggyTest
{
    [Fact]
    public async Task Airbook_creates_an_unpaid_order_with_a_pay_deadline()
    {
        var item = Plain(await SearchAsync());
        var booking = Booking(item, "BOOK-1");
        var r = Ok(await AirbookAsync(booking), AirbookMethod);
        var id = L(r["order_id"]);
        Assert.InRange(id, 1_000_000_000_000, (1L << 53) - 1);
        Assert.Equal("BOOK-1", S(r["out_order_no"]));
        Assert.Equal(D(booking["total_price"]), D(r["total_price"]));
        Assert.Equal("生单预定成功", S(r["order_status"]));
        Assert.Equal(1, I(r["order_status_code"]));
        Assert.Equal(Frozen.AddMinutes(30).ToString("yyyy-MM-dd HH:mm:ss"), S(r["pay_deadline"]));
        Assert.Empty(Tmc.Messages);
    }

    [Fact]
    public async Task The_same_request_again_answers_the_same_order_and_another_request_is_a_duplicate()
    {
        var item = Plain(await SearchAsync());
        var first = Ok(await AirbookAsync(Booking(item, "BOOK-2")), AirbookMethod);
        var again = Ok(await AirbookAsync(Booking(item, "BOOK-2")), AirbookMethod);
        Assert.Equal(L(first["order_id"]), L(again["order_id"]));
        var other = Booking(item, "BOOK-2", Adult("李四", "110101198001011234"));
        Fails(await AirbookAsync(other), AirbookMethod, "isv.DUPLICATE_OUT_ORDER_NO", "外部订单号重复");
    }

    [Fact]
    public async Task An_item_older_than_30_minutes_or_not_from_search_is_expired()
    {
        var item = Plain(await SearchAsync());
        await AdvanceAsync("PT31M");
        Fails(await AirbookAsync(Booking(item, "BOOK-3")), AirbookMethod, "isv.ITEM_EXPIRED", "报价已失效，请重新询价");
        var forged = Booking(item, "BOOK-4");
        forged["item_id"] = "MXxPVEF8MHwxfENBMTAwMC5QRUsuU0hBLjIwMzAwNzAzLlk~0000000000000000";
        Fails(await AirbookAsync(forged), AirbookMethod, "isv.ITEM_EXPIRED");
    }

    [Fact]
    public async Task Prices_and_total_must_be_the_items()
    {
        var item = Plain(await SearchAsync());
        var wrongFare = Booking(item, "BOOK-5");
        wrongFare["adt_flight_item_price"] = D(item["adt_flight_item_price"]) - 10;
        wrongFare["total_price"] = D(wrongFare["total_price"]) - 10;
        Fails(await AirbookAsync(wrongFare), AirbookMethod, "isv.PRICE_CHANGED", "价格发生变化，请重新询价");
        var wrongTotal = Booking(item, "BOOK-6");
        wrongTotal["total_price"] = D(wrongTotal["total_price"]) + 1;
        var r = await AirbookAsync(wrongTotal);
        Fails(r, AirbookMethod, "isv.PRICE_CHANGED");
        Assert.Contains("total_price", r.Diagnostic);
    }

    [Fact]
    public async Task Children_and_infants_are_priced_by_the_documented_formula()
    {
        var item = (await SearchAsync()).First(i => i["member_type"] is null && i["support_child"]!.GetValue<bool>() && i["support_infant"]!.GetValue<bool>());
        var booking = Booking(item, "FAMILY-1", Adult(), Child("张小三", "110101202201011230", "2022-01-01"), Infant("张宝宝", "CB2030010101", "2030-01-01"));
        var r = Ok(await AirbookAsync(booking), AirbookMethod);
        var expected = D(item["adt_flight_item_price"]) + D(item["adt_build_fee"]) + D(item["adt_oil_fee"])
                       + D(item["chd_flight_item_price"]) + D(item["chd_total_fee"]) + D(item["inf_flight_item_price"]) + D(item["inf_total_fee"]);
        Assert.Equal(expected, D(r["total_price"]));
        var detail = await DetailAsync(L(r["order_id"]));
        var rows = Items(detail["flight_book_order_detail_list"], "flight_book_order_detail");
        Assert.Equal(3, rows.Count);
        var child = rows.First(x => I(x["passenger"]!["type"]) == 1);
        Assert.Equal(D(item["chd_flight_item_price"]), D(child["flight_price"]!["sell_price"]));
        Assert.Equal("2022-01-01 00:00:00", S(child["passenger"]!["birthday"]));
    }

    [Theory]
    [InlineData(1, "2015-01-01")]
    [InlineData(2, "2027-01-01")]
    [InlineData(1, null)]
    public async Task A_birthday_that_does_not_fit_the_type_is_param_error(int type, string? birthday)
    {
        var item = (await SearchAsync()).First(i => i["member_type"] is null && i["support_child"]!.GetValue<bool>() && i["support_infant"]!.GetValue<bool>());
        var p = new JsonObject { ["name"] = "王五", ["type"] = type, ["credential_type"] = 1, ["credential_no"] = "E12345678" };
        if (birthday is not null) p["birthday"] = birthday;
        Fails(await AirbookAsync(Booking(item, "AGE-" + type, Adult(), p)), AirbookMethod, "isv.PARAM_ERROR");
    }

    [Fact]
    public async Task Passenger_rules_are_param_error()
    {
        var item = Plain(await SearchAsync());
        Fails(await AirbookAsync(Booking(item, "P-1", Infant("宝宝", "CB1", "2030-01-01"))), AirbookMethod, "isv.PARAM_ERROR");
        Fails(await AirbookAsync(Booking(item, "P-2", Adult(), Infant("宝宝一", "CB1", "2030-01-01"), Infant("宝宝二", "CB2", "2030-01-01"))), AirbookMethod, "isv.PARAM_ERROR");
        var badType = Adult();
        badType["credential_type"] = 9;
        Fails(await AirbookAsync(Booking(item, "P-3", badType)), AirbookMethod, "isv.PARAM_ERROR");
        Fails(await AirbookAsync(Booking(item, "P-4", Adult("张三", "12345"))), AirbookMethod, "isv.PARAM_ERROR");
        Fails(await AirbookAsync(Booking(item, "P-5", Adult("张三"), Adult("李四"))), AirbookMethod, "isv.PARAM_ERROR");
    }

    [Fact]
    public async Task Member_items_need_the_register_flag_and_for_buyer_members_the_buyer()
    {
        JsonObject? member = null;
        for (var d = 1; d < 60 && member is null; d++)
            member = (await SearchAsync(daysAhead: d)).FirstOrDefault(i => i["member_type"] is not null && I(i["member_type"]) == 1);
        Assert.NotNull(member);
        var noFlag = Booking(member!, "M-1");
        noFlag.Remove("allow_register_or_query_member");
        Fails(await AirbookAsync(noFlag), AirbookMethod, "isv.MEMBER_PARAM_ERROR", "会员价商品必须传入allow_register_or_query_member=true");
        var noBuyer = Booking(member!, "M-2");
        noBuyer.Remove("member_buyer");
        Fails(await AirbookAsync(noBuyer), AirbookMethod, "isv.MEMBER_BUYER_REQUIRED", "会员价商品需传入购买人会员信息member_buyer");
        var partial = Booking(member!, "M-3");
        partial["member_buyer"]!.AsObject().Remove("credential_no");
        Fails(await AirbookAsync(partial), AirbookMethod, "isv.MEMBER_BUYER_REQUIRED");
        Ok(await AirbookAsync(Booking(member!, "M-4")), AirbookMethod);
    }

    [Fact]
    public async Task Member_items_sell_no_child_tickets()
    {
        JsonObject? member = null;
        for (var d = 1; d < 40 && member is null; d++)
            member = (await SearchAsync(daysAhead: d)).FirstOrDefault(i => i["member_type"] is not null);
        var booking = Booking(member!, "M-5", Adult(), Child("张小三", "110101202201011230", "2022-01-01"));
        booking["chd_flight_item_price"] = D(member!["chd_flight_item_price"]);
        Fails(await AirbookAsync(booking), AirbookMethod, "isv.PARAM_ERROR");
    }

    [Fact]
    public async Task Seats_run_out()
    {
        var item = Plain(await SearchAsync());
        var seats = I(Items(Items(item["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["available_seat_num"]);
        var passengers = Enumerable.Range(0, seats + 1).Select(i => Adult("乘客" + i, $"1101011990030{i:00}77X")).ToArray();
        if (passengers.Length <= 9)
            Fails(await AirbookAsync(Booking(item, "SEATS-1", passengers)), AirbookMethod, "isv.SEAT_NOT_ENOUGH", "舱位座位不足");
        for (var i = 0; i < seats; i++)
            Ok(await AirbookAsync(Booking(item, "SEATS-OK-" + i, Adult("乘客" + i, $"1101011990030{i:00}77X"))), AirbookMethod);
        Fails(await AirbookAsync(Booking(item, "SEATS-2")), AirbookMethod, "isv.SEAT_NOT_ENOUGH");
    }

    [Fact]
    public async Task Missing_parts_of_the_request_are_code_40()
    {
        var item = Plain(await SearchAsync());
        var noContact = Booking(item, "MISS-1");
        noContact.Remove("contact");
        Assert.Equal("Missing required arguments:create_order_request.contact", S(TopError(await AirbookAsync(noContact), 40)["msg"]));
        var noName = Booking(item, "MISS-2");
        noName["passenger_list"]![0]!.AsObject().Remove("name");
        Assert.Equal("Missing required arguments:create_order_request.passenger_list[0].name", S(TopError(await AirbookAsync(noName), 40)["msg"]));
    }
}
