using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.TechHouse;

/// <summary>GetAirlinesAndRoutings and GetBalance (spec §5.10, §5.11).</summary>
public class AccountTests : TechHouseTest
{
    [Fact]
    public async Task The_airline_catalogue_lists_each_carrier_with_its_routes_both_ways()
    {
        var reply = await Client.Call("GetAirlinesAndRoutings", new JsonObject { ["sessionId"] = "77935418d55fd48629be0643557121f4", ["routeType"] = 1 });

        AssertSuccess(reply);
        var airlines = reply["airlineList"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(airlines.Select(a => Str(a["airCode"])).Order(StringComparer.Ordinal), airlines.Select(a => Str(a["airCode"])));
        var ca = airlines.Single(a => Str(a["airCode"]) == "CA");
        Assert.Equal("Air China", Str(ca["airName"]));
        Assert.Equal("CN", Str(ca["airCountry"]));
        Assert.Equal(0, ca["airStatus"]!.GetValue<int>());
        var routes = ca["routingList"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var pekSha = routes.Single(r => Str(r["depAirport"]) == "PEK" && Str(r["airAirport"]) == "SHA");
        Assert.Equal("北京-上海", Str(pekSha["portNameCn"]));
        Assert.Equal("Beijing-Shanghai", Str(pekSha["portNameEn"]));
        Assert.Equal(0, pekSha["routStatus"]!.GetValue<int>());
        Assert.Contains(routes, r => Str(r["depAirport"]) == "SHA" && Str(r["airAirport"]) == "PEK");
        // A route with no flights is listed as inactive.
        Assert.Equal(1, routes.Single(r => Str(r["depAirport"]) == "PEK" && Str(r["airAirport"]) == "XXN")["routStatus"]!.GetValue<int>());
        Assert.Contains(airlines, a => Str(a["airCode"]) == "NH");
    }

    [Fact]
    public async Task The_catalogue_needs_no_session()
    {
        var reply = await Client.Call("GetAirlinesAndRoutings", new JsonObject());
        AssertSuccess(reply);
        Assert.NotEmpty(reply["airlineList"]!.AsArray());
    }

    [Fact]
    public async Task The_balance_lists_the_opening_balance_per_currency()
    {
        var reply = await Client.Call("GetBalance", new JsonObject { ["routeType"] = 1, ["apiBalance"] = "xx" });

        AssertSuccess(reply);
        var balances = reply["balanceList"]!.AsArray().ToDictionary(b => Str(b!["currency"]), b => Dec(b!["balance"]));
        Assert.Equal(new Dictionary<string, decimal> { ["CNY"] = 1_000_000m, ["THB"] = 5_000_000m, ["USD"] = 100_000m }, balances);
    }

    [Fact]
    public async Task The_balance_is_per_merchant()
    {
        var other = await Host.AddTechHouseTenantAsync("other", "otherMerchantKey1", "other-secret-other-secret-other-s", new { USD = 250.5 });
        await Client.BookAsync();

        var reply = await other.Call("GetBalance", new JsonObject());
        var only = reply["balanceList"]!.AsArray().Single()!;
        Assert.Equal("USD", Str(only["currency"]));
        Assert.Equal(250.5m, Dec(only["balance"]));
    }

    [Fact]
    public async Task The_balance_survives_a_restart()
    {
        await Client.BookAsync();
        var before = await Client.BalanceAsync();
        await Host.RestartAsync();
        Assert.Equal(before, await new TechHouseClient(Host.Http).BalanceAsync());
    }
}
