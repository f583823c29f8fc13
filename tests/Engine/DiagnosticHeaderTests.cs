using System.Text;
using System.Text.Json.Nodes;
using Sandbox.Engine.Pipeline;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Yobaoxing;

namespace Sandbox.Tests.Engine;

/// <summary>
/// <c>X-Sandbox-Diagnostic</c> stays a header clients accept whatever was sent: at most 1 KB of visible ASCII, values
/// clipped, the expected value at its end still there.
/// </summary>
public sealed class DiagnosticHeaderTests : IAsyncLifetime
{
    SandboxHost _host = null!;

    public async Task InitializeAsync() => _host = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    static readonly string Huge = new('k', 100_000);

    static void AssertBounded(string? diagnostic)
    {
        Assert.NotNull(diagnostic);
        Assert.InRange(diagnostic.Length, 1, SupplierPipeline.MaxDiagnosticHeader);
        Assert.All(diagnostic, ch => Assert.InRange(ch, ' ', '~'));
    }

    async Task<(JsonObject Reply, string? Diagnostic)> TechHouse(string key, string timestamp)
    {
        var envelope = new JsonObject
        {
            ["action"] = "GetBalance", ["key"] = key, ["timestamp"] = timestamp, ["signature"] = "bm90IGEgc2lnbmF0dXJl", ["request"] = new JsonObject(),
        };
        using var resp = await _host.Http.PostAsync("/flight/order", new StringContent(envelope.ToJsonString(), Encoding.UTF8, "application/json"));
        return (JsonNode.Parse(await resp.Content.ReadAsStringAsync())!.AsObject(),
            resp.Headers.TryGetValues(SupplierPipeline.DiagnosticHeader, out var d) ? d.Single() : null);
    }

    [Fact]
    public async Task A_100_KB_unknown_key_gives_a_short_diagnostic_with_the_keys_length()
    {
        var (reply, diagnostic) = await TechHouse(Huge, "1500375695.65");

        Assert.Equal(1101, reply["status"]!.GetValue<int>());
        AssertBounded(diagnostic);
        Assert.Contains("kkkk", diagnostic);
        Assert.Contains("(100000 chars)", diagnostic);
    }

    [Fact]
    public async Task A_100_KB_timestamp_is_clipped_in_the_signature_explanation()
    {
        var (reply, diagnostic) = await TechHouse(TechHouseClient.DemoKey, Huge);

        Assert.Equal(1101, reply["status"]!.GetValue<int>());
        AssertBounded(diagnostic);
        Assert.Contains("signature mismatch", diagnostic);
        Assert.Contains("(100000 chars)", diagnostic);
        Assert.Contains("expected value ends", diagnostic);
    }

    [Fact]
    public async Task A_Yobaoxing_sign_over_a_100_KB_parameter_keeps_the_expected_sign_at_the_end()
    {
        var client = new YobaoxingClient(_host.Http);
        var parameters = client.Parameters(("memo", Huge));
        parameters.RemoveAll(p => p.Key == "sign");
        parameters.Add(new("sign", "WRONG"));

        var reply = await client.Send(HttpMethod.Post, "/yobaoxing/POST/GetProducts.aspx", new FormUrlEncodedContent(parameters));

        Assert.Equal(-1, reply.Retcode);
        AssertBounded(reply.Diagnostic);
        Assert.Contains("characters in all", reply.Diagnostic);
        Assert.EndsWith("got 'WRONG'", reply.Diagnostic);
    }

    [Fact]
    public void A_long_diagnostic_keeps_its_beginning_and_its_end_and_escapes_what_is_not_visible_ASCII()
    {
        var text = "start 北京 " + new string('x', 5000) + " the end";

        var header = SupplierPipeline.HeaderSafe(text);

        Assert.Equal(SupplierPipeline.MaxDiagnosticHeader, header.Length);
        Assert.StartsWith("start \\u5317\\u4EAC x", header);
        Assert.EndsWith("x the end", header);
        Assert.Equal("short \\u00E9", SupplierPipeline.HeaderSafe("short é"));
    }

    [Theory]
    [InlineData("abcd", "****")]
    [InlineData("ctPJAIdxUA3ptaWC", "ctPJ************")]
    public void Masks_keep_four_characters_of_a_secret(string secret, string masked) => Assert.Equal(masked, Diagnostic.Mask(secret));

    [Fact]
    public void A_long_secret_is_masked_to_32_characters_and_its_length()
    {
        var masked = Diagnostic.Mask(Huge);
        Assert.Equal("kkkk" + new string('*', 28) + "...(100000 chars)", masked);
        Assert.Equal("(none)", Diagnostic.Clip(null));
        Assert.Equal(new string('k', 64) + "...(100000 chars)", Diagnostic.Clip(Huge));
    }
}
