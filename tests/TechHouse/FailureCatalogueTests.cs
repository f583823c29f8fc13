using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Sandbox.Engine.Yaml;
using Sandbox.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static Sandbox.Tests.Infrastructure.TechHouseClient;

namespace Sandbox.Tests.TechHouse;

/// <summary>Names the scenarios/techhouse/failures.yaml rule a test reaches by its magic value.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FailureRuleAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Every rule of the documented failure catalogue, reached by its magic value through real HTTP.</summary>
public class FailureCatalogueTests : TechHouseTest
{
    static readonly string Date = FutureDate();

    async Task<(JsonObject Routing, string SessionId)> ReadyToCommit(string lastName)
    {
        var (routing, sessionId) = await Client.WithPassengersAsync(lastName);
        AssertSuccess(await Client.PayAsync(sessionId, "CNY"), "Success");
        return (routing, sessionId);
    }

    [Fact]
    public void Every_rule_in_failures_yaml_has_a_test_here()
    {
        var root = Yml.LoadMapping(File.ReadAllText(Path.Combine(RepoPaths.Scenarios, "techhouse", "failures.yaml")), "failures.yaml");
        var inFile = ((YamlSequenceNode)Yml.Get(root, "rules")!).Children.Select(r => Yml.Str((YamlMappingNode)r, "name")!).Order().ToList();
        var tested = typeof(FailureCatalogueTests).GetMethods().Select(m => m.GetCustomAttribute<FailureRuleAttribute>()?.Name)
            .OfType<string>().Distinct().Order().ToList();
        Assert.Equal(inFile, tested);
    }

    [Fact, FailureRule("no-flights")]
    public async Task Searching_to_XXN_is_2011() =>
        AssertError(2011, await Client.Call("LowFareSearch", SearchRequest("PEK", "XXN", Date)));

    [Fact, FailureRule("unsupported-route")]
    public async Task Searching_from_XXX_is_2010() =>
        AssertError(2010, await Client.Call("LowFareSearch", SearchRequest("XXX", "SHA", Date)));

    [Fact, FailureRule("daily-quota-exceeded")]
    public async Task Searching_to_XXQ_is_1040_quota_exceeded() =>
        AssertError(1040, await Client.Call("LowFareSearch", SearchRequest("PEK", "XXQ", Date)));

