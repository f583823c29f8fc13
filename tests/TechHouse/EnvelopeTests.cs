using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.TechHouse;

/// <summary>The common envelope codes every action can return (spec §1.2, §2.5, §3 validation order).</summary>
public class EnvelopeTests : TechHouseTest
{
    public static TheoryData<string> Actions =>
    [
        "LowFareSearch", "AirPricing", "SetPassengers", "GetSSRAvailability", "SellSSR", "GetSeatAvailability", "AssignSeats",
        "GetBookingPayments", "SetPaymentToBooking", "GetAirlinesAndRoutings", "GetBalance", "Commit", "GetOrderList", "GetOrderDetail",
    ];

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Every_action_answers_1101_when_the_signature_was_made_with_another_secret(string action)
    {
        var wrong = new TechHouseClient(Host.Http, TechHouseClient.DemoKey, "another-secret-another-secret-00");
        AssertError(1101, await wrong.Call(action, new JsonObject()));
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Every_action_answers_1102_when_the_merchant_is_disabled(string action)
    {
        var demo = (await Host.AdminGet("/tenants/demo"))!.AsObject();
        demo["disabled"] = true;
        var (status, _) = await Host.AdminSend(HttpMethod.Put, "/tenants/demo", demo);
        Assert.Equal(200, status);

        AssertError(1102, await Client.Call(action, new JsonObject()));
    }

    [Fact]
    public async Task A_merchant_enabled_again_is_served_again()
    {
        var demo = (await Host.AdminGet("/tenants/demo"))!.AsObject();
        demo["disabled"] = true;
        await Host.AdminSend(HttpMethod.Put, "/tenants/demo", demo);
        AssertError(1102, await Client.Call("GetBalance", new JsonObject()));
        demo["disabled"] = false;
        await Host.AdminSend(HttpMethod.Put, "/tenants/demo", demo);

        AssertSuccess(await Client.Call("GetBalance", new JsonObject()));
    }

    [Fact]
    public async Task An_unknown_key_is_1101()
    {
        var stranger = new TechHouseClient(Host.Http, "nobodyHasThisKey", TechHouseClient.DemoSecret);
        AssertError(1101, await stranger.Call("GetBalance", new JsonObject()));
    }

    [Fact]
    public async Task The_document_sample_timestamp_and_signature_are_accepted()
    {
        // Freshness is off by default (spec §2.5.4): the 2017 sample timestamp still verifies.
        var old = new TechHouseClient(Host.Http) { Timestamp = "1500375695.65" };
        AssertSuccess(await old.Call("GetBalance", new JsonObject()));
    }

    [Fact]
    public async Task A_missing_action_is_1001()
    {
        var body = Envelope();
        body.Remove("action");
        AssertError(1001, await Send(body));
    }

    [Theory]
    [InlineData("Book")]
    [InlineData("lowfaresearch")]   // action names are case-sensitive
    [InlineData("SyncOrderStatus")] // the push is not an action a merchant can call
    public async Task An_unknown_action_is_1002(string action)
    {
        var body = Envelope();
        body["action"] = action;
        AssertError(1002, await Send(body));
    }

    [Theory]
    [InlineData("key")]
    [InlineData("signature")]
    public async Task A_missing_key_or_signature_is_1001(string field)
    {
        var body = Envelope();
        body.Remove(field);
        AssertError(1001, await Send(body));
    }

    [Fact]
    public async Task A_missing_request_is_1001_after_the_signature_was_checked()
    {
        var body = Envelope();
        body.Remove("request");
        AssertError(1001, await Send(body));

        body["signature"] = "AAAA";
        AssertError(1101, await Send(body));
    }

    [Fact]
    public async Task Version_is_optional_and_not_checked()
    {
        var body = Envelope();
        body.Remove("version");
        AssertSuccess(await Send(body));
        body["version"] = "9.9.9";
        AssertSuccess(await Send(body));
    }

    [Fact]
    public async Task Every_action_is_accepted_on_both_paths()
    {
        var onBooking = await Client.Raw("/flight/booking", Client.Envelope("GetBalance", new JsonObject()));
        AssertSuccess(JsonNode.Parse(onBooking.Body)!.AsObject());
        var onOrder = await Client.Raw("/flight/order", Client.Envelope("GetBookingPayments", new JsonObject { ["sessionId"] = "0", ["routeType"] = 1 }));
        AssertError(2002, JsonNode.Parse(onOrder.Body)!.AsObject());
    }

    [Fact]
    public async Task A_signature_with_surrounding_whitespace_verifies()
    {
        var body = Envelope();
        body["signature"] = "  " + Str(body["signature"]) + "\n";
        AssertSuccess(await Send(body));
    }

    JsonObject Envelope() => JsonNode.Parse(Client.Envelope("GetBalance", new JsonObject()))!.AsObject();

    async Task<JsonObject> Send(JsonObject body)
    {
        var (http, text, _) = await Client.Raw("/flight/order", body.ToJsonString());
        Assert.Equal(200, http);
        return JsonNode.Parse(text)!.AsObject();
    }
}
