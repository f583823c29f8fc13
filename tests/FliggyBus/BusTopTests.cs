using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// The four taobao.bus.* methods on the TOP gateway with their documented errors (spec §5): what they do to the
/// Fliggy-side statuses and money, and what they refuse and why (X-Sandbox-Diagnostic).
/// </summary>
public sealed class BusTopTests : BusLoop
{
    const string BookTicket = "taobao.bus.agent.bookticket.confirm";
    const string BookParam = "param_agent_confirm_book_r_q";
    const string Refund = "taobao.bus.agent.refund.confirm";
    const string RefundParam = "param_agent_confirm_return_and_refund_r_q";
    const string Multiple = "taobao.bus.agent.multiple.refund.confirm";
    const string MultipleParam = "param_agent_multiple_refund_r_q";
    const string Notify = "taobao.bus.item.notify";
    const string NotifyParam = "param_top_item_change_notify_r_q";

    async Task<(string Id, string Agent)> PaidOrderAsync(bool asyncTicketing = false)
    {
        Operator.Apis.AsyncTicketing = asyncTicketing;
        await SyncAsync();
        var id = S((await BookAsync(Schedule(5)))["alitripOrderId"]);
        await ActAsync(id, "pay");
        return (id, Operator.Apis.AgentOrderId(id));
    }

    static void Refused(JsonObject reply, string code)
    {
        Assert.False(reply["is_success"]!.GetValue<bool>(), reply.ToJsonString());
        Assert.Equal(code, S(reply["result_code"]));
    }

    [Fact]
    public async Task Bookticket_confirm_refuses_what_it_cannot_apply_and_says_why()
    {
        var (id, agent) = await PaidOrderAsync(asyncTicketing: true);

        var missing = await Top.CallAsync(BookTicket);
        Assert.Equal(40, missing.Json["error_response"]!["code"]!.GetValue<int>());
        var notJson = await Top.CallAsync(BookTicket, new Dictionary<string, string> { [BookParam] = "agent_order_id=1" });
        Assert.Equal(41, notJson.Json["error_response"]!["code"]!.GetValue<int>());

        Refused(await BusTopAsync(BookTicket, BookParam, new JsonObject { ["agent_order_id"] = agent, ["success"] = true }), "PARAM_ERROR");
        Refused(await BusTopAsync(BookTicket, BookParam, new JsonObject { ["agent_order_id"] = agent, ["bus_inner_order_id"] = "1", ["success"] = true }), "ORDER_NOT_FOUND");
        Refused(await BusTopAsync(BookTicket, BookParam, new JsonObject { ["agent_order_id"] = "BUS0", ["bus_inner_order_id"] = id, ["success"] = true }), "ORDER_NOT_FOUND");
        var yuan = await Top.CallAsync(BookTicket, new Dictionary<string, string>
        {
            [BookParam] = new JsonObject { ["agent_order_id"] = agent, ["bus_inner_order_id"] = id, ["success"] = true, ["total_price"] = 120 }.ToJsonString(),
        });
        Refused(yuan.Json, "PARAM_ERROR");
        Assert.Contains("fen, not yuan", yuan.Diagnostic);
        Refused(await BusTopAsync(BookTicket, BookParam, new JsonObject { ["agent_order_id"] = "SYS_ERROR", ["bus_inner_order_id"] = id }), "SYS_ERROR");
        Assert.Equal("2", S((await OrderAsync(id))["status"]));

        // success=false the way the Go SDK sends it: the field left out.
        var failed = await BusTopAsync(BookTicket, BookParam, new JsonObject { ["agent_order_id"] = agent, ["bus_inner_order_id"] = id });
        Assert.True(failed["is_success"]!.GetValue<bool>(), failed.ToJsonString());
        var closed = await OrderAsync(id);
        Assert.Equal("4", S(closed["status"]));
        Assert.Equal(["3", "3"], closed["tickets"]!.AsArray().Select(t => S(t!["status"])));
        Assert.Equal(12000, closed["refundedAmount"]!.GetValue<long>());
        Refused(await BusTopAsync(BookTicket, BookParam, new JsonObject { ["agent_order_id"] = agent, ["bus_inner_order_id"] = id, ["success"] = true }),
            "ORDER_STATUS_ERROR");
    }

