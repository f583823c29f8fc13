using Microsoft.Extensions.Configuration;
using Sandbox.Suppliers.TechHouse;

namespace Sandbox.Tests.Unit;

/// <summary>The routing-token secret is TechHouse's setting (Sandbox:TechHouse:TokenSecret); the engine-wide key it had before still works.</summary>
public class TechHouseOptionsTests
{
    static TechHouseOptions From(params (string Key, string Value)[] settings) =>
        TechHouseOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void The_TechHouse_section_sets_the_token_secret() =>
        Assert.Equal("from-section", From(("Sandbox:TechHouse:TokenSecret", "from-section"), ("Sandbox:TokenSecret", "legacy")).TokenSecret);

    [Fact]
    public void The_former_engine_wide_key_is_the_fallback() =>
        Assert.Equal("legacy", From(("Sandbox:TokenSecret", "legacy")).TokenSecret);

    [Fact]
    public void Without_either_the_default_secret_applies() =>
        Assert.Equal(new TechHouseOptions().TokenSecret, From().TokenSecret);
}
