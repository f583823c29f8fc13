using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Engine.Clock;
using Sandbox.Suppliers.Top.Tmc;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>
/// A fresh sandbox per test with a recording TMC publisher, the demo tenant's clock frozen at a fixed instant (so the
/// seeded catalogue is the same every run and nothing fires unless the test advances it), and a TOP client signing
/// with the demo app key, secret and standing session.
/// </summary>
public abstract class FliggyTest : IAsyncLifetime
{
    /// <summary>Monday 3 June 2030, 09:00 China time.</summary>
    protected static readonly DateTimeOffset Frozen = new(2030, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    protected const string SearchMethod = "alitrip.flight.service.search";
    protected const string AirbookMethod = "alitrip.flight.service.airbook";
    protected const string PayMethod = "alitrip.flight.service.pay";
    protected const string CloseMethod = "alitrip.flight.service.close";
    protected const string DetailMethod = "alitrip.flight.service.queryorderdetail";
    protected const string ListMethod = "alitrip.flight.service.queryorderlist";
    protected const string RenderMethod = "alitrip.flight.refund.render";
    protected const string RefundMethod = "alitrip.flight.refund.create";
    protected const string UploadMethod = "alitrip.flight.service.upload";
    protected const string RefundDetailMethod = "alitrip.flight.refund.detail";
    protected const string RefundListMethod = "alitrip.flight.refund.list";
    protected const string ChangeMethod = "alitrip.flight.change.order.create";
    protected const string ChangeCancelMethod = "alitrip.flight.change.order.cancel";
    protected const string ChangePayMethod = "alitrip.flight.change.order.pay";
    protected const string ChangeQueryMethod = "alitrip.flight.change.order.query";

    protected SandboxHost Host { get; private set; } = null!;
    protected TopClient Top { get; private set; } = null!;
    protected RecordingTmcPublisher Tmc { get; } = new();

    /// <summary>Whether the host gets the recording publisher (a test of the production default turns it off).</summary>
    protected virtual bool RecordTmc => true;

    public virtual async Task InitializeAsync()
    {
        Host = await SandboxHost.StartAsync(configure: RecordTmc ? b => b.Services.AddSingleton<ITmcPublisher>(Tmc) : null);
        await Host.FreezeClockAsync(Frozen);
        Top = NewClient();
    }

    public virtual async Task DisposeAsync() => await Host.DisposeAsync();

    protected TopClient NewClient(string appKey = "12345678", string secret = "helloworld", string? session = "test-session", string tenant = "demo") =>
        new(Host.Http, appKey, secret, () => Host.Service<VirtualClock>().Now(tenant)) { Session = session };

    protected static string Day(int daysAhead) => Frozen.AddDays(daysAhead).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    protected static string Json(object o) => JsonSerializer.Serialize(o);

    protected static Dictionary<string, string> P(params (string Key, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value as string ?? (p.Value is JsonNode n ? n.ToJsonString() : Json(p.Value)));

    /// <summary>The API's fields of a successful business reply.</summary>
    protected static JsonObject Ok(TopResponse r, string method)
    {
        Assert.True(r.Status == 200, $"HTTP {r.Status}: {r.Body}");
        Assert.True(r.Error is null, $"{method}: error_response {r.Body}");
        var inner = r.Inner(method);
        Assert.True(inner["is_success"]?.GetValue<bool>() == true, $"{method}: {r.Body} ({r.Diagnostic})");
        Assert.Null(inner["code"]);
        Assert.Null(inner["sub_code"]);
        return inner;
    }

    /// <summary>A business failure (spec §2.1): the method's own reply, is_success false, the catalogue's code and message only.</summary>
    protected static JsonObject Fails(TopResponse r, string method, string code, string? msg = null)
    {
        Assert.True(r.Status == 200, $"HTTP {r.Status}: {r.Body}");
        Assert.True(r.Error is null, $"{method}: expected {code}, got {r.Body}");
        var inner = r.Inner(method);
        Assert.True(inner["error_code_info"]?.GetValue<string>() == code, $"{method}: expected {code}, got {r.Body} ({r.Diagnostic})");
        Assert.False(inner["is_success"]!.GetValue<bool>());
        Assert.Equal(["error_code_info", "error_msg", "is_success", "request_id"], inner.Select(p => p.Key).Order(StringComparer.Ordinal));
        if (msg is not null) Assert.Equal(msg, inner["error_msg"]!.GetValue<string>());
        return inner;
    }

    /// <summary>A platform error: error_response with this code, HTTP 200.</summary>
    protected static JsonObject TopError(TopResponse r, int code, string? subCode = null)
    {
        Assert.True(r.Status == 200, $"HTTP {r.Status}: {r.Body}");
        var e = r.Error;
        Assert.True(e is not null && e["code"]!.GetValue<int>() == code, $"expected error_response {code}, got {r.Body} ({r.Diagnostic})");
        if (subCode is not null) Assert.Equal(subCode, e!["sub_code"]?.GetValue<string>());
        Assert.Matches("^[0-9a-z]{13}$", e!["request_id"]!.GetValue<string>());
        return e;
    }

    protected static string S(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n!.ToJsonString();
    protected static decimal D(JsonNode? n) => n!.GetValue<decimal>();
    protected static long L(JsonNode? n) => n!.GetValue<long>();
    protected static int I(JsonNode? n) => n!.GetValue<int>();

    /// <summary>A list field: <c>{"x_list": {"x": [...]}}</c> in the standard JSON, a plain array in the simplified one.</summary>
    protected static List<JsonObject> Items(JsonNode? list, string item) =>
        (list as JsonArray ?? list?[item]?.AsArray())?.Select(x => x!.AsObject()).ToList() ?? [];

    protected async Task AdvanceAsync(string by) => await Host.AdvanceAsync(by);

    /// <summary>Stops the sandbox and boots it again on the same store; the client follows the new listener.</summary>
    protected async Task RestartAsync()
    {
        await Host.RestartAsync();
        Top = NewClient();
    }

    // ---- steps of a booking

    protected async Task<List<JsonObject>> SearchAsync(string from = "BJS", string to = "SHA", int daysAhead = 30, object? extra = null)
    {
        var req = new JsonObject
        {
            ["search_od_info_list"] = new JsonArray(new JsonObject { ["dep_city_code"] = from, ["arr_city_code"] = to, ["dep_date"] = Day(daysAhead) }),
        };
        if (extra is not null)
            foreach (var (k, v) in JsonSerializer.SerializeToNode(extra)!.AsObject()) req[k] = v?.DeepClone();
        var r = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", req)));
        return Items(Ok(r, SearchMethod)["flight_item_list"], "flight_item");
    }

    protected static JsonObject Adult(string name = "张三", string id = "110101199003077777") =>
        new() { ["name"] = name, ["type"] = 0, ["credential_type"] = 0, ["credential_no"] = id };

    protected static JsonObject Child(string name, string id, string birthday) =>
        new() { ["name"] = name, ["type"] = 1, ["credential_type"] = 0, ["credential_no"] = id, ["birthday"] = birthday };

    protected static JsonObject Infant(string name, string id, string birthday) =>
        new() { ["name"] = name, ["type"] = 2, ["credential_type"] = 15, ["credential_no"] = id, ["birthday"] = birthday };

    /// <summary>create_order_request for an item: its prices as search gave them and the §2.2 total for these passengers.</summary>
    protected static JsonObject Booking(JsonObject item, string outOrderNo, params JsonObject[] passengers)
    {
        if (passengers.Length == 0) passengers = [Adult()];
        int Count(int type) => passengers.Count(p => p["type"]!.GetValue<int>() == type);
        decimal F(string f) => item[f]!.GetValue<decimal>();
        var total = Count(0) * (F("adt_flight_item_price") + F("adt_build_fee") + F("adt_oil_fee"))
                    + Count(1) * (F("chd_flight_item_price") + F("chd_total_fee"))
                    + Count(2) * (F("inf_flight_item_price") + F("inf_total_fee"));
        var req = new JsonObject
        {
            ["out_order_no"] = outOrderNo,
            ["item_id"] = S(item["item_id"]),
            ["total_price"] = total,
            ["adt_flight_item_price"] = F("adt_flight_item_price"),
            ["adt_build_fee"] = F("adt_build_fee"),
            ["adt_oil_fee"] = F("adt_oil_fee"),
            ["contact"] = new JsonObject { ["name"] = "张三", ["mobile_phone_number"] = "13800000000", ["mobile_country_code"] = "86" },
            ["passenger_list"] = new JsonArray(passengers.Select(p => (JsonNode)p.DeepClone()).ToArray()),
        };
        if (Count(1) > 0)
        {
            req["chd_flight_item_price"] = F("chd_flight_item_price");
            req["chd_build_fee"] = F("chd_build_fee");
            req["chd_oil_fee"] = F("chd_oil_fee");
            req["chd_total_fee"] = F("chd_total_fee");
        }
        if (Count(2) > 0) req["inf_flight_item_price"] = F("inf_flight_item_price");
        if (item["member_type"] is not null) req["allow_register_or_query_member"] = true;
        if (item["member_type"]?.GetValue<int>() == 1)
            req["member_buyer"] = new JsonObject
            {
                ["name"] = "张三", ["credential_type"] = 0, ["credential_no"] = "110101199003077777", ["mobile_country_code"] = "86", ["mobile_phone_number"] = "13800000000",
            };
        return req;
    }

    /// <summary>The first plain (non-member) item of a product type.</summary>
    protected static JsonObject Plain(List<JsonObject> items, string product = "OTA") =>
        items.First(i => S(i["product_type"]) == product && i["member_type"] is null);

    protected async Task<TopResponse> AirbookAsync(JsonObject booking) =>
        await Top.CallAsync(AirbookMethod, P(("create_order_request", booking)));

    /// <summary>Search, book the first plain OTA item for the passengers; returns the airbook reply.</summary>
    protected async Task<JsonObject> BookAsync(string outOrderNo = "SANDBOX-1", int daysAhead = 30, params JsonObject[] passengers)
    {
        var item = Plain(await SearchAsync(daysAhead: daysAhead));
        return Ok(await AirbookAsync(Booking(item, outOrderNo, passengers)), AirbookMethod);
    }

    protected async Task<JsonObject> PayAsync(long orderId, decimal total) =>
        Ok(await Top.CallAsync(PayMethod, P(("order_id", orderId.ToString(CultureInfo.InvariantCulture)), ("total_price", total.ToString(CultureInfo.InvariantCulture)))), PayMethod);

    protected async Task<JsonObject> DetailAsync(long orderId) =>
        Ok(await Top.CallAsync(DetailMethod, P(("order_id", orderId.ToString(CultureInfo.InvariantCulture)))), DetailMethod);

    /// <summary>Book, pay and let ticketing complete (10 virtual seconds): a TICKETED order.</summary>
    protected async Task<(long OrderId, JsonObject Detail)> TicketedAsync(string outOrderNo = "SANDBOX-T", int daysAhead = 30, params JsonObject[] passengers)
    {
        var booked = await BookAsync(outOrderNo, daysAhead, passengers);
        var id = L(booked["order_id"]);
        await PayAsync(id, D(booked["total_price"]));
        await AdvanceAsync("PT10S");
        var detail = await DetailAsync(id);
        Assert.Equal(3, I(detail["order_status_code"]));
        return (id, detail);
    }
}
