namespace Sandbox.Tests.Unit;

/// <summary>Sandbox:Store selects the store; a value the sim cannot serve stops it at start with the reason.</summary>
public class StoreSelectionTests
{
    [Theory]
    [InlineData("mongodb", "Sandbox:Store must be sqlite or postgres")]
    [InlineData("postgres", "Sandbox:ConnectionStrings:Postgres is empty")]
    public void A_store_that_cannot_be_used_is_refused_at_start(string store, string reason)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SandboxApp.Build(["--urls", "http://127.0.0.1:0", "--Sandbox:Store", store]));
        Assert.Contains(reason, e.Message);
    }
}
