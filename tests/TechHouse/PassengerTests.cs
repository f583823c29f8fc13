using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>SetPassengers (spec §5.3, §6.2): once per session, passenger types and the child rule.</summary>
public class PassengerTests : TechHouseTest
{
    [Fact]
    public async Task Passengers_are_set_and_the_total_covers_fares_and_taxes()
    {
        var (routing, sessionId) = await Client.PriceAsync(adults: 2, children: 1);
        var reply = await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU"), Passenger("1", "LI"), Passenger("2", "LIU", ageType: 1));

        AssertSuccess(reply, "Success");
        var expected = 2 * (Dec(routing["adultFare"]) + Dec(routing["adultTax"])) + Dec(routing["childFare"]) + Dec(routing["childTax"]);
        Assert.Equal(expected, Dec(reply["totalCost"]));
        Assert.Equal(Str(routing["currency"]), Str(reply["currency"]));
    }

    [Fact]
    public async Task A_student_pays_the_adult_price_and_counts_as_an_adult()
    {
        var (routing, sessionId) = await Client.PriceAsync(adults: 1, children: 1);
        var reply = await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU", ageType: -1), Passenger("1", "LIU", ageType: 1));

        AssertSuccess(reply, "Success");
        Assert.Equal(Dec(routing["adultFare"]) + Dec(routing["adultTax"]) + Dec(routing["childFare"]) + Dec(routing["childTax"]), Dec(reply["totalCost"]));
    }

    [Fact]
    public async Task Passenger_ids_may_be_numbers_and_the_postcode_a_number()
    {
        var (_, sessionId) = await Client.PriceAsync();
        var passenger = Passenger("0", "LIU");
        passenger["passengerId"] = 0;
        var contact = Contact();
        contact["postcode"] = 200335;
        var reply = await Client.Call("SetPassengers", new JsonObject
        {
            ["sessionId"] = sessionId, ["routeType"] = 1, ["passengers"] = new JsonArray(passenger), ["contact"] = contact,
        });
        AssertSuccess(reply, "Success");
    }

    [Fact]
    public async Task A_second_SetPassengers_on_the_session_is_2008()
    {
        var (_, sessionId) = await Client.PriceAsync();
        AssertSuccess(await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU")), "Success");
        AssertError(2008, await Client.SetPassengersAsync(sessionId, Passenger("0", "WANG")));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    [InlineData(9)]
    public async Task An_age_type_other_than_0_1_or_minus_1_is_2007(int ageType)
    {
        var (_, sessionId) = await Client.PriceAsync();
        AssertError(2007, await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU"), Passenger("1", "LIU", ageType)));
    }

    [Fact]
    public async Task Children_travelling_alone_is_2014()
    {
        var (_, sessionId) = await Client.PriceAsync();
        AssertError(2014, await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU", ageType: 1)));
    }

    [Fact]
    public async Task More_children_than_adults_is_2014()
    {
        var (_, sessionId) = await Client.PriceAsync(adults: 1, children: 2);
        AssertError(2014, await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU"), Passenger("1", "LIU", 1), Passenger("2", "LIU", 1)));
    }

    [Fact]
    public async Task A_refused_SetPassengers_leaves_the_session_open_for_a_correct_one()
    {
        var (_, sessionId) = await Client.PriceAsync();
        AssertError(2014, await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU", ageType: 1)));
        AssertSuccess(await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU")), "Success");
    }

    [Fact]
    public async Task An_unknown_session_is_2002() =>
        AssertError(2002, await Client.SetPassengersAsync("0123456789abcdef0123456789abcdef", Passenger("0", "LIU")));

    [Fact]
    public async Task A_session_expires_30_virtual_minutes_after_AirPricing()
    {
        var (_, sessionId) = await Client.PriceAsync();
        await Host.AdvanceAsync("PT31M");
        AssertError(2002, await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU")));
    }

    [Fact]
    public async Task A_committed_session_refuses_SetPassengers_with_2002()
    {
        var commit = await Client.BookAsync();
        AssertError(2002, await Client.SetPassengersAsync(Str(commit["sessionId"]), Passenger("0", "WANG")));
    }

    [Fact]
    public async Task More_passengers_than_seats_left_is_2012()
    {
        var search = await Client.Call("LowFareSearch", SearchRequest("PEK", "SHA", FutureDate()));
        var routing = search["routings"]!.AsArray().First(r => r!["maxSeats"]!.GetValue<int>() <= 7)!;
        var priced = await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = Str(routing["data"]) } });
        var seats = routing["maxSeats"]!.GetValue<int>();
        var passengers = Enumerable.Range(0, seats + 1).Select(i => Passenger(i.ToString(), "LIU")).ToArray();

        AssertError(2012, await Client.SetPassengersAsync(Str(priced["sessionId"]), passengers));
    }

    public static TheoryData<string, object> BadPassengerFields => new()
    {
        { "cardNum", "G1234567890123456" },  // more than 15 characters
        { "gender", "X" },
        { "cardType", "ID" },
        { "birthday", "1983-04-18" },
        { "cardExpired", "20301399" },
        { "ageType", "adult" },
    };

    [Theory]
    [MemberData(nameof(BadPassengerFields))]
    public async Task A_malformed_passenger_field_is_1004(string field, object value)
    {
        var (_, sessionId) = await Client.PriceAsync();
        var passenger = Passenger("0", "LIU");
        passenger[field] = System.Text.Json.JsonSerializer.SerializeToNode(value);
        AssertError(1004, await Client.SetPassengersAsync(sessionId, passenger));
    }

    [Fact]
    public async Task A_duplicate_passengerId_is_1004()
    {
        var (_, sessionId) = await Client.PriceAsync(adults: 2);
        AssertError(1004, await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU"), Passenger("0", "LI")));
    }

    [Theory]
    [InlineData("passengers")]
    [InlineData("contact")]
    [InlineData("sessionId")]
    public async Task A_missing_request_field_is_1001(string field)
    {
        var (_, sessionId) = await Client.PriceAsync();
        var request = new JsonObject
        {
            ["sessionId"] = sessionId, ["routeType"] = 1, ["passengers"] = new JsonArray(Passenger("0", "LIU")), ["contact"] = Contact(),
        };
        request.Remove(field);
        AssertError(1001, await Client.Call("SetPassengers", request));
    }

    [Theory]
    [InlineData("lastName")]
    [InlineData("passengerId")]
    [InlineData("cardNum")]
    public async Task A_missing_passenger_field_is_1001(string field)
    {
        var (_, sessionId) = await Client.PriceAsync();
        var passenger = Passenger("0", "LIU");
        passenger.Remove(field);
        AssertError(1001, await Client.SetPassengersAsync(sessionId, passenger));
    }

    [Fact]
    public async Task A_missing_contact_email_is_1001()
    {
        var (_, sessionId) = await Client.PriceAsync();
        var contact = Contact();
        contact.Remove("email");
        AssertError(1001, await Client.Call("SetPassengers", new JsonObject
        {
            ["sessionId"] = sessionId, ["routeType"] = 1, ["passengers"] = new JsonArray(Passenger("0", "LIU")), ["contact"] = contact,
        }));
    }
}
