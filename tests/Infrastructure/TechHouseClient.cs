using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Tests.Infrastructure;

/// <summary>A TechHouse merchant client as an integrator would write it: signed envelopes over real HTTP.</summary>
public sealed class TechHouseClient(HttpClient http, string key = TechHouseClient.DemoKey, string secret = TechHouseClient.DemoSecret)
{
    public const string DemoKey = "ctPJAIdxUA3ptaWC";
    public const string DemoSecret = "024sYXZXMlFKaiAa65IYuMCB0hE2CgaP";

    public static string PathOf(string action) =>
        action is "GetAirlinesAndRoutings" or "GetBalance" or "GetOrderList" or "GetOrderDetail" ? "/flight/order" : "/flight/booking";

    /// <summary>The tenant's "now" when its clock is frozen elsewhere than today: the booking helpers search relative to it.</summary>
    public DateTimeOffset? Now { get; set; }

    public string Timestamp { get; set; } = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);

    public string Envelope(string action, JsonNode? request) => new JsonObject
    {
        ["action"] = action,
        ["key"] = key,
        ["timestamp"] = Timestamp,
        ["signature"] = TechHouseSignature.Sign(key, secret, Timestamp),
        ["version"] = "2.0.3",
        ["request"] = request?.DeepClone(),
    }.ToJsonString();

    public async Task<JsonObject> Call(string action, object request)
    {
        var node = request as JsonNode ?? JsonSerializer.SerializeToNode(request);
        var (_, body, _) = await Raw(PathOf(action), Envelope(action, node));
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<(int Status, string Body, HttpResponseHeaders Headers)> Raw(string path, string body, string method = "POST")
    {
        using var req = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var resp = await http.SendAsync(req);
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync(), resp.Headers);
    }

    public static int Status(JsonObject reply) => reply["status"]!.GetValue<int>();

    public static string FutureDate(int days = 30) =>
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static JsonObject Passenger(string id, string lastName, int ageType = 0) => new()
    {
        ["passengerId"] = id, ["firstName"] = "YANG", ["lastName"] = lastName, ["ageType"] = ageType, ["birthday"] = "19830418",
        ["gender"] = "F", ["cardNum"] = "G3538857" + id, ["cardType"] = "PP", ["cardIssuePlace"] = "CN", ["cardExpired"] = "20300506",
        ["nationality"] = "CN",
    };

    public static JsonObject Contact() => new()
    {
        ["firstName"] = "YANG", ["lastName"] = "LIU", ["address"] = "No.99 Fuquan Road, Shanghai", ["postcode"] = "200335",
        ["email"] = "qa@example.com", ["mobile"] = "+86 13774293883",
    };

    /// <summary>LowFareSearch → AirPricing; returns the routing picked and the session id.</summary>
    public async Task<(JsonObject Routing, string SessionId)> PriceAsync(string from = "PEK", string to = "SHA", int adults = 1, int children = 0, int days = 30)
    {
        var search = await Call("LowFareSearch", new JsonObject
        {
            ["tripType"] = "1", ["fromCity"] = from, ["toCity"] = to, ["fromDate"] = Now is { } now ? Date(now.AddDays(days)) : FutureDate(days), ["retDate"] = "",
            ["adultNumber"] = adults.ToString(), ["childNumber"] = children.ToString(),
        });
        if (Status(search) != 0) throw new InvalidOperationException("LowFareSearch failed: " + search.ToJsonString());
        var routing = search["routings"]!.AsArray().Select(r => r!.AsObject()).First(r => r["maxSeats"]!.GetValue<int>() >= adults + children);
        var priced = await Call("AirPricing", new JsonObject
        {
            ["routing"] = new JsonObject { ["data"] = routing["data"]!.GetValue<string>() },
            ["adultNumber"] = adults.ToString(), ["childNumber"] = children.ToString(),
        });
        if (Status(priced) != 0) throw new InvalidOperationException("AirPricing failed: " + priced.ToJsonString());
        return (priced["routing"]!.AsObject(), priced["sessionId"]!.GetValue<string>());
    }

    public static string Date(DateTimeOffset instant) => instant.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static JsonObject SearchRequest(string from, string to, string fromDate, string retDate = "", int adults = 1, int children = 0) => new()
    {
        ["tripType"] = retDate.Length == 0 ? "1" : "2", ["fromCity"] = from, ["toCity"] = to, ["fromDate"] = fromDate, ["retDate"] = retDate,
        ["adultNumber"] = adults.ToString(CultureInfo.InvariantCulture), ["childNumber"] = children.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The segment reference GetSSRAvailability, SellSSR, GetSeatAvailability and AssignSeats take.</summary>
    public static JsonObject SegmentRef(JsonNode segment) => new()
    {
        ["flightNumber"] = segment["flightNumber"]!.GetValue<string>(), ["depAirport"] = segment["depAirport"]!.GetValue<string>(),
        ["arrAirport"] = segment["arrAirport"]!.GetValue<string>(), ["depDate"] = segment["depTime"]!.GetValue<string>()[..8],
        ["cabin"] = segment["cabin"]!.GetValue<string>(),
    };

    public async Task<JsonObject> SetPassengersAsync(string sessionId, params JsonObject[] passengers) =>
        await Call("SetPassengers", new JsonObject
        {
            ["sessionId"] = sessionId, ["routeType"] = 1, ["passengers"] = new JsonArray(passengers.Select(p => (JsonNode)p).ToArray()), ["contact"] = Contact(),
        });

    /// <summary>LowFareSearch → AirPricing → SetPassengers (one adult named <paramref name="lastName"/>).</summary>
    public async Task<(JsonObject Routing, string SessionId)> WithPassengersAsync(string lastName = "LIU", string to = "SHA", int days = 30, string from = "PEK")
    {
        var (routing, sessionId) = await PriceAsync(from: from, to: to, days: days);
        var set = await SetPassengersAsync(sessionId, Passenger("0", lastName));
        if (Status(set) != 0) throw new InvalidOperationException("SetPassengers failed: " + set.ToJsonString());
        return (routing, sessionId);
    }

    public async Task<JsonObject> PayAsync(string sessionId, string currency, string code = "AG") =>
        await Call("SetPaymentToBooking", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["paymentCode"] = code, ["payCurrency"] = currency });

    public async Task<JsonObject> CommitAsync(string sessionId) => await Call("Commit", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1 });

    public async Task<decimal> BalanceAsync(string currency = "CNY") =>
        (await Call("GetBalance", new JsonObject()))["balanceList"]!.AsArray()
        .First(b => b!["currency"]!.GetValue<string>() == currency)!["balance"]!.GetValue<decimal>();

    /// <summary>The whole mandatory chain up to Commit; returns the Commit reply.</summary>
    public async Task<JsonObject> BookAsync(string lastName = "LIU", string to = "SHA", int days = 30)
    {
        var (routing, sessionId) = await WithPassengersAsync(lastName, to, days);
        var pay = await PayAsync(sessionId, routing["currency"]!.GetValue<string>());
        if (Status(pay) != 0) throw new InvalidOperationException("SetPaymentToBooking failed: " + pay.ToJsonString());
        var commit = await CommitAsync(sessionId);
        commit["sessionId"] = sessionId;
        return commit;
    }
}
