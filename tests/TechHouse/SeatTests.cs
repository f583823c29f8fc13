using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>GetSeatAvailability and AssignSeats (spec §5.6, §5.7).</summary>
public class SeatTests : TechHouseTest
{
    static JsonObject SeatMapRequest(string sessionId, JsonObject routing)
    {
        var r = SegmentRef(routing["fromSegments"]![0]!);
        r["sessionId"] = sessionId;
        r["routeType"] = 1;
        return r;
    }

    static JsonObject Assign(string sessionId, JsonObject routing, params (string PassengerId, string Designator)[] seats)
    {
        var r = SeatMapRequest(sessionId, routing);
        r["seats"] = new JsonArray(seats.Select(s => (JsonNode)new JsonObject { ["designator"] = s.Designator, ["passengerId"] = s.PassengerId }).ToArray());
        return r;
    }

    async Task<List<JsonObject>> SeatMap(string sessionId, JsonObject routing)
    {
        var reply = await Client.Call("GetSeatAvailability", SeatMapRequest(sessionId, routing));
        AssertSuccess(reply, "Success");
        return reply["result"]!["seats"]!.AsArray().Select(s => s!.AsObject()).ToList();
    }

    static JsonObject FirstOpen(List<JsonObject> map, int skip = 0) => map.Where(s => Str(s["availability"]) == "Open").Skip(skip).First();

    [Fact]
    public async Task The_seat_map_lists_designators_with_availability_class_and_price()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        var map = await SeatMap(sessionId, routing);

