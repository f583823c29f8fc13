using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Bpt;

/// <summary>One sandbox with its BPT port on loopback, shared by a test class; tests keep apart by using their own PNRs.</summary>
public sealed class BptHostFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;
    public BptClient Client { get; private set; } = null!;

    static int _next = Random.Shared.Next(0, 20_000);

    /// <summary>A PNR no other test uses: letters only after the prefix, never a ZZ trigger unless asked.</summary>
    public static string Pnr(string prefix = "T")
    {
        var n = Interlocked.Increment(ref _next);
        var chars = new char[6 - prefix.Length];
        for (var i = chars.Length - 1; i >= 0; i--, n /= 26) chars[i] = (char)('A' + n % 26);
        return prefix + new string(chars);
    }

    public static Task<SandboxHost> StartHost() =>
        SandboxHost.StartAsync(settings: new() { ["Sandbox:Listeners:bpt"] = "http://127.0.0.1:0" });

    public async Task InitializeAsync()
    {
        Host = await StartHost();
        Client = await BptClient.StartAsync(Host);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
