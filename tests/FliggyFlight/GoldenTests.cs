using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>
/// One golden reply per alitrip.flight method (and an error_response), in JSON and in XML, from a flow run on a frozen
/// tenant clock at a fixed instant so that the seeded catalogue is the same on every run. Ids, trade and ticket numbers,
/// keys and request ids are masked; everything else is compared (tests/Golden/fliggyflight).
/// </summary>
public partial class GoldenTests : FliggyTest
{
    static readonly HashSet<string> Volatile =
        ["order_id", "refund_order_id", "change_order_id", "alipay_trade_no", "ticket_no", "request_id", "search_id", "file_key", "item_id", "string"];

    [GeneratedRegex(@"^\d{13}$")]
    private static partial Regex Id();

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public async Task Every_reply_matches_its_golden_file(string format)
    {
        var replies = await RunFlow(format);
        var failures = new List<string>();
        foreach (var (name, body) in replies)
        {
            if (format == "json")
                try
                {
                    Golden.Assert("fliggyflight/" + name, Mask(JsonNode.Parse(body)));
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    failures.Add(e.Message);
                }
            else if (GoldenXml.Compare("fliggyflight/" + name, Mask(body)) is { } failure) failures.Add(failure);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(16, replies.Count);
    }

    static JsonNode? Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    if (Volatile.Contains(key) && o[key] is JsonValue) o[key] = "<" + key + ">";
                    else if (key is "order_no" or "refund_order_no" && o[key] is JsonValue v && Id().IsMatch(v.ToString())) o[key] = "<" + key + ">";
                    else Mask(o[key]);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is JsonValue) a[i] = a[i]!.ToString().StartsWith("att_", StringComparison.Ordinal) ? "<file_key>" : a[i]!.DeepClone();
                    else Mask(a[i]);
                break;
        }
        return node;
    }

    static string Mask(string xml)
    {
        var doc = XDocument.Parse(xml);
        foreach (var e in doc.Descendants().Where(e => !e.HasElements && Volatile.Contains(e.Name.LocalName)))
            e.Value = "{" + e.Name.LocalName + "}";
        return "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n" + doc.Root!.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The whole life of two orders, every method once; returns each method's raw reply.</summary>
    async Task<Dictionary<string, string>> RunFlow(string format)
    {
        var replies = new Dictionary<string, string>();
        var json = Top;
        var under = NewClient();
        under.Format = format;
        async Task<TopResponse> Call(string name, string method, Dictionary<string, string> p, IEnumerable<TopFilePart>? files = null)
        {
            var r = await under.CallAsync(method, p, files: files);
            Assert.Equal(200, r.Status);
            replies[name] = r.Body;
            return r;
        }
        string Str(long v) => v.ToString(CultureInfo.InvariantCulture);

        // The JSON client drives the flow; the client in the format under test makes each call whose reply is compared.
        var items = Items(Ok(await json.CallAsync(SearchMethod, P(("search_flight_info_req", new
        {
            search_od_info_list = new[] { new { dep_city_code = "BJS", arr_city_code = "SHA", dep_date = Day(30) } }, cabin_class = "C",
        }))), SearchMethod)["flight_item_list"], "flight_item");
        await Call("search", SearchMethod, P(("search_flight_info_req", new
        {
            search_od_info_list = new[] { new { dep_city_code = "BJS", arr_city_code = "SHA", dep_date = Day(30) } }, cabin_class = "C",
        })));
        var item = Plain(items);
        var booked = Ok(await json.CallAsync(AirbookMethod, P(("create_order_request", Booking(item, "GOLDEN-1")))), AirbookMethod);
        var orderId = L(booked["order_id"]);
        await Call("airbook", AirbookMethod, P(("create_order_request", Booking(item, "GOLDEN-1"))));
        await Call("pay", PayMethod, P(("order_id", Str(orderId)), ("total_price", S(booked["total_price"]))));
        await AdvanceAsync("PT10S");
        await Call("queryorderdetail", DetailMethod, P(("order_id", Str(orderId))));
        await Call("queryorderlist", ListMethod, P(("query_order_list_request", new { book_time_start = "2030-06-03 00:00:00", book_time_end = "2030-06-04 00:00:00" })));

        var pax = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" });
        await Call("refund.render", RenderMethod, P(("refund_render_request", new JsonObject { ["order_id"] = orderId, ["refund_apply_type"] = 1, ["refund_passenger_list"] = pax.DeepClone() })));
        var refund = Ok(await json.CallAsync(RefundMethod, P(("refund_create_request", new JsonObject
        {
            ["order_id"] = orderId, ["out_refund_no"] = "GOLDEN-R", ["refund_apply_type"] = 3, ["refund_passenger_list"] = pax.DeepClone(),
        }))), RefundMethod);
        await Call("refund.create", RefundMethod, P(("refund_create_request", new JsonObject
        {
            ["order_id"] = orderId, ["out_refund_no"] = "GOLDEN-R", ["refund_apply_type"] = 3, ["refund_passenger_list"] = pax.DeepClone(),
        })));
        var refundId = Str(L(refund["refund_order_id"]));
        await Call("upload", UploadMethod, P(("refund_order_id", refundId), ("file_name", "proof.pdf")),
            [new TopFilePart("file", "proof.pdf", "application/pdf", "%PDF-1.4 sandbox"u8.ToArray())]);
        await Call("refund.detail", RefundDetailMethod, P(("refund_order_id", refundId)));
        await Call("refund.list", RefundListMethod, P(("order_id", Str(orderId))));

        var second = Ok(await json.CallAsync(AirbookMethod, P(("create_order_request", Booking(item, "GOLDEN-2", Adult("李四", "110101198001011234"))))), AirbookMethod);
        var secondId = L(second["order_id"]);
        await PayAsync(secondId, D(second["total_price"]));
        await AdvanceAsync("PT10S");
        var secondDetail = await DetailAsync(secondId);
        var target = Items(Items(Plain(Items(Ok(await json.CallAsync(SearchMethod, P(("search_flight_info_req", new
        {
            search_od_info_list = new[] { new { dep_city_code = "BJS", arr_city_code = "SHA", dep_date = Day(31) } }, cabin_class = "F",
        }))), SearchMethod)["flight_item_list"], "flight_item"))["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0];
        var changeReq = new JsonObject
        {
            ["order_id"] = secondId, ["out_change_no"] = "GOLDEN-C", ["change_type"] = 1,
            ["change_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "李四", ["credential_no"] = "110101198001011234" }),
            ["new_flight_segment_list"] = new JsonArray(new JsonObject
            {
                ["original_flight_segment_id"] = S(Items(Items(secondDetail["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["id"]),
                ["market_flight_no"] = S(target["marketing_flight_no"]), ["dep_airport_code"] = S(target["dep_airport"]), ["arr_airport_code"] = S(target["arr_airport"]),
                ["flight_time"] = S(target["dep_time"]), ["cabin_code"] = S(target["cabin"]),
            }),
        };
        var change = Ok(await json.CallAsync(ChangeMethod, P(("change_order_create_request", changeReq))), ChangeMethod);
        await Call("change.order.create", ChangeMethod, P(("change_order_create_request", changeReq)));
        await Call("change.order.cancel", ChangeCancelMethod, P(("change_order_id", Str(L(change["change_order_id"])))));
        changeReq["out_change_no"] = "GOLDEN-C2";
        var changeId = Str(L(Ok(await json.CallAsync(ChangeMethod, P(("change_order_create_request", changeReq))), ChangeMethod)["change_order_id"]));
        await Call("change.order.pay", ChangePayMethod, P(("change_order_id", changeId), ("pay_amount", S(change["pay_amount"]))));
        await Call("change.order.query", ChangeQueryMethod, P(("order_id", Str(secondId))));

        var third = Ok(await json.CallAsync(AirbookMethod, P(("create_order_request", Booking(item, "GOLDEN-3", Adult("王五", "110101197001011239"))))), AirbookMethod);
        await Call("close", CloseMethod, P(("order_id", Str(L(third["order_id"]))), ("close_reason", "行程取消")));
        await Call("error_response", DetailMethod, P(("order_id", "x")));
        return replies;
    }
}
