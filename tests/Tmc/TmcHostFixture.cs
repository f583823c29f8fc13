using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Tmc;

/// <summary>One sandbox shared by a test class; each test keeps apart with a tenant (and app key) of its own.</summary>
public sealed class TmcHostFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>A new tenant with its own app key and secret; returns (tenant, appKey, secret).</summary>
    public async Task<(string Tenant, string AppKey, string Secret)> TenantAsync(JsonObject? tmc = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var (tenant, appKey, secret) = ("tmc-" + suffix, "ak" + suffix, "secret-" + suffix);
        await TmcTenant.AddAsync(Host, tenant, appKey, secret, tmc);
        return (tenant, appKey, secret);
    }
}
