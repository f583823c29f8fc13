using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>
/// One golden reply per action and the SyncOrderStatus push, from a booking made on a frozen tenant clock at a
/// fixed instant, so that the seeded catalogue (flights, fares, seat maps, SSRs) is the same on every run.
/// </summary>
public class GoldenReplyTests : TechHouseTest
{
    static readonly DateTimeOffset Frozen = new(2030, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    public static TheoryData<string> Replies =>
    [
        "LowFareSearch", "AirPricing", "SetPassengers", "GetSSRAvailability", "SellSSR", "GetSeatAvailability", "AssignSeats",
        "GetBookingPayments", "SetPaymentToBooking", "GetAirlinesAndRoutings", "GetBalance", "Commit", "GetOrderList", "GetOrderDetail",
        "SyncOrderStatus",
    ];

    [Theory]
    [MemberData(nameof(Replies))]
    public async Task Reply_matches_its_golden_file(string name)
    {
        var replies = await BookEverything();
        Golden.Assert("techhouse/" + name, replies[name]);
    }

    /// <summary>The whole chain with every optional step, on a frozen clock; returns each action's reply and the push body.</summary>
    async Task<Dictionary<string, JsonNode>> BookEverything()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        await Host.FreezeClockAsync(Frozen);
        var r = new Dictionary<string, JsonNode>();
        async Task<JsonObject> Call(string action, JsonObject request)
        {
            var reply = await Client.Call(action, request);
            Assert.True(Status(reply) == 0, $"{action}: {reply.ToJsonString()}");
            r[action] = reply;
            return reply;
        }

        r["GetAirlinesAndRoutings"] = await Client.Call("GetAirlinesAndRoutings", new JsonObject { ["routeType"] = 1 });
        r["GetBalance"] = await Client.Call("GetBalance", new JsonObject { ["routeType"] = 1 });
        var search = await Call("LowFareSearch", SearchRequest("PEK", "SHA", Date(Frozen.AddDays(30))));
        var routing = search["routings"]![0]!.AsObject();
        var priced = await Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = Str(routing["data"]) } });
        var sessionId = Str(priced["sessionId"]);
        var segment = SegmentRef(priced["routing"]!["fromSegments"]![0]!);
        await Call("SetPassengers", new JsonObject
        {
            ["sessionId"] = sessionId, ["routeType"] = 1, ["passengers"] = new JsonArray(Passenger("0", "LIU")), ["contact"] = Contact(),
        });
        await Call("GetSSRAvailability", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["segments"] = new JsonArray(segment.DeepClone()) });
        var sale = segment.DeepClone().AsObject();
        sale["ssrcode"] = "PA20";
        sale["count"] = 1;
        sale["passengerId"] = "0";
        await Call("SellSSR", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["ssrs"] = new JsonArray(sale) });
        var mapRequest = segment.DeepClone().AsObject();
        mapRequest["sessionId"] = sessionId;
        mapRequest["routeType"] = 1;
        var map = await Call("GetSeatAvailability", mapRequest);
        var seat = map["result"]!["seats"]!.AsArray().First(s => Str(s!["availability"]) == "Open")!;
        var assign = mapRequest.DeepClone().AsObject();
        assign["seats"] = new JsonArray(new JsonObject { ["designator"] = Str(seat["designator"]), ["passengerId"] = "0" });
        await Call("AssignSeats", assign);
        await Call("GetBookingPayments", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1 });
        await Call("SetPaymentToBooking", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["paymentCode"] = "AG", ["payCurrency"] = "CNY" });
        var commit = await Call("Commit", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1 });
        await Host.AdvanceAsync("PT2M");
        r["SyncOrderStatus"] = JsonNode.Parse((await receiver.WaitForAsync(1))[0].Body)!;
        var day = Frozen.ToString("yyyy-MM-dd'T'00:00:00zzz", CultureInfo.InvariantCulture);
        await Call("GetOrderList", new JsonObject { ["startTime"] = day, ["endTime"] = day, ["routeType"] = 1 });
        await Call("GetOrderDetail", new JsonObject { ["orderno"] = Str(commit["orderNo"]), ["email"] = "qa@example.com", ["routeType"] = 1 });
        return r;
    }
}