        Assert.NotEmpty(map);
        Assert.Contains(map, s => Str(s["availability"]) == "Open");
        foreach (var seat in map)
        {
            Assert.Contains(Str(seat["availability"]), new[] { "Open", "Close" });
            Assert.Matches("^[0-9]{1,2}[A-F]$", Str(seat["designator"]));
            Assert.Equal(Str(routing["fromSegments"]![0]!["cabinClass"]), Str(seat["classCode"]));
            Assert.True(Dec(seat["amount"]) >= 0);
            Assert.Equal("CNY", Str(seat["currency"]));
        }
        Assert.Equal(map.Count, map.Select(s => Str(s["designator"])).Distinct().Count());
    }

    [Fact]
    public async Task A_flight_without_a_seat_map_is_2201()
    {
        await Host.WriteScenarioAsync("noseatmaps", """
            supplier: techhouse
            description: PEK-SHA without seat maps
            extends: default
            catalog:
              routes:
                - {from: PEK, to: SHA, carriers: [CA], flightsPerDay: 4, currency: CNY, fare: [700, 1900], duration: 135, seats: false}
            """);
        await Host.UseScenarioAsync("noseatmaps");
        var (routing, sessionId) = await Client.PriceAsync();

        AssertError(2201, await Client.Call("GetSeatAvailability", SeatMapRequest(sessionId, routing)));
    }

    [Fact]
    public async Task The_seat_map_of_an_unknown_session_is_2002()
    {
        var (routing, _) = await Client.PriceAsync();
        AssertError(2002, await Client.Call("GetSeatAvailability", SeatMapRequest("0123456789abcdef0123456789abcdef", routing)));
    }

    [Fact]
    public async Task The_seat_map_of_a_flight_outside_the_session_is_1004()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        var request = SeatMapRequest(sessionId, routing);
        request["depDate"] = FutureDate(31);
        AssertError(1004, await Client.Call("GetSeatAvailability", request));
    }

    [Fact]
    public async Task Assigning_a_seat_adds_its_price_to_the_running_total()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var seat = (await SeatMap(sessionId, routing)).Where(s => Str(s["availability"]) == "Open").MaxBy(s => Dec(s["amount"]))!;

        var reply = await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", Str(seat["designator"]))));
        AssertSuccess(reply, "Success");
        Assert.Equal(Dec(routing["adultFare"]) + Dec(routing["adultTax"]) + Dec(seat["amount"]), Dec(reply["totalCost"]));
        Assert.Equal("CNY", Str(reply["currency"]));
    }

    [Fact]
    public async Task Seats_may_be_sent_as_a_single_object_like_the_sample()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var seat = FirstOpen(await SeatMap(sessionId, routing));
        var request = SeatMapRequest(sessionId, routing);
        request["seats"] = new JsonObject { ["designator"] = Str(seat["designator"]), ["passengerId"] = "0" };
        AssertSuccess(await Client.Call("AssignSeats", request), "Success");
    }

    [Fact]
    public async Task Reassigning_a_passenger_replaces_the_seat_and_frees_the_old_one()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var map = await SeatMap(sessionId, routing);
        var first = FirstOpen(map);
        var second = FirstOpen(map, 1);
        await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", Str(first["designator"]))));
        var reply = await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", Str(second["designator"]))));
        Assert.Equal(Dec(routing["adultFare"]) + Dec(routing["adultTax"]) + Dec(second["amount"]), Dec(reply["totalCost"]));

        // The first seat is free again for another booking.
        var (_, other) = await Client.WithPassengersAsync();
        var otherMap = await SeatMap(other, routing);
        Assert.Equal("Open", Str(otherMap.Single(s => Str(s["designator"]) == Str(first["designator"]))["availability"]));
        Assert.Equal("Close", Str(otherMap.Single(s => Str(s["designator"]) == Str(second["designator"]))["availability"]));
    }

    [Fact]
    public async Task A_seat_another_booking_holds_shows_Close_and_is_2203()
    {
        var (routing, mine) = await Client.WithPassengersAsync();
        var seat = Str(FirstOpen(await SeatMap(mine, routing))["designator"]);
        AssertSuccess(await Client.Call("AssignSeats", Assign(mine, routing, ("0", seat))), "Success");

        var (_, theirs) = await Client.WithPassengersAsync();
        var theirMap = await SeatMap(theirs, routing);
        Assert.Equal("Close", Str(theirMap.Single(s => Str(s["designator"]) == seat)["availability"]));
        AssertError(2203, await Client.Call("AssignSeats", Assign(theirs, routing, ("0", seat))));
    }

    [Fact]
    public async Task Seats_of_a_committed_order_stay_taken()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var seat = Str(FirstOpen(await SeatMap(sessionId, routing))["designator"]);
        await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", seat)));
        await Client.PayAsync(sessionId, "CNY");
        AssertSuccess(await Client.CommitAsync(sessionId));

        var (_, next) = await Client.WithPassengersAsync();
        AssertError(2203, await Client.Call("AssignSeats", Assign(next, routing, ("0", seat))));
    }

    [Fact]
    public async Task A_seat_the_airline_closed_is_2203()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var closed = (await SeatMap(sessionId, routing)).First(s => Str(s["availability"]) == "Close");
        AssertError(2203, await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", Str(closed["designator"])))));
    }

    [Fact]
    public async Task Two_passengers_on_one_seat_is_2203()
    {
        var (routing, sessionId) = await Client.PriceAsync(adults: 2);
        await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU"), Passenger("1", "LI"));
        var seat = Str(FirstOpen(await SeatMap(sessionId, routing))["designator"]);
        AssertError(2203, await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", seat), ("1", seat))));
    }

    [Fact]
    public async Task A_designator_outside_the_seat_map_is_2202()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        await SeatMap(sessionId, routing);
        AssertError(2202, await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", "99Z"))));
    }

    [Fact]
    public async Task Assigning_before_SetPassengers_is_2003()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        var seat = Str(FirstOpen(await SeatMap(sessionId, routing))["designator"]);
        AssertError(2003, await Client.Call("AssignSeats", Assign(sessionId, routing, ("0", seat))));
    }

    [Fact]
    public async Task Assigning_to_an_unknown_passengerId_is_2009()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var seat = Str(FirstOpen(await SeatMap(sessionId, routing))["designator"]);
        AssertError(2009, await Client.Call("AssignSeats", Assign(sessionId, routing, ("123456", seat))));
    }

    [Fact]
    public async Task Assigning_on_an_unknown_or_committed_session_is_2002()
    {
        var (routing, _) = await Client.PriceAsync();
        AssertError(2002, await Client.Call("AssignSeats", Assign("0123456789abcdef0123456789abcdef", routing, ("0", "30A"))));
        var commit = await Client.BookAsync();
        AssertError(2002, await Client.Call("AssignSeats", Assign(Str(commit["sessionId"]), routing, ("0", "30A"))));
    }

    [Fact]
    public async Task Assigning_without_seats_is_1001()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        AssertError(1001, await Client.Call("AssignSeats", SeatMapRequest(sessionId, routing)));
    }
}
