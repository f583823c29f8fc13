using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>Commit (spec §5.12, §6.2): creates the order and pays it; idempotent; its documented refusals.</summary>
public class CommitTests : TechHouseTest
{
    async Task<(JsonObject Routing, string SessionId)> ReadyToCommit(string lastName = "LIU")
    {
        var (routing, sessionId) = await Client.WithPassengersAsync(lastName);
        AssertSuccess(await Client.PayAsync(sessionId, "CNY"), "Success");
        return (routing, sessionId);
    }

    [Fact]
    public async Task Commit_creates_a_pending_order_and_debits_the_balance()
    {
        var before = await Client.BalanceAsync();
        var (routing, sessionId) = await ReadyToCommit();
        var reply = await Client.CommitAsync(sessionId);

        AssertSuccess(reply);
        var orderNo = Str(reply["orderNo"]);
        // lf + yyMMddHHmmss (UTC+8) + 6 digits, like the sample lf170908141233456789.
        var clock = (await Host.AdminGet("/tenants/demo/clock"))!;
        var stamp = DateTimeOffset.Parse(Str(clock["now"])).ToOffset(TimeSpan.FromHours(8)).ToString("yyMMddHHmmss");
        Assert.Matches("^lf" + stamp + @"\d{6}$", orderNo);
        Assert.Equal("PENDING", Str(reply["orderStatus"]));
        var total = Dec(routing["adultFare"]) + Dec(routing["adultTax"]);
        Assert.Equal(total, Dec(reply["totalCost"]));
        Assert.Equal("CNY", Str(reply["currency"]));
        Assert.False(reply["isPriceChanged"]!.GetValue<bool>());
        Assert.True(reply["timeflag"]!.GetValue<double>() > 1_500_000_000);
        Assert.Equal(before - total, await Client.BalanceAsync());
    }

    [Fact]
    public async Task A_second_Commit_returns_the_same_order_without_debiting_again()
    {
        var (_, sessionId) = await ReadyToCommit();
        var first = await Client.CommitAsync(sessionId);
        var afterFirst = await Client.BalanceAsync();

        var second = await Client.CommitAsync(sessionId);
        AssertSuccess(second);
        Assert.Equal(Str(first["orderNo"]), Str(second["orderNo"]));
        Assert.Equal(Dec(first["totalCost"]), Dec(second["totalCost"]));
        Assert.Equal(afterFirst, await Client.BalanceAsync());
        var orders = (await Host.AdminGet("/tenants/demo/orders"))!.AsArray();
        Assert.Single(orders);
    }

    [Fact]
    public async Task Commit_of_an_unknown_session_is_2002() =>
        AssertError(2002, await Client.CommitAsync("0123456789abcdef0123456789abcdef"));

    [Fact]
    public async Task Commit_after_the_session_expired_is_2002()
    {
        var (_, sessionId) = await ReadyToCommit();
        await Host.AdvanceAsync("PT31M");
        AssertError(2002, await Client.CommitAsync(sessionId));
    }

    [Fact]
    public async Task Commit_after_the_price_ttl_is_2013()
    {
        var (_, sessionId) = await ReadyToCommit();
        var before = await Client.BalanceAsync();
        await Host.AdvanceAsync("PT21M");
        AssertError(2013, await Client.CommitAsync(sessionId));
        Assert.Equal(before, await Client.BalanceAsync());
    }

    [Fact]
    public async Task Commit_just_within_the_price_ttl_succeeds()
    {
        var (_, sessionId) = await ReadyToCommit();
        await Host.AdvanceAsync("PT19M");
        AssertSuccess(await Client.CommitAsync(sessionId));
    }

    [Fact]
    public async Task Commit_without_passengers_is_2003()
    {
        var (_, sessionId) = await Client.PriceAsync();
        AssertSuccess(await Client.PayAsync(sessionId, "CNY"), "Success");
        AssertError(2003, await Client.CommitAsync(sessionId));
    }

    [Fact]
    public async Task Commit_without_a_payment_method_is_2301()
    {
        var (_, sessionId) = await Client.WithPassengersAsync();
        AssertError(2301, await Client.CommitAsync(sessionId));
    }

    [Fact]
    public async Task Commit_when_the_seats_went_while_booking_is_2012()
    {
        var search = await Client.Call("LowFareSearch", SearchRequest("PEK", "SHA", FutureDate()));
        var routing = search["routings"]!.AsArray().First(r => r!["maxSeats"]!.GetValue<int>() <= 7)!.AsObject();
        var seats = routing["maxSeats"]!.GetValue<int>();
        async Task<string> Session()
        {
            var priced = await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = Str(routing["data"]) } });
            return Str(priced["sessionId"]);
        }
        var late = await Session();
        await Client.SetPassengersAsync(late, Passenger("0", "LATE"));
        await Client.PayAsync(late, "CNY");

        // Another booking takes every seat left in the class first.
        var early = await Session();
        await Client.SetPassengersAsync(early, Enumerable.Range(0, seats).Select(i => Passenger(i.ToString(), "EARLY")).ToArray());
        await Client.PayAsync(early, "CNY");
        AssertSuccess(await Client.CommitAsync(early));

        var before = await Client.BalanceAsync();
        AssertError(2012, await Client.CommitAsync(late));
        Assert.Equal(before, await Client.BalanceAsync());
    }

    [Fact]
    public async Task Commit_with_a_balance_below_the_total_is_1201_and_debits_nothing()
    {
        var poor = await Host.AddTechHouseTenantAsync("poor", "poorMerchantKey1", "poor-secret-poor-secret-poor-sec", new { CNY = 10 });
        var (_, sessionId) = await poor.WithPassengersAsync();
        AssertSuccess(await poor.PayAsync(sessionId, "CNY"), "Success");

        AssertError(1201, await poor.CommitAsync(sessionId));
        Assert.Equal(10m, await poor.BalanceAsync());
        Assert.Empty((await Host.AdminGet("/tenants/poor/orders"))!.AsArray());
    }

    [Fact]
    public async Task A_committed_session_can_be_committed_again_after_its_ttl()
    {
        var (_, sessionId) = await ReadyToCommit();
        var first = await Client.CommitAsync(sessionId);
        await Host.AdvanceAsync("PT45M");
        var again = await Client.CommitAsync(sessionId);
        AssertSuccess(again);
        Assert.Equal(Str(first["orderNo"]), Str(again["orderNo"]));
    }

    [Fact]
    public async Task Commit_without_a_sessionId_is_1001() =>
        AssertError(1001, await Client.Call("Commit", new JsonObject { ["routeType"] = 1 }));
}
