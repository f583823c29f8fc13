using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// The whole loop end to end against the reference operator: sync, book, pay, issue (at once, or later over
/// taobao.bus.agent.bookticket.confirm), refund (at once, or later over taobao.bus.agent.refund.confirm), the payment
/// deadline, the stopped-schedule poll and the forced refund it calls for, and every call in the call log.
/// </summary>
public sealed class BusLoopTests : BusLoop
{
    [Fact]
    public async Task Sync_book_pay_refund_and_the_call_log()
    {
        var sync = await SyncAsync();
        Assert.Equal(1, sync["fromCities"]!.GetValue<int>());
        Assert.Equal(2, sync["routes"]!.GetValue<int>());
        Assert.True(sync["schedules"]!.GetValue<int>() >= 40, sync.ToJsonString());
        Assert.Empty(sync["problems"]!.AsArray());

        var booked = await BookAsync(Schedule(5));
        var id = S(booked["alitripOrderId"]);
        Assert.Equal("1", S(booked["status"]));
        Assert.StartsWith("BUS", S(booked["agentOrderId"]));
        Assert.Equal(12000, booked["orderAmount"]!.GetValue<long>());
        Assert.All(booked["tickets"]!.AsArray(), t => Assert.StartsWith(S(booked["agentOrderId"]) + "-", S(t!["ticketId"])));

        var paid = await ActAsync(id, "pay");
        Assert.Equal("3", S(paid["status"]));
        Assert.All(paid["tickets"]!.AsArray(), t => Assert.Equal("2", S(t!["status"])));
        Assert.All(paid["tickets"]!.AsArray(), t => Assert.StartsWith("T", S(t!["ticketNo"])));

        var partly = await ActAsync(id, "refund", new { passengerIds = new[] { "1" } });
        Assert.Equal("3", S(partly["status"]));
        Assert.Equal(["5", "2"], partly["tickets"]!.AsArray().Select(t => S(t!["status"])));
        Assert.Equal("refunded", S(partly["lastRefund"]!["result"]));
        Assert.Equal(6000, partly["refundedAmount"]!.GetValue<long>());

        var all = await ActAsync(id, "refund");
        Assert.Equal("11", S(all["status"]));
        Assert.Equal(12000, all["refundedAmount"]!.GetValue<long>());

        // Each call journaled with what reproduces it; the operator verified every signature.
        var calls = await CallsAsync(order: id);
        var methods = calls.Select(c => S(c!["method"])).Reverse().ToList();
        Assert.Equal([QimenMethods.SeatQuery, QimenMethods.OrderCreate, QimenMethods.OrderConfirm, QimenMethods.ReturnQuery, QimenMethods.ReturnConfirm,
            QimenMethods.ReturnQuery, QimenMethods.ReturnConfirm], methods);
        var create = calls.Single(c => S(c!["method"]) == QimenMethods.OrderCreate)!;
        Assert.Equal("success", S(create["verdict"]));
        Assert.StartsWith(Operator.Url + "?method=qimen.alitrip.custombus.order.create&app_key=23456789&target_app_key=34567890&customerId=ref_bus", S(create["url"]));
        Assert.StartsWith("{secret}app_key23456789customerIdref_bus", S(create["stringToSign"]));
        Assert.Contains($"\"alitripOrderId\":\"{id}\"", S(create["body"]));
        Assert.Equal("application/json;charset=utf-8", S(create["headers"]!["Content-Type"]));
        Assert.Contains("\"success\":true", S(create["reply"]));
        Assert.All(Operator.Received, r => Assert.True(r.SignatureValid));

        var stats = (await Host.AdminGet($"/tenants/{Tenant}/fliggybus/calls/stats"))!["methods"]!.AsArray();
        var confirm = stats.Single(m => S(m!["method"]) == QimenMethods.OrderConfirm)!;
        Assert.Equal(1, confirm["calls"]!.GetValue<long>());
        Assert.Equal(1, confirm["accepted"]!.GetValue<long>());
        Assert.Equal(0, confirm["signatureRefusals"]!.GetValue<long>());
    }

