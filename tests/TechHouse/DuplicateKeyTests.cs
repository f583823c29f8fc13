using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.TechHouse;

/// <summary>
/// A JSON field given twice is read the way the parsers behind the real API read it (PHP json_decode, Jackson, Json.NET
/// all keep the last occurrence), and the exact name before a case variant; the handlers and the scenario rules apply
/// the same rule, so a magic value and the operation never see two different values.
/// </summary>
public class DuplicateKeyTests : TechHouseTest
{
    /// <summary>An envelope whose request object is written by hand, so it can repeat a key.</summary>
    string Envelope(string action, string requestJson)
    {
        var env = JsonNode.Parse(Client.Envelope(action, new JsonObject()))!.AsObject();
        env.Remove("request");
        var text = env.ToJsonString();
        return text[..^1] + ",\"request\":" + requestJson + "}";
    }

    [Fact]
    public async Task The_last_occurrence_of_an_envelope_field_wins()
    {
        var body = Client.Envelope("GetOrderList", new JsonObject());
        var twice = body[..^1] + ",\"action\":\"GetBalance\"}";
        var (_, reply, _) = await Client.Raw(TechHouseClient.PathOf("GetBalance"), twice);
        var o = JsonNode.Parse(reply)!.AsObject();
        Assert.Equal(0, TechHouseClient.Status(o));
        Assert.NotEmpty(o["balanceList"]!.AsArray());
    }

    [Theory]
    // Exact name before a case variant, wherever it stands.
    [InlineData("\"tocity\":\"XXN\",\"toCity\":\"SHA\"", true)]
    [InlineData("\"toCity\":\"SHA\",\"TOCITY\":\"XXN\"", true)]
    [InlineData("\"toCity\":\"XXN\",\"tocity\":\"SHA\"", false)]
    // Only case variants: the last one.
    [InlineData("\"TOCITY\":\"XXN\",\"tocity\":\"SHA\"", true)]
    [InlineData("\"tocity\":\"SHA\",\"TOCITY\":\"XXN\"", false)]
    // The same name twice: the last one.
    [InlineData("\"toCity\":\"XXN\",\"toCity\":\"SHA\"", true)]
    [InlineData("\"toCity\":\"SHA\",\"toCity\":\"XXN\"", false)]
    public async Task Rules_and_the_handler_read_the_same_occurrence(string toCity, bool searchesSha)
    {
        var request = $"{{\"tripType\":\"1\",\"fromCity\":\"PEK\",{toCity},\"fromDate\":\"{TechHouseClient.FutureDate()}\",\"retDate\":\"\"}}";
        var (_, reply, _) = await Client.Raw(TechHouseClient.PathOf("LowFareSearch"), Envelope("LowFareSearch", request));
        var o = JsonNode.Parse(reply)!.AsObject();
        if (searchesSha)
        {
            Assert.Equal(0, TechHouseClient.Status(o));
            Assert.NotEmpty(o["routings"]!.AsArray());
        }
        else Assert.Equal(2011, TechHouseClient.Status(o));
    }
}
