using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>change.order.create, cancel, pay and query (spec §2.14) on the change machine (§2.17).</summary>
public class ChangeTests : FliggyTest
{
    /// <summary>A later flight on the same OD: the first flight of the day after, in its cheapest class with seats.</summary>
    async Task<JsonObject> TargetAsync(int daysAhead, string cabinClass = "Y")
    {
        var items = await SearchAsync(daysAhead: daysAhead, extra: new { cabin_class = cabinClass });
        return Items(Items(Plain(items)["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0];
    }

    static JsonObject Request(long orderId, string outChangeNo, string originalSegment, JsonObject target, int type = 1, decimal? fee = null)
    {
        var req = new JsonObject
        {
            ["order_id"] = orderId, ["out_change_no"] = outChangeNo, ["change_type"] = type,
            ["change_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" }),
            ["new_flight_segment_list"] = new JsonArray(new JsonObject
            {
                ["original_flight_segment_id"] = originalSegment, ["market_flight_no"] = target["marketing_flight_no"]!.DeepClone(),
                ["dep_airport_code"] = target["dep_airport"]!.DeepClone(), ["arr_airport_code"] = target["arr_airport"]!.DeepClone(),
                ["flight_time"] = target["dep_time"]!.DeepClone(), ["cabin_code"] = target["cabin"]!.DeepClone(),
            }),
        };
        if (fee is not null) req["change_fee_total"] = fee;
        return req;
    }

    Task<TopResponse> Create(JsonObject req) => Top.CallAsync(ChangeMethod, P(("change_order_create_request", req)));

    static string Segment(JsonObject detail) =>
        S(Items(Items(detail["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["id"]);

    static decimal Sell(JsonObject detail) =>
        D(Items(detail["flight_book_order_detail_list"], "flight_book_order_detail")[0]["flight_price"]!["sell_price"]);

    [Fact]
    public async Task A_voluntary_change_costs_its_fee_plus_the_fare_difference_and_tickets_after_payment()
    {
        var (id, detail) = await TicketedAsync("CHG-1");
        var target = await TargetAsync(31, "C");
        var created = Ok(await Create(Request(id, "C-1", Segment(detail), target)), ChangeMethod);
        var fees = Items(created["change_fee_detail_list"], "change_fee_detail").Single();
        Assert.Equal(Math.Round(Sell(detail) * 0.05m, 0, MidpointRounding.AwayFromZero), D(fees["change_fee"]));
        Assert.True(D(fees["upgrade_fee"]) > 0);
        Assert.Equal(D(fees["change_fee"]) + D(fees["upgrade_fee"]), D(created["pay_amount"]));
        Assert.Equal(2, I(created["change_status"]));
        Assert.Equal("2030-06-03 09:30:10", S(created["pay_deadline"]));
        var changeId = L(created["change_order_id"]).ToString(CultureInfo.InvariantCulture);

        Fails(await Top.CallAsync(ChangePayMethod, P(("change_order_id", changeId), ("pay_amount", "1"))), ChangePayMethod, "isv.PAY_AMOUNT_ERROR");
        var paid = Ok(await Top.CallAsync(ChangePayMethod, P(("change_order_id", changeId), ("pay_amount", S(created["pay_amount"])))), ChangePayMethod);
        Assert.Equal(3, I(paid["change_status"]));
        Assert.Matches("^\\d{28}$", S(paid["alipay_trade_no"]));
        Fails(await Top.CallAsync(ChangeCancelMethod, P(("change_order_id", changeId))), ChangeCancelMethod, "isv.ORDER_STATUS_ERROR");
        await AdvanceAsync("PT10S");
        var query = Items(Ok(await Top.CallAsync(ChangeQueryMethod, P(("change_order_id", changeId))), ChangeQueryMethod)["change_order_list"], "change_order").Single();
        Assert.Equal(5, I(query["change_status"]));
        Assert.Equal("出票成功", S(query["change_status_desc"]));
        Assert.Matches("^\\d{3}-\\d{10}$", S(Items(query["passenger_list"], "passenger")[0]["ticket_no"]));
        Assert.Equal(S(target["marketing_flight_no"]), S(Items(Items(query["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["marketing_flight_no"]));
        Assert.Equal("CHANGED", S(Items((await DetailAsync(id))["flight_book_order_detail_list"], "flight_book_order_detail")[0]["passenger"]!["ticket_status"]));
        Assert.Equal(3, I((await DetailAsync(id))["order_status_code"]));
    }

    [Fact]
    public async Task An_involuntary_change_to_a_cheaper_class_is_free_and_goes_straight_to_ticketing()
    {
        var (id, detail) = await TicketedAsync("CHG-2");
        var target = await TargetAsync(30);
        var created = Ok(await Create(Request(id, "C-2", Segment(detail), target, type: 2)), ChangeMethod);
        Assert.Equal(0, D(created["pay_amount"]));
        Assert.Equal(3, I(created["change_status"]));
        Assert.Null(created["pay_deadline"]);
    }

    [Fact]
    public async Task The_expected_fee_must_match_and_creation_is_idempotent()
    {
        var (id, detail) = await TicketedAsync("CHG-3");
        var target = await TargetAsync(31, "C");
        Fails(await Create(Request(id, "C-3", Segment(detail), target, fee: 1)), ChangeMethod, "isv.CHANGE_FEE_CHANGED", "改签费用发生变化，请重试!");
        var first = Ok(await Create(Request(id, "C-3", Segment(detail), target)), ChangeMethod);
        var again = Ok(await Create(Request(id, "C-3", Segment(detail), target)), ChangeMethod);
        Assert.Equal(L(first["change_order_id"]), L(again["change_order_id"]));
        Fails(await Create(Request(id, "C-4", Segment(detail), target)), ChangeMethod, "isv.CHANGE_NOT_ALLOWED");
    }

    [Fact]
    public async Task A_change_waiting_for_payment_can_be_cancelled()
    {
        var (id, detail) = await TicketedAsync("CHG-4");
        var created = Ok(await Create(Request(id, "C-5", Segment(detail), await TargetAsync(31, "C"))), ChangeMethod);
        var cancelled = Ok(await Top.CallAsync(ChangeCancelMethod, P(("change_order_id", S(created["change_order_id"])))), ChangeCancelMethod);
        Assert.Equal(4, I(cancelled["change_status"]));
        Fails(await Top.CallAsync(ChangePayMethod, P(("change_order_id", S(created["change_order_id"])), ("pay_amount", S(created["pay_amount"])))), ChangePayMethod,
            "isv.ORDER_STATUS_ERROR");
        var byOrder = Items(Ok(await Top.CallAsync(ChangeQueryMethod, P(("order_id", id.ToString(CultureInfo.InvariantCulture)))), ChangeQueryMethod)["change_order_list"], "change_order");
        Assert.Equal(4, I(Assert.Single(byOrder)["change_status"]));
    }

    [Fact]
    public async Task Only_ticketed_orders_on_the_same_od_change()
    {
        var booked = await BookAsync("CHG-5");
        var target = await TargetAsync(31);
        var unpaid = await DetailAsync(L(booked["order_id"]));
        Fails(await Create(Request(L(booked["order_id"]), "C-6", Segment(unpaid), target)), ChangeMethod, "isv.CHANGE_NOT_ALLOWED", "该客票不可改签");
        var (id, detail) = await TicketedAsync("CHG-6");
        var elsewhere = Items(Items(Plain(await SearchAsync("SHA", "CAN", 31))["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0];
        Fails(await Create(Request(id, "C-7", Segment(detail), elsewhere)), ChangeMethod, "isv.CHANGE_NOT_ALLOWED");
    }

    [Fact]
    public async Task A_target_flight_that_does_not_exist_has_no_seats()
    {
        var (id, detail) = await TicketedAsync("CHG-7");
        var target = await TargetAsync(31);
        target["marketing_flight_no"] = "CA0001";
        Fails(await Create(Request(id, "C-8", Segment(detail), target)), ChangeMethod, "isv.SEAT_NOT_ENOUGH", "舱位座位不足");
    }

    [Fact]
    public async Task Unknown_change_orders_and_bad_arguments()
    {
        Fails(await Top.CallAsync(ChangeQueryMethod, P(("change_order_id", "42"))), ChangeQueryMethod, "isv.CHANGE_ORDER_NOT_FOUND", "改签单不存在");
        Fails(await Top.CallAsync(ChangeQueryMethod, P(("order_id", "42"))), ChangeQueryMethod, "isv.ORDER_NOT_FOUND");
        TopError(await Top.CallAsync(ChangeQueryMethod), 40);
        Fails(await Top.CallAsync(ChangeCancelMethod, P(("change_order_id", "42"))), ChangeCancelMethod, "isv.CHANGE_ORDER_NOT_FOUND");
        var (id, detail) = await TicketedAsync("CHG-8");
        Fails(await Create(Request(id, "C-9", Segment(detail), await TargetAsync(31), type: 5)), ChangeMethod, "isv.PARAM_ERROR");
        Fails(await Create(Request(id, "C-9", "NOPE", await TargetAsync(31))), ChangeMethod, "isv.PARAM_ERROR");
    }
}
