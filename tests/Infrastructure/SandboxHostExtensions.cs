using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Tests.Infrastructure;

/// <summary>Admin-API shortcuts the tests share: the tenant clock, callback URL, extra tenants and scenario files.</summary>
public static class SandboxHostExtensions
{
    /// <summary>Freezes the tenant's clock (at <paramref name="now"/>, or where it is), so that nothing fires by itself.</summary>
    public static async Task FreezeClockAsync(this SandboxHost host, DateTimeOffset? now = null, string tenant = "demo")
    {
        var (status, body) = await host.AdminSend(HttpMethod.Put, $"/tenants/{tenant}/clock",
            now is null ? new { frozen = true } : new { frozen = true, now = now.Value.ToString("O", CultureInfo.InvariantCulture) });
        Assert.True(status == 200, $"PUT clock: {status} {body}");
    }

    /// <summary>Moves the tenant's virtual clock; the call returns after everything that became due has run.</summary>
    public static async Task AdvanceAsync(this SandboxHost host, string by, string tenant = "demo")
    {
        var (status, body) = await host.AdminSend(HttpMethod.Post, $"/tenants/{tenant}/clock/advance", new { by });
        Assert.True(status == 200, $"advance clock: {status} {body}");
    }

    public static async Task RouteCallbacksToAsync(this SandboxHost host, CallbackReceiver receiver, string tenant = "demo")
    {
        var t = (await host.AdminGet("/tenants/" + tenant))!.AsObject();
        t["callbacks"]!["techhouse"] = receiver.Url + "/sync";
        var (status, body) = await host.AdminSend(HttpMethod.Put, "/tenants/" + tenant, t);
        Assert.True(status == 200, $"PUT tenant: {status} {body}");
    }

    /// <summary>Creates a tenant with its own TechHouse key and secret; returns a client signing with them.</summary>
    public static async Task<TechHouseClient> AddTechHouseTenantAsync(this SandboxHost host, string id, string key, string secret,
        object? balances = null)
    {
        var credentials = new JsonObject { ["key"] = key, ["secret"] = secret };
        if (balances is not null) credentials["balances"] = System.Text.Json.JsonSerializer.SerializeToNode(balances);
        var (status, body) = await host.AdminSend(HttpMethod.Post, "/tenants", new JsonObject
        {
            ["id"] = id,
            ["name"] = "Tenant " + id,
            ["credentials"] = new JsonObject { ["techhouse"] = credentials },
        });
        Assert.True(status == 201, $"POST tenant: {status} {body}");
        return new TechHouseClient(host.Http, key, secret);
    }

    /// <summary>Writes scenarios/techhouse/{name}.yaml into the host's private scenario copy and reloads.</summary>
    public static async Task<JsonNode?> WriteScenarioAsync(this SandboxHost host, string name, string yaml, int expectStatus = 200)
    {
        await File.WriteAllTextAsync(Path.Combine(host.ScenariosPath, "techhouse", name + ".yaml"), yaml);
        var (status, body) = await host.AdminSend(HttpMethod.Post, "/scenarios/reload");
        Assert.True(status == expectStatus, $"reload: {status} {body}");
        return body;
    }

    public static async Task UseScenarioAsync(this SandboxHost host, string set, string tenant = "demo")
    {
        var (status, body) = await host.AdminSend(HttpMethod.Put, $"/tenants/{tenant}/scenario", new { supplier = "techhouse", set });
        Assert.True(status == 200, $"PUT scenario: {status} {body}");
    }

    /// <summary>The delivery log of the tenant's callbacks, oldest first.</summary>
    public static async Task<List<JsonObject>> CallbacksAsync(this SandboxHost host, string tenant = "demo") =>
        (await host.AdminGet("/callbacks?tenant=" + tenant))!.AsArray().Select(c => c!.AsObject()).Reverse().ToList();

    /// <summary>Polls the delivery log until <paramref name="done"/> holds (delivery results are written just after the HTTP exchange).</summary>
    public static async Task<List<JsonObject>> CallbacksWhenAsync(this SandboxHost host, Func<List<JsonObject>, bool> done, string tenant = "demo",
        int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var log = await host.CallbacksAsync(tenant);
            if (done(log)) return log;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("callback log never reached the expected state: " + new JsonArray(log.Select(l => (JsonNode)l.DeepClone()).ToArray()).ToJsonString());
            await Task.Delay(50);
        }
    }

    public static string Sign(string key, string secret, string timestamp) => TechHouseSignature.Sign(key, secret, timestamp);
}