    [Fact]
    public async Task Tickets_and_refunds_reported_later_over_taobao_bus_calls()
    {
        Operator.Apis.AsyncTicketing = true;
        Operator.Apis.AsyncRefund = true;
        OperatorCallsBack();
        await SyncAsync();
        var id = S((await BookAsync(Schedule(6)))["alitripOrderId"]);

        var paid = await ActAsync(id, "pay");
        Assert.Equal("2", S(paid["status"]));
        var issued = await WaitForAsync(id, o => S(o["status"]) == "3");
        Assert.Equal(["2", "2"], issued["tickets"]!.AsArray().Select(t => S(t!["status"])));
        Assert.Equal(["1", "2"], issued["tickets"]!.AsArray().Select(t => S(t!["seatNo"])));
        Assert.Equal("8866", S(issued["tickets"]![0]!["ticketPwd"]));
        // A repeat of the ticketing result is idempotent.
        var again = await BusTopAsync("taobao.bus.agent.bookticket.confirm", "param_agent_confirm_book_r_q",
            new JsonObject { ["agent_order_id"] = Operator.Apis.AgentOrderId(id), ["bus_inner_order_id"] = id, ["success"] = true });
        Assert.True(again["is_success"]!.GetValue<bool>(), again.ToJsonString());

        var refunding = await ActAsync(id, "refund");
        Assert.True(S(refunding["status"]) is "9" or "11", refunding.ToJsonString());
        var refunded = await WaitForAsync(id, o => S(o["status"]) == "11");
        Assert.Equal(["5", "5"], refunded["tickets"]!.AsArray().Select(t => S(t!["status"])));
        Assert.Equal(12000, refunded["refundedAmount"]!.GetValue<long>());

        var replies = OperatorCalls.ToList();
        Assert.Equal(["taobao.bus.agent.bookticket.confirm", "taobao.bus.agent.refund.confirm"], replies.Select(r => r.Method));
        Assert.All(replies, r => Assert.Equal("0", S(r.Reply.Json["result_code"])));
    }

    [Fact]
    public async Task An_unpaid_order_closes_at_its_payment_deadline_with_close_type_1()
    {
        await SyncAsync();
        var id = S((await BookAsync(Schedule(4), passengers: 1))["alitripOrderId"]);
        await AdvanceAsync("PT16M");
        var closed = await OrderAsync(id);
        Assert.Equal("5", S(closed["status"]));
        Assert.Equal("3", S(closed["tickets"]![0]!["status"]));
        var close = Assert.Single(Received(QimenMethods.OrderClose));
        Assert.Equal(1, close["closeType"]!.GetValue<int>());
        Assert.Equal("支付超时", S(close["closeReason"]));
        await ActAsync(id, "pay", expect: 409);
    }

    [Fact]
    public async Task A_stopped_schedule_marks_its_issued_orders_and_a_forced_refund_settles_them()
    {
        await SyncAsync();
        var scheduleId = Schedule(7, "0800");
        var id = S((await BookAsync(scheduleId))["alitripOrderId"]);
        Assert.Equal("3", S((await ActAsync(id, "pay"))["status"]));

        Operator.Apis.StopSchedule(scheduleId);
        await AdvanceAsync("PT30M");
        var stopped = await OrderAsync(id);
        Assert.Contains("schedule-stopped", stopped["tags"]!.AsArray().Select(S));
        Assert.Contains("停运", S(stopped["note"]));
        var catalogue = (await Host.AdminGet($"/tenants/{Tenant}/fliggybus/catalogue"))!;
        var schedule = catalogue["routes"]!.AsArray().SelectMany(r => r!["lineSchedule"]!.AsArray()).SelectMany(l => l!["scheduleList"]!.AsArray())
            .Single(s => S(s!["scheduleId"]) == scheduleId)!;
        Assert.Equal(0, schedule["saleStatus"]!.GetValue<int>());
        await BookAsync(scheduleId, expect: 409);

        var forced = await BusTopAsync("taobao.bus.agent.refund.confirm", "param_agent_confirm_return_and_refund_r_q", new JsonObject
        {
            ["agent_order_id"] = Operator.Apis.AgentOrderId(id), ["agent_return_ticket_status"] = 1, ["agent_return_ticket_type"] = 1,
            ["agent_refund_amount"] = "120.00", ["agent_refund_trans_id"] = "FORCE-1", ["refund_scene"] = "force",
        });
        Assert.True(forced["is_success"]!.GetValue<bool>(), forced.ToJsonString());
        var refunded = await OrderAsync(id);
        Assert.Equal("11", S(refunded["status"]));
        Assert.Equal(12000, refunded["refundedAmount"]!.GetValue<long>());
    }
}
