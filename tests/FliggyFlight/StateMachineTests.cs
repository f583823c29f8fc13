using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>
/// The order, refund and change machines on the virtual clock, and the TMC messages their transitions publish with the
/// payloads of spec §3.1 (recorded by a test publisher once the state change committed).
/// </summary>
public class StateMachineTests : FliggyTest
{
    static string Str(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Pay_then_ticketing_publish_trade_notify_1_pay_notification_and_trade_notify_3()
    {
        var booked = await BookAsync("SM-1");
        var id = L(booked["order_id"]);
        Assert.Empty(Tmc.Messages);
        var paid = await PayAsync(id, D(booked["total_price"]));
        var trade = S(paid["alipay_trade_no"]);
        var afterPay = await Tmc.WaitForAsync(m => m.Count == 2);
        var t1 = afterPay.Single(m => m.Topic == "alitrip_flight_TradeNotify");
        Assert.Equal($"{{\"id\":\"{t1.Id}\",\"order_no\":\"{id}\",\"type\":\"1\",\"alipay_trade_no\":\"{trade}\",\"trade_no\":\"{trade}\"}}", t1.Content);
        var pn = afterPay.Single(m => m.Topic == "alitrip_flight_PayNotification");
        Assert.Equal($"{{\"id\":\"{pn.Id}\",\"order_no\":\"{id}\",\"alipay_trade_no\":\"{trade}\"}}", pn.Content);
        Assert.All(afterPay, m =>
        {
            Assert.Equal("demo", m.Tenant);
            Assert.Equal(2200000000001, m.UserId);
            Assert.Equal("sandbox_buyer", m.UserNick);
        });

        await AdvanceAsync("PT9S");
        Assert.Equal(2, I((await DetailAsync(id))["order_status_code"]));
        await AdvanceAsync("PT1S");
        var all = await Tmc.WaitForAsync(m => m.Count == 3);
        var t3 = all.Last();
        Assert.Equal($"{{\"id\":\"{t3.Id}\",\"order_no\":\"{id}\",\"type\":\"3\"}}", t3.Content);
        Assert.Equal(3, I((await DetailAsync(id))["order_status_code"]));
    }

    [Fact]
    public async Task Close_and_the_pay_deadline_publish_trade_notify_2()
    {
        var a = await BookAsync("SM-2");
        Ok(await Top.CallAsync(CloseMethod, P(("order_id", Str(L(a["order_id"]))))), CloseMethod);
        var closed = (await Tmc.WaitForAsync(m => m.Count == 1)).Single();
        Assert.Equal("2", S(closed.Json["type"]));
        Assert.Equal(Str(L(a["order_id"])), S(closed.Json["order_no"]));

        var b = await BookAsync("SM-3");
        await AdvanceAsync("PT29M");
        Assert.Equal(1, I((await DetailAsync(L(b["order_id"])))["order_status_code"]));
        await AdvanceAsync("PT1M");
        Assert.Equal(4, I((await DetailAsync(L(b["order_id"])))["order_status_code"]));
        var expired = (await Tmc.WaitForAsync(m => m.Count == 2)).Last();
        Assert.Equal("2", S(expired.Json["type"]));
    }

    [Fact]
    public async Task Closing_releases_the_seats()
    {
        var item = Plain(await SearchAsync());
        var seats = I(Items(Items(item["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["available_seat_num"]);
        var ids = new List<long>();
        for (var i = 0; i < seats; i++)
            ids.Add(L(Ok(await AirbookAsync(Booking(item, "SEAT-" + i, Adult("乘客" + i, $"1101011990030{i:00}77X"))), AirbookMethod)["order_id"]));
        Fails(await AirbookAsync(Booking(item, "SEAT-X")), AirbookMethod, "isv.SEAT_NOT_ENOUGH");
        Ok(await Top.CallAsync(CloseMethod, P(("order_id", Str(ids[0])))), CloseMethod);
        Ok(await AirbookAsync(Booking(item, "SEAT-Y")), AirbookMethod);
    }

    [Fact]
    public async Task Refund_create_audit_and_rejection_publish_refund_notify()
    {
        var (id, _) = await TicketedAsync("SM-4");
        var before = Tmc.Messages.Count;
        async Task<long> Refund(string outRefundNo)
        {
            var r = await Top.CallAsync(RefundMethod, P(("refund_create_request", new JsonObject
            {
                ["order_id"] = id, ["out_refund_no"] = outRefundNo, ["refund_apply_type"] = 2,
                ["refund_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" }),
            })));
            return L(Ok(r, RefundMethod)["refund_order_id"]);
        }
        var rejected = await Refund("SBXREJ_1");
        var created = (await Tmc.WaitForAsync(m => m.Count == before + 1)).Last();
        Assert.Equal("alitrip_flight_RefundNotify", created.Topic);
        Assert.Equal($"{{\"id\":\"{created.Id}\",\"message_type\":\"REFUND_CREATE_MSG\",\"order_no\":{id},\"refund_order_no\":{rejected},\"multi_refund_flag\":false}}",
            created.Content);
        await AdvanceAsync("PT30S");
        var closed = (await Tmc.WaitForAsync(m => m.Count == before + 2)).Last();
        Assert.Equal("REFUND_CLOSE_MSG", S(closed.Json["message_type"]));
        Assert.Equal("TICKETED", S(Items((await DetailAsync(id))["flight_book_order_detail_list"], "flight_book_order_detail")[0]["passenger"]!["ticket_status"]));

        var refunded = await Refund("R-OK");
        await AdvanceAsync("PT30S");
        var success = (await Tmc.WaitForAsync(m => m.Count == before + 4)).Last();
        Assert.Equal("REFUND_SUCCESS_MSG", S(success.Json["message_type"]));
        Assert.Equal(refunded, L(success.Json["refund_order_no"]));

        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/fliggyflight/refunds/{refunded}/supplementary");
        Assert.True(status == 200, body?.ToJsonString());
        var supplementary = (await Tmc.WaitForAsync(m => m.Count == before + 5)).Last();
        Assert.True(supplementary.Json["multi_refund_flag"]!.GetValue<bool>());
        Assert.Equal(409, (await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/fliggyflight/refunds/{rejected}/supplementary")).Status);
    }

    [Fact]
    public async Task A_change_publishes_1_2_3_and_5()
    {
        var (id, detail) = await TicketedAsync("SM-5");
        var before = Tmc.Messages.Count;
        var target = Items(Items(Plain(await SearchAsync(daysAhead: 31, extra: new { cabin_class = "C" }))["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0];
        var created = Ok(await Top.CallAsync(ChangeMethod, P(("change_order_create_request", new JsonObject
        {
            ["order_id"] = id, ["out_change_no"] = "SM-C", ["change_type"] = 1,
            ["change_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" }),
            ["new_flight_segment_list"] = new JsonArray(new JsonObject
            {
                ["original_flight_segment_id"] = S(Items(Items(detail["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["id"]),
                ["market_flight_no"] = S(target["marketing_flight_no"]), ["dep_airport_code"] = S(target["dep_airport"]), ["arr_airport_code"] = S(target["arr_airport"]),
                ["flight_time"] = S(target["dep_time"]), ["cabin_code"] = S(target["cabin"]),
            }),
        }))), ChangeMethod);
        var changeId = L(created["change_order_id"]);
        await Tmc.WaitForAsync(m => m.Count == before + 2);
        Ok(await Top.CallAsync(ChangePayMethod, P(("change_order_id", Str(changeId)), ("pay_amount", S(created["pay_amount"])))), ChangePayMethod);
        await AdvanceAsync("PT10S");
        var messages = (await Tmc.WaitForAsync(m => m.Count == before + 4)).Skip(before).ToList();
        Assert.All(messages, m => Assert.Equal("alitrip_flight_ChangeStatusNotify", m.Topic));
        Assert.Equal([1, 2, 3, 5], messages.Select(m => I(m.Json["status"])));
        Assert.Equal($"{{\"id\":\"{messages[0].Id}\",\"order_no\":{id},\"change_order_no\":{changeId},\"status\":1}}", messages[0].Content);
    }

    [Fact]
    public async Task The_admin_announces_a_flight_change_in_either_topic()
    {
        var (id, detail) = await TicketedAsync("SM-6");
        var seg = Items(Items(detail["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0];
        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/fliggyflight/orders/{id}/flight-change", new { delay = "PT1H30M", reason = "天气原因" });
        Assert.True(status == 200, body?.ToJsonString());
        var fc = Tmc.Topic("alitrip_flight_FlightChange").Single().Json;
        Assert.Equal(S(body!["messageId"]), S(fc["message_id"]));
        Assert.Equal(id, L(fc["order_id"]));
        Assert.Equal(2, I(fc["change_type"]));
        Assert.Equal(0, I(fc["sub_type"]));
        Assert.Equal("天气原因", S(fc["change_reason"]));
        Assert.Equal(S(seg["marketing_flight_no"]), S(fc["old_flight_no"]));
        Assert.Equal(S(seg["dep_time"]), S(fc["old_depart_time"]));
        Assert.Equal(S(seg["dep_time"])[..10], S(fc["old_flight_date"]));
        Assert.Equal(DateTime.Parse(S(seg["dep_time"]), CultureInfo.InvariantCulture).AddMinutes(90).ToString("yyyy-MM-dd HH:mm:ss"), S(fc["new_depart_time"]));

        (status, _) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/fliggyflight/orders/{id}/flight-change",
            new { topic = "alitrip_flight_Change", changeType = 1 });
        Assert.Equal(200, status);
        var change = Tmc.Topic("alitrip_flight_Change").Single().Json;
        Assert.Equal(1, I(change["flight_change_type"]));
        Assert.Equal(S(seg["dep_airport"]), S(change["old_dep_airport"]));
        Assert.Null(change["new_dep_time"]);

        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/fliggyflight/orders/{id}/flight-change", new { changeType = 3 })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, "/tenants/demo/fliggyflight/orders/1/flight-change", new { })).Status);
        var timeline = (await Host.AdminGet($"/tenants/demo/orders/{id}?supplier=fliggyflight"))!["timeline"]!.AsArray();
        Assert.Contains(timeline, e => S(e!["kind"]) == "flight-change");
    }

    [Fact]
    public async Task An_admin_can_force_a_ticketing_failure_through_the_machine()
    {
        var booked = await BookAsync("SM-7");
        var id = L(booked["order_id"]);
        await PayAsync(id, D(booked["total_price"]));
        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{id}/transition", new { to = "TICKET_FAILED", supplier = "fliggyflight" });
        Assert.True(status == 200, body?.ToJsonString());
        var detail = await DetailAsync(id);
        Assert.Equal(5, I(detail["order_status_code"]));
        Assert.Equal("出票失败，已退款", S(detail["order_status"]));
        Assert.Equal("2", S((await Tmc.WaitForAsync(m => m.Count == 3)).Last().Json["type"]));
    }

    [Fact]
    public async Task Timers_survive_a_restart()
    {
        var booked = await BookAsync("SM-8");
        var id = L(booked["order_id"]);
        await PayAsync(id, D(booked["total_price"]));
        await RestartAsync();
        await AdvanceAsync("PT10S");
        Assert.Equal(3, I((await DetailAsync(id))["order_status_code"]));
    }
}

/// <summary>
/// With the real TMC module: the machines' messages reach the tenant's app queue and are consumed and confirmed with
/// taobao.tmc.messages.consume / confirm on the same gateway, as an agency's HTTP pull client does.
/// </summary>
public class WithTmcTests : FliggyTest
{
    protected override bool RecordTmc => false;

    [Fact]
    public async Task A_ticketed_order_s_trade_notices_are_consumed_and_confirmed_over_the_gateway()
    {
        var (id, _) = await TicketedAsync("TMC-1");

        var consumed = Ok2(await Top.CallAsync("taobao.tmc.messages.consume", P(("quantity", "100"))), "tmc_messages_consume_response");
        var messages = Items(consumed["messages"], "tmc_message");
        var trade = messages.Where(m => S(m["topic"]) == "alitrip_flight_TradeNotify")
            .Select(m => JsonNode.Parse(S(m["content"]))!).Where(c => S(c["order_no"]) == id.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["1", "3"], trade.Select(c => S(c["type"])).Order());
        Assert.Contains(messages, m => S(m["topic"]) == "alitrip_flight_PayNotification");
        Assert.All(messages, m => Assert.Equal(S(m["id"]), S(JsonNode.Parse(S(m["content"]))!["id"] ?? m["id"])));

        var ids = string.Join(",", messages.Select(m => S(m["id"])));
        var confirmed = Ok2(await Top.CallAsync("taobao.tmc.messages.confirm", P(("s_message_ids", ids))), "tmc_messages_confirm_response");
        Assert.True(confirmed["is_success"]!.GetValue<bool>());
        await AdvanceAsync("PT10M");
        var again = Ok2(await Top.CallAsync("taobao.tmc.messages.consume", P(("quantity", "100"))), "tmc_messages_consume_response");
        Assert.Empty(Items(again["messages"], "tmc_message"));
    }

    static JsonObject Ok2(Sandbox.Tests.Top.TopResponse r, string name)
    {
        Assert.True(r.Status == 200 && r.Error is null, r.Body);
        return JsonNode.Parse(r.Body)![name]!.AsObject();
    }
}
