using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sandbox.Tests.FliggyFlight;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Top;

/// <summary>The README's pasteable TOP request, read from the README itself, verifies against the demo tenant.</summary>
public partial class ReadmeExampleTests : FliggyTest
{
    [GeneratedRegex(@"--data-urlencode '([^=]+)=([^']*)'")]
    private static partial Regex Field();

    [Fact]
    public async Task The_readme_request_is_signed_correctly_for_its_frozen_clock()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("## A first TOP request", StringComparison.Ordinal);
        var end = readme.IndexOf("Or sign the current time", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README section 'A first TOP request' not found");
        var section = readme[start..end];
        var fields = Field().Matches(section).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Contains("sign", fields.Keys);
        Assert.Contains("\"now\":\"2024-01-01T12:00:00+08:00\"", section);

        await Host.FreezeClockAsync(DateTimeOffset.Parse("2024-01-01T12:00:00+08:00"));
        var r = await Host.Http.PostAsync("/router/rest", new FormUrlEncodedContent(fields));
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.True(body["alitrip_flight_service_search_response"]?["is_success"]?.GetValue<bool>() == true, body.ToJsonString());
    }
}
