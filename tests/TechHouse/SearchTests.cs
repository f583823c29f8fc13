using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.TechHouse;

/// <summary>LowFareSearch (spec §5.1): one-way, round trip, async polling by searchId, and its documented errors.</summary>
public class SearchTests : TechHouseTest
{
    static readonly string Date = TechHouseClient.FutureDate();

    [Fact]
    public async Task One_way_search_returns_routings_with_every_documented_field()
    {
        var reply = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", Date));

        AssertSuccess(reply);
        Assert.False(string.IsNullOrEmpty(Str(reply["searchId"])));
        var routings = reply["routings"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.NotEmpty(routings);
        foreach (var r in routings)
        {
            Assert.True(Dec(r["adultFare"]) > 0);
            Assert.True(Dec(r["adultTax"]) >= 0);
            Assert.True(Dec(r["childFare"]) > 0 && Dec(r["childFare"]) <= Dec(r["adultFare"]));
            Assert.True(Dec(r["childTax"]) >= 0);
            Assert.Equal("CNY", Str(r["currency"]));
            Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(Str(r["data"])), 1, 999);
            Assert.Equal(1, r["routeType"]!.GetValue<int>());
            Assert.InRange(r["maxSeats"]!.GetValue<int>(), 1, 9);
            Assert.Empty(r["retSegments"]!.AsArray());
            var seg = r["fromSegments"]!.AsArray().Single()!.AsObject();
            Assert.StartsWith(Str(seg["carrier"]), Str(seg["flightNumber"]));
            Assert.Contains(Str(seg["carrier"]), new[] { "CA", "MU", "FM" });
            Assert.Equal("PEK", Str(seg["depAirport"]));
            Assert.Equal("SHA", Str(seg["arrAirport"]));
            Assert.Matches("^" + Date + @"\d{4}$", Str(seg["depTime"]));
            Assert.True(string.CompareOrdinal(Str(seg["arrTime"]), Str(seg["depTime"])) > 0);
            Assert.Equal("", Str(seg["stopCities"]));
            Assert.Equal("false", Str(seg["codeShare"]));
            Assert.True(seg["duration"]!.GetValue<int>() > 0);
            Assert.False(string.IsNullOrEmpty(Str(seg["cabin"])));
            Assert.False(string.IsNullOrEmpty(Str(seg["cabinClass"])));
            Assert.False(string.IsNullOrEmpty(Str(seg["aircraftCode"])));
            Assert.Equal("", Str(seg["operatingFlightno"]));
            Assert.Equal(0, seg["segIndex"]!.GetValue<int>());
            var package = seg["package"]!.AsArray().Single()!["packageList"]!.AsArray().Single()!;
            Assert.Equal("AA", Str(package["packageCode"]));
            Assert.True(Dec(package["amount"]) > 0);
        }
        // carriers: the sample's map form, carrier code → number of flights.
        var carriers = reply["carriers"]!.AsObject();
        Assert.Equal(["CA", "FM", "MU"], carriers.Select(c => c.Key).Order());
        Assert.Equal(routings.Count, carriers.Sum(c => c.Value!.GetValue<int>()));
    }

