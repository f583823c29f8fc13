using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// Golden files of what the operator sees (tests/Golden/fliggybus): the body of each of the 11 Qimen requests Fliggy
/// sends in a full loop, and the taobao.bus.* replies in JSON and XML. Order ids, dates and times, schedule and ticket
/// ids, trade numbers and request ids are masked; every field name and value else is compared.
/// </summary>
public sealed partial class BusGoldenTests : BusLoop
{
    [System.Text.RegularExpressions.GeneratedRegex("<request_id>[^<]*</request_id>")]
    private static partial System.Text.RegularExpressions.Regex RequestId();

    static readonly HashSet<string> Volatile =
    [
        "alitripOrderId", "agentOrderId", "alipayTradeNo", "fromDate", "fromTime", "scheduleId", "ticketId", "fromDateTimeBegin", "fromDateTimeEnd",
        "request_id",
    ];

    static JsonNode? Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    if (Volatile.Contains(key) && o[key] is JsonValue) o[key] = "<" + key + ">";
                    else Mask(o[key]);
                break;
            case JsonArray a:
                foreach (var item in a) Mask(item);
                break;
        }
        return node;
    }

    [Fact]
    public async Task The_request_body_of_every_merchant_api_matches_its_golden_file()
    {
        await SyncAsync();
        var id = S((await BookAsync(Schedule(5)))["alitripOrderId"]);
        await ActAsync(id, "pay");
        await ActAsync(id, "query");
        await ActAsync(id, "refund", new { passengerIds = new[] { "1" } });
        var unpaid = S((await BookAsync(Schedule(6), passengers: 1))["alitripOrderId"]);
        await ActAsync(unpaid, "expire");
        await AdvanceAsync("PT30M");

        var failures = new List<string>();
        foreach (var method in QimenMethods.Names)
        {
            var body = Received(method).FirstOrDefault();
            if (body is null)
            {
                failures.Add($"the operator received no {method}");
                continue;
            }
            try
            {
                Golden.Assert("fliggybus/" + method.Replace("qimen.alitrip.custombus.", "qimen."), Mask(body));
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public async Task The_taobao_bus_replies_match_their_golden_files(string format)
    {
        Operator.Apis.AsyncTicketing = true;
        await SyncAsync();
        var id = S((await BookAsync(Schedule(5)))["alitripOrderId"]);
        await ActAsync(id, "pay");
        var cert = S((await OrderAsync(id))["tickets"]![0]!["passengerCertificateNo"]);
        Top.Format = format;
        var calls = new (string Name, string Method, string Parameter, JsonObject? Request)[]
        {
            ("bookticket.confirm", "taobao.bus.agent.bookticket.confirm", "param_agent_confirm_book_r_q", Operator.Apis.Issued(id)),
            ("refund.confirm.order-not-found", "taobao.bus.agent.refund.confirm", "param_agent_confirm_return_and_refund_r_q",
                new JsonObject { ["agent_order_id"] = "NONE", ["agent_return_ticket_status"] = 1 }),
            ("multiple.refund.confirm", "taobao.bus.agent.multiple.refund.confirm", "param_agent_multiple_refund_r_q", new JsonObject
            {
                ["agent_order_id"] = Operator.Apis.AgentOrderId(id), ["agent_refund_reason"] = "补偿", ["agent_refund_trans_no"] = "G1",
                ["main_biz_order_id"] = long.Parse(id), ["total_refund_amount"] = 100,
                ["refund_ticket_detail_list"] = new JsonArray(new JsonObject { ["passenger_id_num"] = cert, ["refund_amount"] = 100 }),
            }),
            ("item.notify", "taobao.bus.item.notify", "param_top_item_change_notify_r_q",
                new JsonObject { ["from_city"] = "杭州市", ["to_city"] = "宁波市", ["from_date"] = DateTime.UtcNow.AddHours(8).AddDays(2).ToString("yyyy-MM-dd") }),
            ("error_response", "taobao.bus.item.notify", "param_top_item_change_notify_r_q", null),
        };
        var failures = new List<string>();
        foreach (var (name, method, parameter, request) in calls)
        {
            var reply = await Top.CallAsync(method, request is null ? null : new Dictionary<string, string> { [parameter] = request.ToJsonString() });
            try
            {
                if (format == "json") Golden.Assert("fliggybus/" + name, Mask(JsonNode.Parse(reply.Body)));
                else if (GoldenXml.Compare("fliggybus/" + name, RequestId().Replace(reply.Body, "<request_id>{request_id}</request_id>")) is { } failure)
                    failures.Add(failure);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
