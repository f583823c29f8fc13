using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>
/// Whatever arrives — broken JSON, wrong types, huge bodies, wrong methods — the answer is a TechHouse reply
/// (JSON with a non-zero status) or the documented 404/405, never an HTTP 500 and never the generic 1000 that
/// stands for an unhandled exception.
/// </summary>
public class BadInputTests : TechHouseTest
{
    async Task<JsonObject> PostRaw(byte[] body, string path = "/flight/booking", string? contentType = "application/json", bool chunked = false)
    {
        using var content = chunked ? new StreamContent(new NonSeekable(body)) : (HttpContent)new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var resp = await Host.Http.PostAsync(path, content);
        var text = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.StatusCode == HttpStatusCode.OK, $"HTTP {(int)resp.StatusCode}: {text}");
        Assert.Equal("application/json", resp.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static TheoryData<string> MalformedBodies =>
    [
        "",
        "{",
        "{\"action\": \"GetBalance\",",
        "action=GetBalance&key=x",
        "{'action': 'GetBalance'}",
        "{\"action\": \"GetBalance\"} trailing",
        new string('[', 100) + new string(']', 100),
        "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 41),
    ];

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_body_that_is_not_JSON_is_1004(string body) =>
        AssertError(1004, await PostRaw(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task Invalid_UTF8_in_a_name_or_a_value_is_1004()
    {
        AssertError(1004, await PostRaw([(byte)'{', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}']));
        var envelope = Encoding.UTF8.GetBytes(Client.Envelope("GetBalance", new JsonObject { ["apiBalance"] = "@@" }));
        var at = Array.IndexOf(envelope, (byte)'@');
        envelope[at] = 0xFF;
        envelope[at + 1] = 0xFE;
        AssertError(1004, await PostRaw(envelope));
    }

    /// <summary>A lone UTF-16 surrogate escape is valid JSON syntax but no string: a parameter error wherever it is, never 1000.</summary>
    [Theory]
    [InlineData("action", "\\ud800")]
    [InlineData("key", "abc\\udfff")]
    [InlineData("request.apiBalance", "\\udc00")]
    [InlineData("request.name", "x\\ud800\\u0041")]
    public async Task A_lone_surrogate_escape_is_1004(string where, string escape)
    {
        var envelope = JsonNode.Parse(Client.Envelope("GetBalance", new JsonObject { ["apiBalance"] = "1" }))!.AsObject();
        switch (where)
        {
            case "request.apiBalance":
                envelope["request"]!["apiBalance"] = "@@";
                break;
            case "request.name":
                envelope["request"]!.AsObject().Add("@@", "1");
                break;
            default:
                envelope[where] = "@@";
                break;
        }
        AssertError(1004, await PostRaw(Encoding.UTF8.GetBytes(envelope.ToJsonString().Replace("@@", escape))));
    }

    [Fact]
    public async Task A_surrogate_pair_escape_is_an_ordinary_character()
    {
        var text = Client.Envelope("GetBalance", new JsonObject { ["note"] = "@@" }).Replace("@@", "\\ud83d\\ude00");
        AssertSuccess(await PostRaw(Encoding.UTF8.GetBytes(text)), "success");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"action\":\"GetBalance\"}]")]
    [InlineData("\"GetBalance\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task A_JSON_body_that_is_not_an_object_is_1004(string body) =>
        AssertError(1004, await PostRaw(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("action", "{}", 1004)]
    [InlineData("action", "[\"GetBalance\"]", 1004)]
    [InlineData("action", "42", 1002)]
    [InlineData("action", "null", 1001)]
    [InlineData("action", "\"\"", 1001)]
    [InlineData("key", "{}", 1004)]
    [InlineData("key", "12345", 1101)]
    [InlineData("signature", "[]", 1004)]
    [InlineData("signature", "null", 1001)]
    [InlineData("timestamp", "{}", 1004)]
    [InlineData("timestamp", "1500375695.65", 1101)] // a number's text is signed; this one does not match the signature
    [InlineData("request", "null", 1001)]
    [InlineData("request", "42", 1004)]
    [InlineData("request", "\"{}\"", 1004)]
    [InlineData("request", "[]", 1004)]
    public async Task A_wrongly_typed_envelope_field_gets_a_TechHouse_error(string field, string json, int status)
    {
        var body = JsonNode.Parse(Client.Envelope("GetBalance", new JsonObject()))!.AsObject();
        body[field] = JsonNode.Parse(json);
        AssertError(status, await PostRaw(Encoding.UTF8.GetBytes(body.ToJsonString())));
    }

    [Fact]
    public async Task A_content_type_other_than_JSON_is_accepted_when_the_body_parses()
    {
        var body = Encoding.UTF8.GetBytes(Client.Envelope("GetBalance", new JsonObject()));
        AssertSuccess(await PostRaw(body, "/flight/order", "text/plain"));
        AssertSuccess(await PostRaw(body, "/flight/order", contentType: null));
    }

    [Fact]
    public async Task A_2_MB_body_is_1004_without_being_read()
    {
        var body = Encoding.UTF8.GetBytes(Client.Envelope("GetBalance", new JsonObject { ["pad"] = new string('x', 2 * 1024 * 1024) }));
        var reply = await PostRaw(body);
        AssertError(1004, reply);
        Assert.Contains("too large", Str(reply["msg"]));
    }

    [Fact]
    public async Task A_2_MB_chunked_body_without_a_length_is_1004()
    {
        var body = Encoding.UTF8.GetBytes(Client.Envelope("GetBalance", new JsonObject { ["pad"] = new string('x', 2 * 1024 * 1024) }));
        AssertError(1004, await PostRaw(body, chunked: true));
    }

    [Fact]
    public async Task A_chunked_body_beyond_the_servers_own_4_MB_limit_still_gets_a_TechHouse_reply()
    {
        var body = Encoding.UTF8.GetBytes(Client.Envelope("GetBalance", new JsonObject { ["pad"] = new string('x', 5 * 1024 * 1024) }));
        AssertError(1004, await PostRaw(body, chunked: true));
    }

    [Fact]
    public async Task A_body_with_a_length_beyond_the_servers_own_4_MB_limit_still_gets_a_TechHouse_reply()
    {
        var body = Encoding.UTF8.GetBytes(Client.Envelope("GetBalance", new JsonObject { ["pad"] = new string('x', 5 * 1024 * 1024) }));
        AssertError(1004, await PostRaw(body));
    }

    [Fact]
    public async Task A_large_body_under_the_1_MB_limit_is_processed() =>
        AssertSuccess(await PostRaw(Encoding.UTF8.GetBytes(Client.Envelope("GetBalance", new JsonObject { ["pad"] = new string('x', 900 * 1024) })), "/flight/order"));

    [Theory]
    [InlineData("GET", "/flight/booking")]
    [InlineData("GET", "/flight/order")]
    [InlineData("PUT", "/flight/booking")]
    [InlineData("DELETE", "/flight/order")]
    [InlineData("PATCH", "/flight/booking")]
    public async Task A_method_other_than_POST_is_405_in_TechHouse_format(string method, string path)
    {
        using var req = new HttpRequestMessage(new HttpMethod(method), path);
        using var resp = await Host.Http.SendAsync(req);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, resp.StatusCode);
        var reply = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!.AsObject();
        Assert.NotEqual(0, Status(reply));
        Assert.Equal(["msg", "status"], reply.Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData("/flight")]
    [InlineData("/flight/bookings")]
    [InlineData("/flight/booking/Commit")]
    [InlineData("/api/flight/booking")]
    public async Task An_unknown_path_is_404(string path)
    {
        using var resp = await Host.Http.PostAsync(path, new StringContent(Client.Envelope("GetBalance", new JsonObject()), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
    }

    public static TheoryData<string> Actions => EnvelopeTests.Actions;

    static readonly JsonNode?[] WrongValues =
    [
        JsonValue.Create(123), JsonValue.Create(-1), JsonValue.Create(1.5e300), JsonValue.Create("x"), JsonValue.Create(""),
        new JsonObject(), new JsonArray(), JsonValue.Create(true), null, JsonValue.Create(new string('9', 5000)),
    ];

    /// <summary>
    /// Every field of a valid request, at every depth, replaced by each wrong type in turn: the reply is always a
    /// TechHouse JSON reply and never 1000 (the generic error an unhandled exception becomes).
    /// </summary>
    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Every_field_of_every_action_replaced_by_a_wrong_type_gets_a_TechHouse_reply(string action)
    {
        var valid = await ValidRequest(action);
        var paths = Paths(valid, []).ToList();
        Assert.NotEmpty(paths);
        var failures = new List<string>();
        foreach (var path in paths)
        foreach (var value in WrongValues)
        {
            var mutated = valid.DeepClone().AsObject();
            Set(mutated, path, value?.DeepClone());
            var (http, body, _) = await Client.Raw(PathOf(action), Client.Envelope(action, mutated));
            JsonObject? reply = null;
            try { reply = JsonNode.Parse(body) as JsonObject; }
            catch (JsonException) { }
            var where = $"{string.Join(".", path)} = {value?.ToJsonString() ?? "null"}";
            if (http != 200 || reply?["status"] is not JsonValue status || reply["msg"] is not JsonValue)
                failures.Add($"{where}: HTTP {http} {body[..Math.Min(200, body.Length)]}");
            else if (status.GetValue<int>() == 1000)
                failures.Add($"{where}: generic error 1000 (an unhandled exception) {body}");
            else if (status.GetValue<int>() == 0 && action is "SetPassengers" or "Commit")
                valid = await ValidRequest(action); // the session moved on: continue with a fresh one
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    static IEnumerable<object[]> Paths(JsonNode node, object[] prefix)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    object[] p = [.. prefix, k];
                    yield return p;
                    if (v is not null) foreach (var deeper in Paths(v, p)) yield return deeper;
                }
                break;
            case JsonArray a when a.Count > 0:
                object[] first = [.. prefix, 0];
                yield return first;
                if (a[0] is { } item) foreach (var deeper in Paths(item, first)) yield return deeper;
                break;
        }
    }

    static void Set(JsonNode root, object[] path, JsonNode? value)
    {
        var parent = root;
        foreach (var step in path[..^1]) parent = step is int i ? parent[i]! : parent[(string)step]!;
        if (path[^1] is int index) parent.AsArray()[index] = value;
        else parent[(string)path[^1]] = value;
    }

    async Task<JsonObject> ValidRequest(string action)
    {
        string? sessionId = null;
        JsonObject? routing = null;
        async Task Priced() => (routing, sessionId) = await Client.PriceAsync();
        async Task WithPassengers() => (routing, sessionId) = await Client.WithPassengersAsync();
        JsonObject Seg() => SegmentRef(routing!["fromSegments"]![0]!);
        switch (action)
        {
            case "LowFareSearch":
                var search = SearchRequest("PEK", "SHA", FutureDate(), FutureDate(33));
                search["timeout"] = 10;
                search["sync"] = 1;
                search["currency"] = "CNY";
                return search;
            case "AirPricing":
                var found = await Client.Call("LowFareSearch", SearchRequest("PEK", "SHA", FutureDate()));
                var r = found["routings"]![0]!.AsObject();
                return new JsonObject
                {
                    ["routing"] = new JsonObject { ["data"] = Str(r["data"]), ["fromSegments"] = r["fromSegments"]!.DeepClone(), ["retSegments"] = new JsonArray() },
                    ["currency"] = "CNY", ["adultNumber"] = "1", ["childNumber"] = "0", ["timeout"] = "30", ["tripType"] = "1",
                };
            case "SetPassengers":
                await Priced();
                return new JsonObject
                {
                    ["sessionId"] = sessionId, ["routeType"] = 1, ["passengers"] = new JsonArray(Passenger("0", "LIU")), ["contact"] = Contact(),
                };
            case "GetSSRAvailability":
                await Priced();
                return new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["segments"] = new JsonArray(Seg()) };
            case "SellSSR":
                await WithPassengers();
                var sale = Seg();
                sale["ssrcode"] = "PA20";
                sale["count"] = 1;
                sale["passengerId"] = "0";
                return new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["ssrs"] = new JsonArray(sale) };
            case "GetSeatAvailability":
                await Priced();
                var map = Seg();
                map["sessionId"] = sessionId;
                map["routeType"] = 1;
                return map;
            case "AssignSeats":
                await WithPassengers();
                var assign = Seg();
                assign["sessionId"] = sessionId;
                assign["routeType"] = 1;
                var seats = await Client.Call("GetSeatAvailability", assign);
                var open = seats["result"]!["seats"]!.AsArray().First(s => Str(s!["availability"]) == "Open")!;
                assign["seats"] = new JsonArray(new JsonObject { ["designator"] = Str(open["designator"]), ["passengerId"] = "0" });
                return assign;
            case "GetBookingPayments":
                await Priced();
                return new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1 };
            case "SetPaymentToBooking":
                await WithPassengers();
                return new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["paymentCode"] = "AG", ["payCurrency"] = "CNY" };
            case "GetAirlinesAndRoutings":
                return new JsonObject { ["sessionId"] = "77935418d55fd48629be0643557121f4", ["routeType"] = 1 };
            case "GetBalance":
                return new JsonObject { ["sessionId"] = "77935418d55fd48629be0643557121f4", ["routeType"] = 1, ["apiBalance"] = "xx" };
            case "Commit":
                await WithPassengers();
                await Client.PayAsync(sessionId!, "CNY");
                return new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["timeout"] = 60 };
            case "GetOrderList":
                await Client.BookAsync();
                return new JsonObject
                {
                    ["startTime"] = "2020-01-01T00:00:00+08:00", ["endTime"] = "2099-01-01T00:00:00+08:00", ["routeType"] = 1, ["orderStatus"] = "PENDING",
                };
            case "GetOrderDetail":
                var order = await Client.BookAsync();
                return new JsonObject { ["orderno"] = Str(order["orderNo"]), ["email"] = "qa@example.com", ["cardIssuePlace"] = "CN", ["routeType"] = 1 };
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    /// <summary>A stream without a length, so HttpClient sends the body chunked.</summary>
    sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
