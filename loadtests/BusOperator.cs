using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandbox.LoadTests;

/// <summary>
/// A small bus operator for load runs, on a loopback port in the generator's process: the 11 custom-bus Qimen APIs
/// Fliggy calls, each request verified as Qimen's <c>SpiUtils.checkSign</c> and <c>checkTimestamp</c> do (header, query
/// and body parameters, MD5 over the secret-wrapped sorted pairs and the raw body; 10 minutes). One route of 30 days of
/// departures with seats that never run out, orders idempotent on alitripOrderId, tickets issued at once, refunds free.
/// It stands in for an integrator's operator when none is given, so the sandbox's side of the loop can be measured.
/// </summary>
public sealed class BusOperator : IAsyncDisposable
{
    public const string AppKey = "load-operator";

    private const string Path = "qimen";
    private const string Line = "LT01";
    private const long Price = 5000;
    private static readonly string[] Times = ["07:00", "09:30", "12:00", "14:30", "17:00", "19:30"];

    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Method, string AlitripOrderId), int> _seen = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _createdFor = new(StringComparer.Ordinal);
    private readonly string _schedules;
    private WebApplication? _app;
    private long _sequence;
    private long _refusedSignatures;

    private BusOperator(string secret)
    {
        Secret = secret;
        var today = DateTime.UtcNow.AddHours(8).Date;
        var list = new JsonArray();
        for (var day = 3; day <= 30; day++)
        {
            var date = today.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var time in Times)
            {
                list.Add(new JsonObject
                {
                    ["scheduleId"] = $"{Line}-{date.Replace("-", "", StringComparison.Ordinal)}-{time.Replace(":", "", StringComparison.Ordinal)}",
                    ["fromDate"] = date, ["fromTime"] = time, ["ticketPrice"] = Price, ["leftTicketCnt"] = 999, ["saleStatus"] = 1,
                });
            }
        }

        _schedules = new JsonObject
        {
            ["retCode"] = "0", ["retDesc"] = "成功", ["success"] = true,
            ["lineSchedule"] = new JsonArray(new JsonObject
            {
                ["line"] = new JsonObject
                {
                    ["id"] = Line, ["name"] = "杭州-上海", ["fromTimeType"] = 1, ["fromCity"] = "杭州市", ["toCity"] = "上海市",
                    ["stationList"] = new JsonArray(
                        new JsonObject { ["stationCode"] = "HZ", ["stationName"] = "杭州东站", ["seq"] = 1, ["stationFunction"] = 1, ["stationType"] = 1, ["longitude"] = "120.2126", ["latitude"] = "30.2908" },
                        new JsonObject { ["stationCode"] = "SH", ["stationName"] = "上海虹桥站", ["seq"] = 2, ["stationFunction"] = 2, ["stationType"] = 1, ["longitude"] = "121.3202", ["latitude"] = "31.1940" }),
                    ["isRefund"] = true, ["isOrderRefund"] = false, ["maxSellNum"] = 9,
                },
                ["scheduleList"] = list,
            }),
        }.ToJsonString(JsonOptions);
    }

    public string Secret { get; }

    /// <summary>The Qimen URL to give the tenant.</summary>
    public Uri Url { get; private set; } = null!;

    public long RefusedSignatures => Interlocked.Read(ref _refusedSignatures);

    /// <summary>How many signed, fresh calls of <paramref name="method"/> (short name, e.g. <c>order.create</c>) named the order.</summary>
    public int Seen(string method, string alitripOrderId) => _seen.GetValueOrDefault(("qimen.alitrip.custombus." + method, alitripOrderId));

    /// <summary>The alitripOrderIds order.create was asked for, per first passenger's name (a reliability flow's key).</summary>
    public IReadOnlyDictionary<string, int> CreatedPerPassenger() => _createdFor.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal);

    private static JsonSerializerOptions JsonOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<BusOperator> StartAsync(int port)
    {
        var op = new BusOperator(Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));
        var (app, baseUrl) = await LocalWebApp.StartAsync(port, app => app.MapPost(Path, op.HandleAsync));
        op._app = app;
        op.Url = new Uri(baseUrl, Path);
        return op;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var parameters = QueryMap(query);
        string reply;
        if (!SignatureValid(request, parameters, body))
        {
            Interlocked.Increment(ref _refusedSignatures);
            reply = """{"retDesc":"Illegal request","success":"false","retCode":"sign-check-failure"}""";
        }
        else if (!Fresh(parameters.GetValueOrDefault("timestamp")))
        {
            reply = Refuse("illegal-timestamp", "时间戳已过期");
        }
        else
        {
            var method = parameters.GetValueOrDefault("method") ?? "";
            var json = JsonNode.Parse(body) as JsonObject ?? [];
            Record(method, json);
            reply = Handle(method, json);
        }

        http.Response.ContentType = "application/json;charset=utf-8";
        await http.Response.WriteAsync(reply);
    }

    private void Record(string method, JsonObject body)
    {
        if (Str(body, "alitripOrderId") is not { Length: > 0 } id)
        {
            return;
        }

        _seen.AddOrUpdate((method, id), 1, (_, n) => n + 1);
        if (method == "qimen.alitrip.custombus.order.create" && (body["passengerList"] as JsonArray)?.FirstOrDefault() is JsonObject first)
        {
            _createdFor.GetOrAdd(Str(first, "passengerName"), _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(id, 0);
        }
    }

    /// <summary>SpiUtils.checkSign for a JSON body: signed headers, then the query (later keys win), sorted, MD5 with the raw body.</summary>
    private bool SignatureValid(HttpRequest request, Dictionary<string, string> query, string body)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Headers["top-sign-list"].ToString() is { Length: > 0 } signList)
        {
            foreach (var name in signList.Split(','))
            {
                var value = request.Headers[name].ToString();
                all[name] = string.IsNullOrWhiteSpace(value) ? "" : WebUtility.UrlDecode(value);
            }
        }

        foreach (var (k, v) in query)
        {
            all[k] = v;
        }

        var text = new StringBuilder(Secret);
        foreach (var key in all.Keys.Where(k => k != "sign").Order(StringComparer.Ordinal))
        {
            text.Append(key).Append(all[key]);
        }

        text.Append(body).Append(Secret);
        return Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString()))) == query.GetValueOrDefault("sign");
    }

    /// <summary>SpiUtils.getQueryMap: pairs on '&amp;' then '=', a pair with more than two parts dropped, both sides URL-decoded.</summary>
    private static Dictionary<string, string> QueryMap(string query)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&'))
        {
            var parts = pair.Split('=');
            if (parts.Length == 2)
            {
                map[WebUtility.UrlDecode(parts[0])] = WebUtility.UrlDecode(parts[1]);
            }
            else if (parts.Length == 1 && parts[0].Length > 0)
            {
                map[WebUtility.UrlDecode(parts[0])] = "";
            }
        }

        return map;
    }

    private static bool Fresh(string? timestamp) =>
        DateTimeOffset.TryParseExact(timestamp + " +08:00", "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
        && (DateTimeOffset.UtcNow - at).TotalMinutes <= 10;

    private string Handle(string method, JsonObject body) => method switch
    {
        "qimen.alitrip.custombus.product.fromcity.query" =>
            """{"retCode":"0","retDesc":"成功","success":true,"fromCityList":[{"provinceName":"浙江省","provinceCode":"330000","fromCity":"杭州市","cityCode":"330100"}]}""",
        "qimen.alitrip.custombus.product.tocity.query" => Str(body, "fromCity") == "杭州市"
            ? """{"retCode":"0","retDesc":"成功","success":true,"toCityList":[{"provinceName":"上海市","toCity":"上海市","preSellDay":30,"cityCode":"310100"}]}"""
            : """{"retCode":"0","retDesc":"成功","success":true,"toCityList":[]}""",
        "qimen.alitrip.custombus.product.number.query" => _schedules,
        "qimen.alitrip.custombus.product.seat.query" => """{"retCode":"0","retDesc":"成功","success":true,"leftTicketCnt":999,"saleStatus":1}""",
        "qimen.alitrip.custombus.order.create" => Create(body),
        "qimen.alitrip.custombus.order.confirm" or "qimen.alitrip.custombus.order.query" => WithOrder(body, Issue),
        "qimen.alitrip.custombus.return.query" => WithOrder(body, Fees),
        "qimen.alitrip.custombus.return.confirm" => WithOrder(body, Refund),
        "qimen.alitrip.custombus.order.close" => WithOrder(body, o =>
        {
            o.Status = "5";
            return """{"retCode":"0","retDesc":"成功","success":true}""";
        }),
        "qimen.alitrip.custombus.offline.number.query" => """{"retCode":"0","retDesc":"成功","success":true,"lineSchedule":[]}""",
        _ => Refuse("invalid-method", "不支持的方法 " + method),
    };

    private string Create(JsonObject body)
    {
        var id = Str(body, "alitripOrderId");
        if (id.Length == 0)
        {
            return Refuse("9999", "alitripOrderId 必填");
        }

        var order = _orders.GetOrAdd(id, _ =>
        {
            var agent = "LOP" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
            var passengers = (body["passengerList"] as JsonArray ?? []).OfType<JsonObject>()
                .Select((p, i) => new Passenger(Str(p, "passengerId"), Str(p, "passengerName"), Str(p, "passengerType"), Str(p, "passengerCertificateType"),
                    Str(p, "passengerCertificateNo"), long.TryParse(Str(p, "ticketPrice"), out var price) ? price : 0, $"{agent}-{i + 1}"))
                .ToList();
            return new Order(id, agent, passengers);
        });
        var list = string.Join(",", order.Passengers.Select(p => $$"""{"passengerId":"{{p.Id}}","ticketId":"{{p.TicketId}}"}"""));
        return $$"""{"retCode":"0","retDesc":"成功","success":true,"agentOrderId":"{{order.AgentOrderId}}","alitripOrderId":"{{id}}","status":"1","passengerList":[{{list}}]}""";
    }

    private string Issue(Order o)
    {
        if (o.Status is "1" or "3")
        {
            o.Status = "3";
        }

        var now = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var list = string.Join(",", o.Passengers.Select(p =>
            $$"""{"passengerId":"{{p.Id}}","passengerName":"{{Escape(p.Name)}}","passengerType":"{{p.Type}}","passengerCertificateType":"{{p.CertType}}","passengerCertificateNo":"{{p.CertNo}}","ticketId":"{{p.TicketId}}","ticketNo":"T{{p.TicketId}}","ticketStatus":"{{(p.Refunded ? "5" : "2")}}"}"""));
        return $$"""{"retCode":"0","retDesc":"成功","success":true,"alitripOrderId":"{{o.Id}}","agentOrderId":"{{o.AgentOrderId}}","agentIssueTime":"{{now}}","status":"{{o.Status}}","passengerList":[{{list}}]}""";
    }

    private static string Fees(Order o)
    {
        var list = string.Join(",", o.Passengers.Where(p => !p.Refunded).Select(p =>
            $$"""{"passengerId":"{{p.Id}}","ticketId":"{{p.TicketId}}","refundSurcharge":0}"""));
        return $$"""{"retCode":"0","retDesc":"成功","success":true,"agentOrderId":"{{o.AgentOrderId}}","alitripOrderId":"{{o.Id}}","canRefund":true,"passengerList":[{{list}}]}""";
    }

    private static string Refund(Order o, JsonObject body)
    {
        var ids = (body["passengerList"] as JsonArray ?? []).OfType<JsonObject>().Select(p => Str(p, "passengerId")).ToHashSet(StringComparer.Ordinal);
        long amount = 0;
        foreach (var p in o.Passengers.Where(p => ids.Contains(p.Id) && !p.Refunded))
        {
            p.Refunded = true;
            amount += p.Price;
        }

        return $$"""{"retCode":"0","retDesc":"成功","success":true,"refundStatus":"1","refundAmount":{{amount}}}""";
    }

    private string WithOrder(JsonObject body, Func<Order, string> handler) => WithOrder(body, (o, _) => handler(o));

    private string WithOrder(JsonObject body, Func<Order, JsonObject, string> handler)
    {
        if (!_orders.TryGetValue(Str(body, "alitripOrderId"), out var order) || order.AgentOrderId != Str(body, "agentOrderId"))
        {
            return Refuse("2001", "订单不存在");
        }

        lock (order)
        {
            return handler(order, body);
        }
    }

    private static string Refuse(string code, string desc) => $$"""{"retCode":"{{code}}","retDesc":"{{desc}}","success":false}""";

    private static string Str(JsonObject o, string name) => o[name] is JsonValue v ? v.ToString() : "";

    private static string Escape(string s) => JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private sealed class Order(string id, string agentOrderId, List<Passenger> passengers)
    {
        public string Id { get; } = id;

        public string AgentOrderId { get; } = agentOrderId;

        public List<Passenger> Passengers { get; } = passengers;

        public string Status { get; set; } = "1";
    }

    private sealed class Passenger(string id, string name, string type, string certType, string certNo, long price, string ticketId)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public string Type { get; } = type;

        public string CertType { get; } = certType;

        public string CertNo { get; } = certNo;

        public long Price { get; } = price;

        public string TicketId { get; } = ticketId;

        public bool Refunded { get; set; }
    }
}
