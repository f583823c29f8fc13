using System.Text;
using System.Text.Json;
using Sandbox.Suppliers.TechHouse.Protocol;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Reliability.Hostile;

namespace Sandbox.Tests.Reliability.Surfaces;

/// <summary>TechHouse: a signed JSON envelope POSTed to /flight/booking or /flight/order; every answer {"status":…,"msg":…}.</summary>
public sealed class TechHouseSurface : ISupplierSurface
{
    public string Supplier => "techhouse";
    public string Listener => Sandbox.Engine.Pipeline.Listeners.Main;

    public IReadOnlyList<string> Operations { get; } =
    [
        "LowFareSearch", "AirPricing", "SetPassengers", "GetSSRAvailability", "SellSSR", "GetSeatAvailability", "AssignSeats",
        "GetBookingPayments", "SetPaymentToBooking", "Commit", "GetAirlinesAndRoutings", "GetBalance", "GetOrderList", "GetOrderDetail",
    ];

    public bool IsOutboundOrAdmin(string operation) => operation == "SyncOrderStatus";

    /// <summary>Request fields of the document's actions with plausible values; a generated request takes a few.</summary>
    static readonly (string Name, string Json)[] Fields =
    [
        ("tripType", "\"1\""), ("fromCity", "\"PEK\""), ("toCity", "\"SHA\""), ("fromDate", "\"20271015\""), ("retDate", "\"\""),
        ("adultNumber", "1"), ("childNumber", "0"), ("routing", "{\"data\":\"eyJ4IjoxfQ\"}"), ("sessionId", "\"S0000001\""),
        ("passengers", "[{\"passengerId\":\"0\",\"lastName\":\"LIU\",\"firstName\":\"YANG\",\"ageType\":0,\"birthday\":\"19900101\",\"gender\":\"M\",\"cardType\":\"PP\",\"cardNum\":\"E1234567\",\"cardExpired\":\"20300101\",\"cardIssuePlace\":\"CN\",\"nationality\":\"CN\"}]"),
        ("contact", "{\"name\":\"LIU YANG\",\"email\":\"a@example.com\",\"mobile\":\"13800000000\"}"), ("currency", "\"CNY\""),
        ("paymentCode", "\"AG\""), ("routeType", "1"), ("orderNo", "\"TH20270101000001\""), ("email", "\"a@example.com\""),
        ("pageIndex", "1"), ("pageSize", "20"), ("startTime", "\"20260101\""), ("endTime", "\"20271231\""),
        ("segments", "[{\"flightNumber\":\"CA1234\",\"depTime\":\"202710150800\"}]"), ("seats", "[{\"passengerId\":\"0\",\"seatNo\":\"12A\"}]"),
        ("ssrs", "[{\"passengerId\":\"0\",\"ssrCode\":\"BAG20\"}]"), ("searchId", "\"abc\""), ("flightNumber", "\"CA1234\""),
    ];

    static readonly string[] WrongJson = ["123", "-1", "1.5e400", "true", "null", "[]", "{}", "[1,2]", "{\"a\":{\"b\":[]}}", "\"\"", "\"x\""];

