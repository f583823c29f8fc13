using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>GetBookingPayments and SetPaymentToBooking (spec §5.8, §5.9).</summary>
public class PaymentTests : TechHouseTest
{
    [Fact]
    public async Task Only_the_balance_method_AG_is_offered()
    {
        var (routing, sessionId) = await Client.PriceAsync();
        var reply = await Client.Call("GetBookingPayments", new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1 });

        AssertSuccess(reply, "Success");
        var method = reply["payments"]!.AsArray().Single()!;
        Assert.Equal("AG", Str(method["code"]));
        Assert.False(string.IsNullOrEmpty(Str(method["name"])));
        Assert.False(string.IsNullOrEmpty(Str(method["desc"])));
        Assert.Equal(0m, Dec(method["chargeFee"]));
        Assert.Equal(Str(routing["currency"]), Str(method["currency"]));
    }

    [Fact]
    public async Task Payment_methods_of_an_unknown_session_are_2002() =>
        AssertError(2002, await Client.Call("GetBookingPayments", new JsonObject { ["sessionId"] = "0123456789abcdef0123456789abcdef", ["routeType"] = 1 }));

    [Fact]
    public async Task Setting_the_payment_returns_the_amount_to_pay()
    {
        var (routing, sessionId) = await Client.WithPassengersAsync();
        var reply = await Client.PayAsync(sessionId, "CNY");

        AssertSuccess(reply, "Success");
        Assert.Equal(Dec(routing["adultFare"]) + Dec(routing["adultTax"]), Dec(reply["totalCost"]));
        Assert.Equal("CNY", Str(reply["currency"]));
    }

    [Fact]
    public async Task Payment_may_be_set_before_passengers_and_again_later()
    {
        var (_, sessionId) = await Client.PriceAsync();
        AssertSuccess(await Client.PayAsync(sessionId, "CNY"), "Success");
        AssertSuccess(await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU")), "Success");
        AssertSuccess(await Client.PayAsync(sessionId, "cny"), "Success");
        AssertSuccess(await Client.CommitAsync(sessionId));
    }

    [Fact]
    public async Task The_credit_card_method_is_not_supported_2301()
    {
        var (_, sessionId) = await Client.WithPassengersAsync();
        AssertError(2301, await Client.PayAsync(sessionId, "CNY", code: "XX"));
    }

    [Fact]
    public async Task A_pay_currency_other_than_the_booking_currency_is_2301()
    {
        var (_, sessionId) = await Client.WithPassengersAsync();
        AssertError(2301, await Client.PayAsync(sessionId, "USD"));
    }

    [Fact]
    public async Task A_currency_the_merchant_holds_no_balance_in_is_2301()
    {
        var other = await Host.AddTechHouseTenantAsync("usdonly", "usdOnlyMerchant1", "usd-only-secret-usd-only-secret-", new { USD = 1000 });
        var (_, sessionId) = await other.WithPassengersAsync();
        AssertError(2301, await other.PayAsync(sessionId, "CNY"));
    }

    [Fact]
    public async Task Setting_the_payment_of_an_unknown_or_committed_session_is_2002()
    {
        AssertError(2002, await Client.PayAsync("0123456789abcdef0123456789abcdef", "CNY"));
        var commit = await Client.BookAsync();
        AssertError(2002, await Client.PayAsync(Str(commit["sessionId"]), "CNY"));
    }

    [Theory]
    [InlineData("paymentCode")]
    [InlineData("payCurrency")]
    public async Task A_missing_payment_field_is_1001(string field)
    {
        var (_, sessionId) = await Client.WithPassengersAsync();
        var request = new JsonObject { ["sessionId"] = sessionId, ["routeType"] = 1, ["paymentCode"] = "AG", ["payCurrency"] = "CNY" };
        request.Remove(field);
        AssertError(1001, await Client.Call("SetPaymentToBooking", request));
    }
}
