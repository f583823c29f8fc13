using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.TechHouse;

/// <summary>AirPricing (spec §5.2, §4.4): re-pricing a search routing opens the booking session.</summary>
public class PricingTests : TechHouseTest
{
    static readonly string Date = TechHouseClient.FutureDate();

    async Task<JsonObject> FirstRouting(string from = "PEK", string to = "SHA", string retDate = "", int adults = 1, int children = 0)
    {
        var search = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest(from, to, Date, retDate, adults, children));
        AssertSuccess(search);
        return search["routings"]![0]!.AsObject();
    }

    static JsonObject Pricing(JsonObject routing, int? adults = null, int? children = null)
    {
        var request = new JsonObject { ["routing"] = new JsonObject { ["data"] = routing["data"]!.GetValue<string>() } };
        if (adults is not null) request["adultNumber"] = adults.ToString();
        if (children is not null) request["childNumber"] = children.ToString();
        return request;
    }

    [Fact]
    public async Task Pricing_a_routing_opens_a_session_and_returns_the_routing_and_its_rules()
    {
        var routing = await FirstRouting();
        var reply = await Client.Call("AirPricing", Pricing(routing));

        AssertSuccess(reply);
        Assert.Matches("^[0-9a-f]{32}$", Str(reply["sessionId"]));
        Assert.False(reply["isPriceChanged"]!.GetValue<bool>());
        Assert.Equal(routing["maxSeats"]!.GetValue<int>(), reply["maxSeats"]!.GetValue<int>());
        Assert.True(reply["timeflag"]!.GetValue<double>() > 1_500_000_000);
        var priced = reply["routing"]!.AsObject();
        foreach (var field in new[] { "adultFare", "adultTax", "childFare", "childTax" })
            Assert.Equal(Dec(routing[field]), Dec(priced[field]));
        Assert.Equal(Str(routing["data"]), Str(priced["data"]));
        Assert.Equal(1, priced["routeType"]!.GetValue<int>());
        Assert.Equal(Str(routing["fromSegments"]![0]!["flightNumber"]), Str(priced["fromSegments"]![0]!["flightNumber"]));

        // One-way, adults only: one change and one refund rule (type 0, adult), baggage per segment.
        var rule = reply["rule"]!.AsObject();
        var change = rule["changesInfoList"]!.AsArray().Single()!;
        Assert.Equal(0, change["changesType"]!.GetValue<int>());
        Assert.Equal(0, change["passengerType"]!.GetValue<int>());
        Assert.Contains(Str(change["changesStatus"]), new[] { "T", "H", "F", "E" });
        foreach (var field in new[] { "changesFee", "currency", "revNoshow", "revNoShowCondition", "revNoshowFee", "enRevRemark", "cnRevRemark" })
            Assert.NotNull(change[field]);
        var refund = rule["refundInfoList"]!.AsArray().Single()!;
        Assert.Equal(0, refund["refundType"]!.GetValue<int>());
        foreach (var field in new[] { "refundStatus", "refundFee", "currency", "refNoshow", "refNoShowCondition", "refNoshowFee", "enRefRemark", "cnRefRemark" })
            Assert.NotNull(refund[field]);
        var baggage = rule["baggageInfoList"]!.AsArray().Single()!;
        Assert.Equal(1, baggage["segmentNo"]!.GetValue<int>());
        Assert.True(baggage["baggagePiece"]!.GetValue<int>() > 0 && baggage["baggageWeight"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Rules_cover_every_passenger_type_and_both_usages_of_a_round_trip()
    {
        var routing = await FirstRouting(retDate: TechHouseClient.FutureDate(33), adults: 1, children: 1);
        var reply = await Client.Call("AirPricing", Pricing(routing, 1, 1));

        AssertSuccess(reply);
        var changes = reply["rule"]!["changesInfoList"]!.AsArray();
        Assert.Equal(["0/0", "0/1", "1/0", "1/1"], changes.Select(c => $"{c!["passengerType"]}/{c["changesType"]}").Order());
        var refunds = reply["rule"]!["refundInfoList"]!.AsArray();
        Assert.Equal(["0/0", "0/1", "1/0", "1/1"], refunds.Select(c => $"{c!["passengerType"]}/{c["refundType"]}").Order());
        var baggage = reply["rule"]!["baggageInfoList"]!.AsArray();
        Assert.Equal(["1/0", "1/1", "2/0", "2/1"], baggage.Select(c => $"{c!["segmentNo"]}/{c["passengerType"]}").Order());
    }

    [Fact]
    public async Task The_routing_may_be_sent_as_a_JSON_string()
    {
        var routing = await FirstRouting();
        var request = new JsonObject { ["routing"] = new JsonObject { ["data"] = Str(routing["data"]) }.ToJsonString() };
        AssertSuccess(await Client.Call("AirPricing", request));
    }

    [Fact]
    public async Task The_echoed_routing_may_carry_segments_in_either_package_shape()
    {
        var routing = await FirstRouting();
        var echoed = routing.DeepClone().AsObject();
        echoed["fromSegments"]![0]!["package"] = new JsonArray(new JsonObject { ["packageType"] = 1, ["amount"] = 10.5 });
        echoed["fromSegments"]![0]!["codeShare"] = false;
        AssertSuccess(await Client.Call("AirPricing", new JsonObject { ["routing"] = echoed }));
    }

    [Fact]
    public async Task Each_pricing_opens_a_new_session()
    {
        var routing = await FirstRouting();
        var a = await Client.Call("AirPricing", Pricing(routing));
        var b = await Client.Call("AirPricing", Pricing(routing));
        Assert.NotEqual(Str(a["sessionId"]), Str(b["sessionId"]));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJmb28iOiJiYXIifQ.AAAAAAAAAAAAAAAA")]
    public async Task Routing_data_that_did_not_come_from_LowFareSearch_is_1004(string data) =>
        AssertError(1004, await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = data } }));

    [Fact]
    public async Task Tampered_routing_data_is_1004()
    {
        var data = Str((await FirstRouting())["data"]);
        var dot = data.IndexOf('.');
        var tampered = data[..(dot - 2)] + (data[dot - 2] == 'A' ? 'B' : 'A') + data[(dot - 1)..];
        AssertError(1004, await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = tampered } }));
    }

    [Fact]
    public async Task Routing_data_expires_30_virtual_minutes_after_the_search()
    {
        var routing = await FirstRouting();
        await Host.AdvanceAsync("PT29M");
        AssertSuccess(await Client.Call("AirPricing", Pricing(routing)));
        await Host.AdvanceAsync("PT2M");
        AssertError(1004, await Client.Call("AirPricing", Pricing(routing)));
    }

    [Fact]
    public async Task Routing_data_of_another_merchant_is_1004()
    {
        var routing = await FirstRouting();
        var other = await Host.AddTechHouseTenantAsync("other", "otherMerchantKey1", "other-secret-other-secret-other-s");
        AssertError(1004, await other.Call("AirPricing", Pricing(routing)));
    }

    [Fact]
    public async Task A_missing_routing_or_routing_data_is_1001()
    {
        AssertError(1001, await Client.Call("AirPricing", new JsonObject { ["adultNumber"] = "1" }));
        AssertError(1001, await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["fromSegments"] = new JsonArray() } }));
    }

    [Fact]
    public async Task More_passengers_than_seats_left_is_2012()
    {
        var search = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", Date));
        var routing = search["routings"]!.AsArray().Select(r => r!.AsObject()).FirstOrDefault(r => r["maxSeats"]!.GetValue<int>() <= 7)
                      ?? throw new InvalidOperationException("the catalogue offered no routing with 7 seats or fewer: " + search.ToJsonString());
        var seats = routing["maxSeats"]!.GetValue<int>();

        AssertSuccess(await Client.Call("AirPricing", Pricing(routing, seats)));
        AssertError(2012, await Client.Call("AirPricing", Pricing(routing, seats + 1)));
    }

    [Fact]
    public async Task Passenger_counts_default_to_the_search_and_are_checked_like_the_search()
    {
        var routing = await FirstRouting();
        AssertError(1004, await Client.Call("AirPricing", Pricing(routing, 9)));
    }
}
