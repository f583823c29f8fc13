using System.Text.Json.Nodes;

namespace Sandbox.Tests.Infrastructure;

/// <summary>
/// A fresh sandbox per test (xunit creates the class per test) with the demo tenant's clock frozen at the
/// current instant, so that nothing expires or tickets unless the test advances the clock.
/// </summary>
public abstract class TechHouseTest : IAsyncLifetime
{
    protected SandboxHost Host { get; private set; } = null!;
    protected TechHouseClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Host = await SandboxHost.StartAsync();
        Client = new TechHouseClient(Host.Http);
        await Host.FreezeClockAsync();
    }

    public virtual async Task DisposeAsync() => await Host.DisposeAsync();

    protected static int Status(JsonObject reply) => TechHouseClient.Status(reply);

    protected static string Str(JsonNode? node) => node!.GetValue<string>();

    protected static decimal Dec(JsonNode? node) => node!.GetValue<decimal>();

    /// <summary>The document's error form: only <c>status</c> and <c>msg</c> (msg under 64 characters).</summary>
    protected static void AssertError(int status, JsonObject reply)
    {
        Assert.True(Status(reply) == status, $"expected status {status}, got {reply.ToJsonString()}");
        Assert.Equal(["msg", "status"], reply.Select(p => p.Key).Order());
        var msg = Str(reply["msg"]);
        Assert.InRange(msg.Length, 1, 63);
    }

    protected static void AssertSuccess(JsonObject reply, string msg = "success")
    {
        Assert.True(Status(reply) == 0, "expected success, got " + reply.ToJsonString());
        Assert.Equal(msg, Str(reply["msg"]));
    }
}