    [Fact, FailureRule("price-change-at-airpricing")]
    public async Task Pricing_a_routing_to_XXP_moves_the_fares_up_8_percent()
    {
        var search = await Client.Call("LowFareSearch", SearchRequest("PEK", "XXP", Date));
        AssertSuccess(search);
        var routing = search["routings"]![0]!.AsObject();
        var reply = await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = Str(routing["data"]) } });

        AssertSuccess(reply);
        Assert.True(reply["isPriceChanged"]!.GetValue<bool>());
        Assert.Equal(Math.Round(Dec(routing["adultFare"]) * 1.08m), Dec(reply["routing"]!["adultFare"]));
        Assert.Equal(Dec(routing["adultTax"]), Dec(reply["routing"]!["adultTax"]));
    }

    [Fact, FailureRule("sold-out-at-airpricing")]
    public async Task Pricing_a_routing_to_XXS_is_2012()
    {
        var search = await Client.Call("LowFareSearch", SearchRequest("PEK", "XXS", Date));
        AssertSuccess(search);
        var data = Str(search["routings"]![0]!["data"]);
        AssertError(2012, await Client.Call("AirPricing", new JsonObject { ["routing"] = new JsonObject { ["data"] = data } }));
    }

    [Fact, FailureRule("price-change-at-commit")]
    public async Task Committing_for_PRICECHANGE_reprices_and_debits_the_new_total()
    {
        var (routing, sessionId) = await ReadyToCommit("PRICECHANGE");
        var before = await Client.BalanceAsync();
        var reply = await Client.CommitAsync(sessionId);

        AssertSuccess(reply);
        Assert.True(reply["isPriceChanged"]!.GetValue<bool>());
        var repriced = Math.Round(Dec(routing["adultFare"]) * 1.08m) + Dec(routing["adultTax"]);
        Assert.Equal(repriced, Dec(reply["totalCost"]));
        Assert.Equal(before - repriced, await Client.BalanceAsync());
    }

    [Fact, FailureRule("price-expired-at-commit")]
    public async Task Committing_for_PRICEEXPIRED_is_2013()
    {
        var (_, sessionId) = await ReadyToCommit("PRICEEXPIRED");
        AssertError(2013, await Client.CommitAsync(sessionId));
    }

    [Fact, FailureRule("seats-gone-at-commit")]
    public async Task Committing_for_SOLDOUT_is_2012()
    {
        var (_, sessionId) = await ReadyToCommit("SOLDOUT");
        AssertError(2012, await Client.CommitAsync(sessionId));
    }

    [Fact, FailureRule("insufficient-balance")]
    public async Task Committing_for_DECLINE_is_1201_and_creates_nothing()
    {
        var (_, sessionId) = await ReadyToCommit("DECLINE");
        var before = await Client.BalanceAsync();
        AssertError(1201, await Client.CommitAsync(sessionId));
        Assert.Equal(before, await Client.BalanceAsync());
        Assert.Empty((await Host.AdminGet("/tenants/demo/orders"))!.AsArray());
    }

    [Fact, FailureRule("ticketing-fails")]
    public async Task An_order_for_TKTFAIL_fails_ticketing_refunds_and_pushes_TICKET_FAILED()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        var before = await Client.BalanceAsync();
        var (_, sessionId) = await ReadyToCommit("TKTFAIL");
        var commit = await Client.CommitAsync(sessionId);
        AssertSuccess(commit);
        Assert.Equal(before - Dec(commit["totalCost"]), await Client.BalanceAsync());

        await Host.AdvanceAsync("PT2M");
        var push = JsonNode.Parse((await receiver.WaitForAsync(1))[0].Body)!;
        Assert.Equal(Str(commit["orderNo"]), Str(push["orderNo"]));
        Assert.Equal("TICKET_FAILED", Str(push["orderStatus"]));
        Assert.Empty(push["tickets"]!.AsArray());
        Assert.Equal(before, await Client.BalanceAsync());
        var detail = await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = Str(commit["orderNo"]) });
        Assert.Equal("TICKET_FAILED", Str(detail["orderStatus"]));
        Assert.Empty(detail["tickets"]!.AsArray());
    }

    [Fact, FailureRule("deferred-payment")]
    public async Task An_order_for_PAYLATER_awaits_payment_for_30_minutes_then_tickets()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        var (_, sessionId) = await ReadyToCommit("PAYLATER");
        var commit = await Client.CommitAsync(sessionId);
        AssertSuccess(commit);
        Assert.Equal("NEED_PAYMENT", Str(commit["orderStatus"]));
        var orderNo = Str(commit["orderNo"]);
        var detail = await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo });
        Assert.Equal("NEEDPAY", Str(detail["orderStatus"]));
        Assert.Equal(0, detail["paymentDate"]!.GetValue<long>());
        var list = await Client.Call("GetOrderList", new JsonObject
        {
            ["startTime"] = "2020-01-01T00:00:00+08:00", ["endTime"] = "2099-01-01T00:00:00+08:00", ["routeType"] = 1, ["orderStatus"] = "NEED_PAYMENT",
        });
        Assert.Contains(list["bookingList"]!.AsArray(), b => Str(b!["orderNo"]) == orderNo);

        await Host.AdvanceAsync("PT30M");
        detail = await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo });
        Assert.Equal("PENDING", Str(detail["orderStatus"]));
        Assert.NotEqual(0, detail["paymentDate"]!.GetValue<long>());
        Assert.Empty(receiver.All);

        await Host.AdvanceAsync("PT2M");
        var push = JsonNode.Parse((await receiver.WaitForAsync(1))[0].Body)!;
        Assert.Equal("TICKETED", Str(push["orderStatus"]));
    }

    [Fact, FailureRule("system-error")]
    public async Task A_passenger_named_SYSERROR_gets_1000() =>
        AssertError(1000, await Client.Call("SetPassengers", new JsonObject
        {
            ["sessionId"] = (await Client.PriceAsync()).SessionId, ["routeType"] = 1,
            ["passengers"] = new JsonArray(Passenger("0", "SYSERROR")), ["contact"] = Contact(),
        }));

    [Fact, FailureRule("system-busy")]
    public async Task A_passenger_named_SYSBUSY_gets_1005() =>
        AssertError(1005, await Client.Call("SetPassengers", new JsonObject
        {
            ["sessionId"] = (await Client.PriceAsync()).SessionId, ["routeType"] = 1,
            ["passengers"] = new JsonArray(Passenger("0", "SYSBUSY")), ["contact"] = Contact(),
        }));

    [Fact, FailureRule("slow-ticketing")]
    public async Task An_order_for_SLOWTKT_tickets_after_2_hours_instead_of_2_minutes()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        var (_, sessionId) = await ReadyToCommit("SLOWTKT");
        var orderNo = Str((await Client.CommitAsync(sessionId))["orderNo"]);

        await Host.AdvanceAsync("PT2M");
        Assert.Equal("PENDING", Str((await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo }))["orderStatus"]));
        await Host.AdvanceAsync("PT1H57M");
        Assert.Equal("PENDING", Str((await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo }))["orderStatus"]));
        Assert.Empty(receiver.All);

        await Host.AdvanceAsync("PT1M");
        var push = JsonNode.Parse((await receiver.WaitForAsync(1))[0].Body)!;
        Assert.Equal("TICKETED", Str(push["orderStatus"]));
        Assert.Equal("TICKETED", Str((await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo }))["orderStatus"]));
    }

    [Fact, FailureRule("timeout-after-commit")]
    public async Task A_Commit_for_TIMEOUT_answers_1003_yet_the_order_exists_and_a_retry_returns_it()
    {
        var (_, sessionId) = await ReadyToCommit("TIMEOUT");
        var before = await Client.BalanceAsync();

        AssertError(1003, await Client.CommitAsync(sessionId));

        var list = await Client.Call("GetOrderList", new JsonObject
        {
            ["startTime"] = "2020-01-01T00:00:00+08:00", ["endTime"] = "2099-01-01T00:00:00+08:00", ["routeType"] = 1,
        });
        var orderNo = Str(list["bookingList"]!.AsArray().Single()!["orderNo"]);
        var retry = await Client.CommitAsync(sessionId);
        AssertSuccess(retry);
        Assert.Equal(orderNo, Str(retry["orderNo"]));
        Assert.Equal(before - Dec(retry["totalCost"]), await Client.BalanceAsync());
    }

    [Fact, FailureRule("gateway-error")]
    public async Task A_passenger_named_HTTP503_gets_an_HTTP_503_gateway_page_and_changes_nothing()
    {
        var (_, sessionId) = await Client.PriceAsync();
        var envelope = Client.Envelope("SetPassengers", new JsonObject
        {
            ["sessionId"] = sessionId, ["routeType"] = 1, ["passengers"] = new JsonArray(Passenger("0", "HTTP503")), ["contact"] = Contact(),
        });
        using var resp = await Host.Http.PostAsync("/flight/booking", new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, resp.StatusCode);
        Assert.Equal("text/html", resp.Content.Headers.ContentType!.MediaType);
        Assert.Contains("503", await resp.Content.ReadAsStringAsync());
        // The fault came instead of the operation: the session still has no passengers.
        AssertSuccess(await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU")), "Success");
    }

    [Fact, FailureRule("connection-reset")]
    public async Task A_passenger_named_RESET_gets_the_connection_reset()
    {
        var (_, sessionId) = await Client.PriceAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => Client.SetPassengersAsync(sessionId, Passenger("0", "RESET")));
        AssertSuccess(await Client.SetPassengersAsync(sessionId, Passenger("0", "LIU")), "Success");
    }

    [Fact]
    public async Task A_bad_signature_is_1101_with_a_diagnostic_header_that_shows_the_plaintext_but_not_the_secret()
    {
        var wrong = new TechHouseClient(Host.Http, DemoKey, "not-the-secret-not-the-secret-00") { Timestamp = "1500375695.65" };
        var (status, body, headers) = await wrong.Raw("/flight/order", wrong.Envelope("GetBalance", new JsonObject()));

        Assert.Equal(200, status);
        AssertError(1101, JsonNode.Parse(body)!.AsObject());
        var diagnostic = headers.GetValues("X-Sandbox-Diagnostic").Single();
        Assert.Contains("ctPJ************&1500375695.65", diagnostic);
        Assert.Contains("IV = 16 zero bytes", diagnostic);
        Assert.DoesNotContain(DemoSecret, diagnostic);
        Assert.DoesNotContain(Sign(DemoKey, DemoSecret, "1500375695.65"), diagnostic);

        var journal = (await Host.AdminGet("/journal?tenant=demo&operation=GetBalance"))!.AsArray().First()!;
        Assert.Equal("failed", Str(journal["signature"]));
        Assert.DoesNotContain(DemoSecret, journal.ToJsonString());
    }

    [Fact]
    public async Task A_good_signature_gets_no_diagnostic_header()
    {
        var (_, _, headers) = await Client.Raw("/flight/order", Client.Envelope("GetBalance", new JsonObject()));
        Assert.False(headers.Contains("X-Sandbox-Diagnostic"));
    }

    static string Sign(string key, string secret, string timestamp) => Sandbox.Suppliers.TechHouse.Protocol.TechHouseSignature.Sign(key, secret, timestamp);
}
