using System.Text.Json.Nodes;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>
/// Bad input of any kind, to every method: the reply is always a TOP reply (HTTP 200, parseable, an error_response or
/// a business failure) and never the generic isp.unknown-error that an unexpected exception would become.
/// </summary>
public class BadInputTests : FliggyTest
{
    static readonly string[] Garbage =
    [
        "", " ", "null", "[]", "{}", "{\"a\":", "-1", "0", "99999999999999999999999", "1e400", "true", "中文", "\u0001\u0002", "1.5",
        new string('[', 200) + new string(']', 200), "{\"x\":" + new string('{', 50) + new string('}', 51),
    ];

    /// <summary>Values a JSON field can have that the API does not expect.</summary>
    static readonly JsonNode?[] WrongFields =
        [null, new JsonObject(), new JsonArray(), "x", "", -1, 0, 1e30, 99999999999999999, true, new JsonArray(new JsonObject()), "2030-13-45 25:61:61"];

    static readonly (string Method, string[] Params)[] Methods =
    [
        (SearchMethod, ["search_flight_info_req"]), (AirbookMethod, ["create_order_request"]), (CloseMethod, ["order_id", "close_reason"]),
        (PayMethod, ["order_id", "total_price"]), (ListMethod, ["query_order_list_request"]), (DetailMethod, ["order_id", "out_order_no"]),
        (RenderMethod, ["refund_render_request"]), (RefundMethod, ["refund_create_request"]), (UploadMethod, ["refund_order_id", "file_name"]),
        (RefundDetailMethod, ["refund_order_id"]), (RefundListMethod, ["order_id"]), (ChangeMethod, ["change_order_create_request"]),
        (ChangeCancelMethod, ["change_order_id"]), (ChangePayMethod, ["change_order_id", "pay_amount"]), (ChangeQueryMethod, ["order_id", "change_order_id"]),
    ];

    static void AssertTopReply(TopResponse r, string method, string what)
    {
        Assert.True(r.Status == 200, $"{method} {what}: HTTP {r.Status} {r.Body}");
        JsonObject json;
        try
        {
            json = r.Json;
        }
        catch (System.Text.Json.JsonException)
        {
            Assert.Fail($"{method} {what}: not JSON: {r.Body}");
            return;
        }
        if (json["error_response"] is { } e)
        {
            Assert.NotEqual("isp.unknown-error", e["sub_code"]?.GetValue<string>());
            return;
        }
        Assert.NotNull(r.Inner(method)["is_success"]);
    }

    [Fact]
    public async Task Every_parameter_of_every_method_with_garbage()
    {
        foreach (var (method, parameters) in Methods)
        foreach (var name in parameters)
        foreach (var value in Garbage)
            AssertTopReply(await Top.CallAsync(method, new Dictionary<string, string> { [name] = value }), method, $"{name}={value}");
    }

    [Fact]
    public async Task Every_field_of_the_structured_parameters_with_the_wrong_kind_of_value()
    {
        var (orderId, detail) = await TicketedAsync("BAD-1");
        var item = Plain(await SearchAsync());
        var segment = S(Items(Items(detail["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["id"]);
        var pax = new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777", ["flight_segment_id_list"] = new JsonArray(segment) };
        var valid = new (string Method, string Param, JsonObject Request)[]
        {
            (SearchMethod, "search_flight_info_req", new JsonObject
            {
                ["cabin_class"] = "Y", ["search_mode"] = 2, ["adult_num"] = 1, ["child_num"] = 0, ["infant_num"] = 0,
                ["search_od_info_list"] = new JsonArray(new JsonObject { ["dep_city_code"] = "BJS", ["arr_city_code"] = "SHA", ["dep_date"] = Day(30) }),
                ["search_selected_flight_list"] = new JsonArray(new JsonObject
                {
                    ["dep_airport_code"] = "PEK", ["arr_airport_code"] = "SHA", ["market_flight_no"] = "CA1000", ["flight_time"] = Day(30) + " 08:00:00", ["cabin_code"] = "Y",
                }),
            }),
            (AirbookMethod, "create_order_request", Booking(item, "BAD-2", Adult(), Child("张小三", "110101202201011230", "2022-01-01"))),
            (ListMethod, "query_order_list_request", new JsonObject
            {
                ["book_time_start"] = "2030-06-03 00:00:00", ["book_time_end"] = "2030-06-04 00:00:00", ["order_status_code"] = 3, ["page_no"] = 1, ["page_size"] = 10,
            }),
            (RenderMethod, "refund_render_request", new JsonObject { ["order_id"] = orderId, ["refund_apply_type"] = 1, ["refund_passenger_list"] = new JsonArray(pax.DeepClone()) }),
            (RefundMethod, "refund_create_request", new JsonObject
            {
                ["order_id"] = orderId, ["out_refund_no"] = "BAD-R", ["refund_apply_type"] = 1, ["all_refund_fee"] = 1, ["refund_reason"] = "x",
                ["refund_passenger_list"] = new JsonArray(pax.DeepClone()),
            }),
            (ChangeMethod, "change_order_create_request", new JsonObject
            {
                ["order_id"] = orderId, ["out_change_no"] = "BAD-C", ["change_type"] = 1, ["change_fee_total"] = 1,
                ["change_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" }),
                ["new_flight_segment_list"] = new JsonArray(new JsonObject
                {
                    ["original_flight_segment_id"] = segment, ["market_flight_no"] = "CA1000", ["dep_airport_code"] = "PEK", ["arr_airport_code"] = "SHA",
                    ["flight_time"] = Day(31) + " 08:00:00", ["cabin_code"] = "Y",
                }),
            }),
        };
        foreach (var (method, param, request) in valid)
        foreach (var path in Paths(request))
        foreach (var wrong in WrongFields)
        {
            var mutated = request.DeepClone().AsObject();
            Replace(mutated, path, wrong);
            AssertTopReply(await Top.CallAsync(method, P((param, mutated))), method, $"{path}={wrong?.ToJsonString() ?? "null"}");
        }
    }

    /// <summary>Every field path of an object, into the first element of its lists.</summary>
    static IEnumerable<string[]> Paths(JsonObject o, string[]? prefix = null)
    {
        foreach (var (k, v) in o)
        {
            string[] path = [.. prefix ?? [], k];
            yield return path;
            var inner = v as JsonObject ?? (v as JsonArray)?.FirstOrDefault() as JsonObject;
            if (inner is not null)
                foreach (var p in Paths(inner, v is JsonArray ? [.. path, "0"] : path))
                    yield return p;
        }
    }

    static void Replace(JsonObject root, string[] path, JsonNode? value)
    {
        JsonNode node = root;
        for (var i = 0; i < path.Length - 1; i++)
            node = path[i] == "0" ? node.AsArray()[0]! : node[path[i]]!;
        if (path[^1] == "0") node.AsArray()[0] = value?.DeepClone();
        else node.AsObject()[path[^1]] = value?.DeepClone();
    }
}