    [Fact]
    public async Task Round_trip_search_returns_return_segments_that_leave_after_the_outbound_lands()
    {
        var ret = TechHouseClient.FutureDate(33);
        var reply = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", Date, ret));

        AssertSuccess(reply);
        var routings = reply["routings"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.InRange(routings.Count, 1, 20);
        foreach (var r in routings)
        {
            var outbound = r["fromSegments"]!.AsArray().Single()!;
            var back = r["retSegments"]!.AsArray().Single()!;
            Assert.Equal("SHA", Str(back["depAirport"]));
            Assert.Equal("PEK", Str(back["arrAirport"]));
            Assert.StartsWith(ret, Str(back["depTime"]));
            Assert.True(string.CompareOrdinal(Str(back["depTime"]), Str(outbound["arrTime"])) > 0);
        }
        // Cheapest combinations first.
        var totals = routings.Select(r => Dec(r["adultFare"])).ToList();
        Assert.Equal(totals.Order(), totals);
    }

    [Fact]
    public async Task A_round_trip_routing_prices_both_directions()
    {
        var search = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", Date, TechHouseClient.FutureDate(33)));
        var routing = search["routings"]![0]!.AsObject();
        var priced = await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = Str(routing["data"]) } });

        AssertSuccess(priced);
        Assert.Single(priced["routing"]!["retSegments"]!.AsArray());
        Assert.Equal(Dec(routing["adultFare"]), Dec(priced["routing"]!["adultFare"]));
    }

    [Fact]
    public async Task Async_search_answers_part_of_the_set_first_then_the_whole_set_for_its_searchId()
    {
        var sync = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", Date));
        var request = TechHouseClient.SearchRequest("PEK", "SHA", Date);
        request["sync"] = 0;

        var first = await Client.Call("LowFareSearch", request);
        AssertSuccess(first);
        var searchId = Str(first["searchId"]);
        Assert.Matches(@"^\d+$", searchId); // the request types searchId as int
        var partial = first["routings"]!.AsArray().Count;
        var complete = sync["routings"]!.AsArray().Count;
        Assert.True(partial < complete, $"first async answer should be partial: {partial} of {complete}");

        request["searchId"] = long.Parse(searchId);
        var second = await Client.Call("LowFareSearch", request);
        AssertSuccess(second);
        Assert.Equal(searchId, Str(second["searchId"]));
        Assert.Equal(complete, second["routings"]!.AsArray().Count);
        var third = await Client.Call("LowFareSearch", request);
        Assert.Equal(complete, third["routings"]!.AsArray().Count);
    }

    [Fact]
    public async Task Async_search_with_an_unknown_searchId_is_1004()
    {
        var request = TechHouseClient.SearchRequest("PEK", "SHA", Date);
        request["sync"] = 0;
        request["searchId"] = 1;
        AssertError(1004, await Client.Call("LowFareSearch", request));
    }

    [Fact]
    public async Task Sync_search_still_emits_a_searchId()
    {
        var a = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", Date));
        var b = await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", Date));
        Assert.NotEqual(Str(a["searchId"]), Str(b["searchId"]));
    }

    [Theory]
    [InlineData("PEK", "LHR")]
    [InlineData("SHA", "CTU")]
    public async Task A_city_pair_outside_the_catalogue_is_2010(string from, string to) =>
        AssertError(2010, await Client.Call("LowFareSearch", TechHouseClient.SearchRequest(from, to, Date)));

    [Fact]
    public async Task Routes_are_served_in_both_directions() =>
        AssertSuccess(await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("SHA", "PEK", Date)));

    [Fact]
    public async Task A_date_beyond_the_catalogue_horizon_is_2011() =>
        AssertError(2011, await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", TechHouseClient.FutureDate(400))));

    [Fact]
    public async Task A_weekday_the_route_does_not_fly_is_2011()
    {
        // BKK-ICN flies on days 1, 3, 5, 7 (Monday, Wednesday, Friday, Sunday).
        var tuesday = Enumerable.Range(10, 7).Select(TechHouseClient.FutureDate)
            .First(d => DateOnly.ParseExact(d, "yyyyMMdd").DayOfWeek == DayOfWeek.Tuesday);
        var monday = DateOnly.ParseExact(tuesday, "yyyyMMdd").AddDays(-1).ToString("yyyyMMdd");

        AssertError(2011, await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("BKK", "ICN", tuesday)));
        AssertSuccess(await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("BKK", "ICN", monday)));
    }

    [Theory]
    [InlineData("tripType", "3")]
    [InlineData("fromDate", "2030-01-01")]
    [InlineData("fromDate", "20300230")]
    [InlineData("fromDate", "20200101")]      // in the past
    [InlineData("toCity", "SHANGHAI")]
    [InlineData("adultNumber", "9")]          // "less than 9"
    [InlineData("childNumber", "-1")]
    [InlineData("adultNumber", "two")]
    public async Task A_malformed_search_field_is_1004(string field, string value)
    {
        var request = TechHouseClient.SearchRequest("PEK", "SHA", Date);
        request[field] = value;
        AssertError(1004, await Client.Call("LowFareSearch", request));
    }

    [Fact]
    public async Task A_round_trip_needs_a_return_date_on_or_after_the_outbound_date()
    {
        var noReturn = TechHouseClient.SearchRequest("PEK", "SHA", Date);
        noReturn["tripType"] = "2";
        AssertError(1004, await Client.Call("LowFareSearch", noReturn));

        var before = TechHouseClient.SearchRequest("PEK", "SHA", Date, TechHouseClient.FutureDate(29));
        AssertError(1004, await Client.Call("LowFareSearch", before));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public async Task A_timeout_outside_1_to_60_seconds_is_1004(int timeout)
    {
        var request = TechHouseClient.SearchRequest("PEK", "SHA", Date);
        request["timeout"] = timeout;
        AssertError(1004, await Client.Call("LowFareSearch", request));
    }

    [Theory]
    [InlineData("tripType")]
    [InlineData("fromCity")]
    [InlineData("toCity")]
    [InlineData("fromDate")]
    public async Task A_missing_search_field_is_1001(string field)
    {
        var request = TechHouseClient.SearchRequest("PEK", "SHA", Date);
        request.Remove(field);
        AssertError(1001, await Client.Call("LowFareSearch", request));
    }

    [Fact]
    public async Task Currency_and_passenger_counts_are_optional()
    {
        var request = new JsonObject { ["tripType"] = "1", ["fromCity"] = "DMK", ["toCity"] = "KUL", ["fromDate"] = Date, ["retDate"] = "" };
        var reply = await Client.Call("LowFareSearch", request);
        AssertSuccess(reply);
        Assert.All(reply["routings"]!.AsArray(), r => Assert.Equal("USD", Str(r!["currency"])));
    }

    [Fact]
    public async Task Numbers_sent_as_JSON_numbers_are_accepted_like_strings()
    {
        var request = TechHouseClient.SearchRequest("PEK", "SHA", Date);
        request["tripType"] = 1;
        request["adultNumber"] = 2;
        request["childNumber"] = 1;
        AssertSuccess(await Client.Call("LowFareSearch", request));
    }
}
