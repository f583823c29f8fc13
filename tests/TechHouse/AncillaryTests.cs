using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>GetSSRAvailability and SellSSR (spec §5.4, §5.5): ancillaries offered per segment, sold to passengers.</summary>
public class AncillaryTests : TechHouseTest
{
    static JsonObject Availability(string sessionId, JsonObject routing) => new()
    {
        ["sessionId"] = sessionId, ["routeType"] = 1,
        ["segments"] = new JsonArray(routing["fromSegments"]!.AsArray().Select(s => (JsonNode)SegmentRef(s!)).ToArray()),
    };

    static JsonObject Sale(string sessionId, JsonObject routing, string code, object passengerId, int count = 1, string codeField = "ssrcode")
    {
        var item = SegmentRef(routing["fromSegments"]![0]!);
        item[codeField] = code;
        item["count"] = count;
        item["passengerId"] = System.Text.Json.JsonSerializer.SerializeToNode(passengerId);
        return new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["ssrs"] = new JsonArray(item) };
    }

    async Task<JsonObject> Offered(string sessionId, JsonObject routing)
    {
        var reply = await Client.Call("GetSSRAvailability", Availability(sessionId, routing));
        AssertSuccess(reply, "Success");
        return reply;
    }

    static JsonObject Ssr(JsonObject availability, string code) =>
        availability["ssrs"]![0]!["ssrs"]!.AsArray().First(s => Str(s!["code"]) == code)!.AsObject();

    [Fact]
    public async Task Availability_lists_the_ssrs_of_each_requested_segment()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        var reply = await Offered(sessionId, routing);

        var entry = reply["ssrs"]!.AsArray().Single()!;
        Assert.Equal(Str(routing["fromSegments"]![0]!["flightNumber"]), Str(entry["flightno"]));
        var ssrs = entry["ssrs"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Contains(ssrs, s => Str(s["type"]) == "XX" && Str(s["unit"]) == "KG");
        Assert.Contains(ssrs, s => Str(s["type"]) == "DD");
        foreach (var s in ssrs)
        {
            Assert.Matches("^[A-Z]{2}[0-9]{2}$", Str(s["code"]));
            Assert.Equal(s["weight"]!.GetValue<int>(), s["typeweight"]!.GetValue<int>());
            Assert.Contains(s["applyType"]!.GetValue<int>(), new[] { 0, 1, 2 });
            Assert.True(Dec(s["amount"]) > 0);
            Assert.Equal("CNY", Str(s["currency"]));
            Assert.NotNull(s["desc"]);
            Assert.NotNull(s["name"]);
        }
        Assert.Equal(2, Ssr(reply, "PC20")["applyType"]!.GetValue<int>());
    }

    [Fact]
    public async Task Availability_does_not_need_passengers_and_does_not_change_the_total()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        await Offered(sessionId, routing);
        var set = await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU"));
        Assert.Equal(Dec(routing["adultFare"]) + Dec(routing["adultTax"]), Dec(set["totalCost"]));
    }

    [Fact]
    public async Task A_route_without_ssr_data_is_2101()
    {
        var (routing, sessionId) = await Client.PriceAsync(from: "PVG", to: "NRT");
        AssertError(2101, await Client.Call("GetSSRAvailability", Availability(sessionId, routing)));
    }

    [Fact]
    public async Task Availability_for_an_unknown_session_is_2002()
    {
        var (routing, _) = await Client.PriceAsync();
        AssertError(2002, await Client.Call("GetSSRAvailability", Availability("0123456789abcdef0123456789abcdef", routing)));
    }

    [Fact]
    public async Task Availability_for_a_segment_outside_the_session_is_1004()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        var request = Availability(sessionId, routing);
        request["segments"]![0]!["flightNumber"] = "ZZ999";
        AssertError(1004, await Client.Call("GetSSRAvailability", request));
    }

    [Fact]
    public async Task Selling_an_ssr_adds_its_price_to_the_running_total()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var offer = Ssr(await Offered(sessionId, routing), "PA20");
        var fare = Dec(routing["adultFare"]) + Dec(routing["adultTax"]);

        var reply = await Client.Call("SellSSR", Sale(sessionId, routing, "PA20", "0"));
        AssertSuccess(reply, "Success");
        Assert.Equal(sessionId, Str(reply["sessionId"]));
        Assert.Equal(fare + Dec(offer["amount"]), Dec(reply["totalCost"]));
        Assert.Equal("CNY", Str(reply["currency"]));

        // Sales are additive: the same code again counts twice.
        var again = await Client.Call("SellSSR", Sale(sessionId, routing, "PA20", "0", count: 2));
        Assert.Equal(fare + 3 * Dec(offer["amount"]), Dec(again["totalCost"]));
    }

    [Fact]
    public async Task The_sample_spellings_ssrCode_and_a_numeric_passengerId_are_accepted()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        await Offered(sessionId, routing);
        AssertSuccess(await Client.Call("SellSSR", Sale(sessionId, routing, "PA15", 0, codeField: "ssrCode")), "Success");
    }

    [Fact]
    public async Task Without_a_prior_availability_call_the_catalogue_decides()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        AssertSuccess(await Client.Call("SellSSR", Sale(sessionId, routing, "PA25", "0")), "Success");
        AssertError(2102, await Client.Call("SellSSR", Sale(sessionId, routing, "ZZ99", "0")));
    }

    [Fact]
    public async Task Sold_ssrs_are_part_of_the_order()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var offer = Ssr(await Offered(sessionId, routing), "PA20");
        await Client.Call("SellSSR", Sale(sessionId, routing, "PA20", "0", count: 2));
        await Client.PayAsync(sessionId, "CNY");
        var commit = await Client.CommitAsync(sessionId);
        Assert.Equal(Dec(routing["adultFare"]) + Dec(routing["adultTax"]) + 2 * Dec(offer["amount"]), Dec(commit["totalCost"]));

        var detail = await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = Str(commit["orderNo"]), ["email"] = "qa@example.com" });
        var ssr = detail["ssrs"]!.AsArray().Single()!;
        Assert.Equal("PA20", Str(ssr["ssrcode"]));
        Assert.Equal(2, ssr["count"]!.GetValue<int>());
        Assert.Equal("0", Str(ssr["passengerId"]));
    }

    [Fact]
    public async Task Selling_on_an_unknown_session_is_2002()
    {
        var (routing, _) = await Client.PriceAsync();
        AssertError(2002, await Client.Call("SellSSR", Sale("0123456789abcdef0123456789abcdef", routing, "PA20", "0")));
    }

    [Fact]
    public async Task Selling_on_a_committed_session_is_2002()
    {
        var commit = await Client.BookAsync();
        var (routing, _) = await Client.PriceAsync();
        AssertError(2002, await Client.Call("SellSSR", Sale(Str(commit["sessionId"]), routing, "PA20", "0")));
    }

    [Fact]
    public async Task Selling_before_SetPassengers_is_2003()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        await Offered(sessionId, routing);
        AssertError(2003, await Client.Call("SellSSR", Sale(sessionId, routing, "PA20", "0")));
    }

    [Fact]
    public async Task Selling_to_an_unknown_passengerId_is_2009()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        await Offered(sessionId, routing);
        AssertError(2009, await Client.Call("SellSSR", Sale(sessionId, routing, "PA20", "7")));
    }

    [Fact]
    public async Task A_code_that_was_not_offered_is_2102()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        await Offered(sessionId, routing);
        AssertError(2102, await Client.Call("SellSSR", Sale(sessionId, routing, "PA99", "0")));
    }

    [Fact]
    public async Task A_post_booking_ssr_applyType_2_cannot_be_bought_before_Commit_2102()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        await Offered(sessionId, routing);
        AssertError(2102, await Client.Call("SellSSR", Sale(sessionId, routing, "PC20", "0")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_count_below_1_is_1004(int count)
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        await Offered(sessionId, routing);
        AssertError(1004, await Client.Call("SellSSR", Sale(sessionId, routing, "PA20", "0", count)));
    }

    [Fact]
    public async Task A_sale_without_a_code_is_1001()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var request = Sale(sessionId, routing, "PA20", "0");
        request["ssrs"]![0]!.AsObject().Remove("ssrcode");
        AssertError(1001, await Client.Call("SellSSR", request));
    }
}