    [Fact]
    public async Task Refund_confirm_applies_offline_refunds_once_and_refuses_too_much_money()
    {
        var (id, agent) = await PaidOrderAsync();
        var ticket = S((await OrderAsync(id))["tickets"]![0]!["ticketId"]);
        JsonObject Rq(string amount, string trans) => new()
        {
            ["agent_order_id"] = agent, ["main_biz_order_id"] = long.Parse(id), ["agent_return_ticket_status"] = 1, ["agent_ticket_id"] = ticket,
            ["agent_refund_amount"] = amount, ["agent_refund_trans_id"] = trans, ["agent_return_mode"] = "offline",
        };
        Refused(await BusTopAsync(Refund, RefundParam, Rq("60.01", "T1")), "AMOUNT_EXCEED");
        var online = Rq("50", "T1");
        online.Remove("agent_return_mode");
        Refused(await BusTopAsync(Refund, RefundParam, online), "ORDER_STATUS_ERROR");
        Refused(await BusTopAsync(Refund, RefundParam, new JsonObject { ["agent_order_id"] = agent, ["agent_return_ticket_status"] = 2, ["agent_ticket_id"] = ticket }),
            "PARAM_ERROR");

        Assert.True((await BusTopAsync(Refund, RefundParam, Rq("55.5", "T1")))["is_success"]!.GetValue<bool>());
        Assert.True((await BusTopAsync(Refund, RefundParam, Rq("55.5", "T1")))["is_success"]!.GetValue<bool>());
        var order = await OrderAsync(id);
        Assert.Equal("3", S(order["status"]));
        Assert.Equal(["5", "2"], order["tickets"]!.AsArray().Select(t => S(t!["status"])));
        Assert.Equal(5550, order["refundedAmount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Multiple_refund_confirm_pays_back_money_only_and_counts_each_serial_once()
    {
        var (id, agent) = await PaidOrderAsync();
        var certs = (await OrderAsync(id))["tickets"]!.AsArray().Select(t => S(t!["passengerCertificateNo"])).ToList();
        JsonObject Rq(string trans, long total, params (string Cert, long Amount)[] tickets) => new()
        {
            ["agent_order_id"] = agent, ["agent_refund_reason"] = "停运补偿", ["agent_refund_trans_no"] = trans, ["main_biz_order_id"] = long.Parse(id),
            ["total_refund_amount"] = total,
            ["refund_ticket_detail_list"] = new JsonArray(tickets.Select(t => (JsonNode)new JsonObject { ["passenger_id_num"] = t.Cert, ["refund_amount"] = t.Amount }).ToArray()),
        };
        Refused(await BusTopAsync(Multiple, MultipleParam, Rq("M1", 1000, (certs[0], 900))), "PARAM_ERROR");
        Refused(await BusTopAsync(Multiple, MultipleParam, Rq("M1", 7000, (certs[0], 7000))), "AMOUNT_EXCEED");

        Assert.True((await BusTopAsync(Multiple, MultipleParam, Rq("M1", 1000, (certs[0], 1000))))["is_success"]!.GetValue<bool>());
        var duplicate = await BusTopAsync(Multiple, MultipleParam, Rq("M1", 1000, (certs[0], 1000)));
        Assert.True(duplicate["is_success"]!.GetValue<bool>());
        Assert.Equal("DUPLICATE_REQUEST", S(duplicate["result_code"]));
        var partly = await OrderAsync(id);
        Assert.Equal("3", S(partly["status"]));
        Assert.Equal(1000, partly["refundedAmount"]!.GetValue<long>());
        Assert.Equal(["2", "2"], partly["tickets"]!.AsArray().Select(t => S(t!["status"])));

        Assert.True((await BusTopAsync(Multiple, MultipleParam, Rq("M2", 11000, (certs[0], 5000), (certs[1], 6000))))["is_success"]!.GetValue<bool>());
        Assert.Equal("11", S((await OrderAsync(id))["status"]));
    }

    [Fact]
    public async Task Without_the_permission_package_refund_callbacks_answer_code_11()
    {
        var (id, agent) = await PaidOrderAsync();
        var tenant = (await Host.AdminGet("/tenants/" + Tenant))!.AsObject();
        tenant["settings"] = new JsonObject { ["fliggybus"] = new JsonObject { ["refundPermission"] = false } };
        var (status, body) = await Host.AdminSend(HttpMethod.Put, "/tenants/" + Tenant, tenant);
        Assert.True(status == 200, $"PUT tenant: {status} {body}");
        var reply = await Top.CallAsync(Refund, new Dictionary<string, string>
        {
            [RefundParam] = new JsonObject { ["agent_order_id"] = agent, ["main_biz_order_id"] = long.Parse(id), ["agent_return_ticket_status"] = 1 }.ToJsonString(),
        });
        var error = reply.Json["error_response"]!;
        Assert.Equal(11, error["code"]!.GetValue<int>());
        Assert.Equal("isv.permission-api-package-limit", S(error["sub_code"]));
    }

    [Fact]
    public async Task Item_notify_answers_at_once_and_resyncs_the_route_and_date_within_5_seconds()
    {
        await SyncAsync();
        var scheduleId = Schedule(4, "1800");
        var date = DateTime.UtcNow.AddHours(8).AddDays(4).ToString("yyyy-MM-dd");
        Refused(await BusTopAsync(Notify, NotifyParam, new JsonObject { ["from_city"] = "杭州市", ["to_city"] = "上海市", ["from_date"] = "2030/01/01" }), "PARAM_ERROR");

        Operator.Apis.SetPrice(scheduleId, 7700);
        var before = Received(QimenMethods.NumberQuery).Count;
        var reply = await BusTopAsync(Notify, NotifyParam, new JsonObject { ["from_city"] = "杭州市", ["to_city"] = "上海市", ["from_date"] = date });
        Assert.True(reply["is_success"]!.GetValue<bool>(), reply.ToJsonString());
        var started = DateTime.UtcNow;
        while (true)
        {
            var schedules = (await Host.AdminGet($"/tenants/{Tenant}/fliggybus/catalogue"))!["routes"]!.AsArray()
                .SelectMany(r => r!["lineSchedule"]!.AsArray()).SelectMany(l => l!["scheduleList"]!.AsArray()).ToList();
            if (schedules.Single(s => S(s!["scheduleId"]) == scheduleId)!["ticketPrice"]!.GetValue<long>() == 7700)
            {
                // Only that date was asked for; the route's other dates are still there.
                Assert.Contains(schedules, s => S(s!["fromDate"]) != date);
                break;
            }
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the catalogue was not re-synced within 5 s");
            await Task.Delay(25);
        }
        var resync = Received(QimenMethods.NumberQuery).Skip(before).Single();
        Assert.Equal(date, S(resync["fromDate"]));
    }
}