    public HostileRequest Generate(Random rng, string operation, string category, string host)
    {
        var timestamp = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        var request = Fields.OrderBy(_ => rng.Next()).Take(rng.Next(1, 7)).Select(f => (f.Name, f.Json)).ToList();
        var envelope = new List<(string Name, string Json)>
        {
            ("action", Str(operation)), ("key", Str(TechHouseClient.DemoKey)), ("timestamp", Str(timestamp)),
            ("signature", Str(TechHouseSignature.Sign(TechHouseClient.DemoKey, TechHouseClient.DemoSecret, timestamp))), ("version", Str("2.0.3")),
        };
        var path = TechHouseClient.PathOf(operation);
        var method = "POST";
        var contentType = "application/json";
        var headers = new List<(string, string)>();
        var delivery = Delivery.Whole;
        byte[]? raw = null;
        long? declared = null;
        var target = rng.Next(3) == 0 ? envelope : request;

        switch (category)
        {
            case Categories.WrongType:
                if (target.Count > 0) Replace(rng, target, WrongJson[rng.Next(WrongJson.Length)]);
                else envelope.Add(("request", WrongJson[rng.Next(WrongJson.Length)]));
                break;
            case Categories.Missing:
                for (var k = rng.Next(1, 3); k > 0 && target.Count > 0; k--) target.RemoveAt(rng.Next(target.Count));
                break;
            case Categories.Duplicated:
                if (target.Count > 0)
                {
                    var (name, _) = target[rng.Next(target.Count)];
                    target.Insert(rng.Next(target.Count + 1), (name, rng.Next(2) == 0 ? Str(Values.Injection(rng)) : WrongJson[rng.Next(WrongJson.Length)]));
                }
                break;
            case Categories.CaseVaried:
                for (var i = 0; i < target.Count; i++) target[i] = (Values.CaseVaried(rng, target[i].Name), target[i].Json);
                break;
            case Categories.Injection:
                if (target.Count > 0) Replace(rng, target, Str(Values.Injection(rng)));
                else target.Add((Values.Injection(rng), Str(Values.Injection(rng))));
                break;
            case Categories.BadSignature:
                var i2 = envelope.FindIndex(e => e.Name == "signature");
                envelope[i2] = ("signature", rng.Next(3) switch
                {
                    0 => Str(TechHouseSignature.Sign(TechHouseClient.DemoKey, "another-secret-another-secret-00", timestamp)),
                    1 => Str("15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y="),
                    _ => Str(Values.Injection(rng)),
                });
                break;
            case Categories.HeaderFlood:
                headers.AddRange(Values.HeaderFlood(rng));
                break;
            case Categories.WrongMethod:
                (method, path) = rng.Next(3) switch { 0 => ("GET", path), 1 => ("PUT", path), _ => ("POST", path + "/" + Values.Percent(Values.Injection(rng))) };
                break;
            case Categories.Slow:
                delivery = Delivery.Slow;
                break;
        }
        var body = Encoding.UTF8.GetBytes(Json([.. envelope, ("request", Json(request))]));
        switch (category)
        {
            case Categories.WrongEncoding:
                raw = Values.WrongEncoding(rng, Encoding.UTF8.GetString(body));
                if (rng.Next(2) == 0) contentType = "application/json; charset=gbk";
                break;
            case Categories.Huge:
                var size = rng.Next(2) == 0 ? 1_200_000 : 5_000_000;
                raw = Encoding.UTF8.GetBytes(Json([.. envelope, ("request", Json([("memo", Str(new string('x', size)))]))]));
                break;
            case Categories.Truncated:
                declared = body.Length + rng.Next(1, 500);
                raw = body[..rng.Next(body.Length)];
                delivery = Delivery.Truncated;
                break;
        }
        if (rng.Next(20) == 0) contentType = rng.Next(2) == 0 ? "text/plain" : "application/x-www-form-urlencoded";
        headers.Add(("Content-Type", contentType));
        return new HostileRequest(category, operation, HttpWire.Build(method, path, host, headers, raw ?? body, declared), delivery);
    }

    static void Replace(Random rng, List<(string Name, string Json)> members, string json)
    {
        var i = rng.Next(members.Count);
        members[i] = (members[i].Name, json);
    }

    static string Str(string s) => JsonSerializer.Serialize(s);

    static string Json(IEnumerable<(string Name, string Json)> members) => "{" + string.Join(",", members.Select(m => Str(m.Name) + ":" + m.Json)) + "}";

    public string? FormatProblem(HostileRequest request, HostileReply reply)
    {
        if (!reply.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)) return $"content type '{reply.ContentType}'";
        try
        {
            using var doc = JsonDocument.Parse(reply.Body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "not a JSON object";
            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Number || !status.TryGetInt32(out var code))
                return "no integer status";
            if (code != 0 && (!root.TryGetProperty("msg", out var msg) || msg.ValueKind != JsonValueKind.String)) return "an error without msg";
            return null;
        }
        catch (JsonException e)
        {
            return "not JSON: " + e.Message;
        }
    }
}
