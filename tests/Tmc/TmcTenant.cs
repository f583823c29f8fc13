using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Top.Tmc;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Tmc;

/// <summary>Test tenants with TOP credentials and TMC settings, and publishing as a module would.</summary>
public static class TmcTenant
{
    public static async Task AddAsync(SandboxHost host, string id, string appKey, string secret, JsonObject? tmc = null)
    {
        var tenant = new JsonObject
        {
            ["id"] = id,
            ["credentials"] = new JsonObject { ["top"] = new JsonObject { ["appKey"] = appKey, ["appSecret"] = secret } },
        };
        if (tmc is not null) tenant["settings"] = new JsonObject { ["top"] = new JsonObject { ["tmc"] = tmc } };
        var (status, body) = await host.AdminSend(HttpMethod.Post, "/tenants", tenant);
        Assert.True(status == 201, $"POST tenant: {status} {body}");
    }

    public static Tenant Tenant(SandboxHost host, string id) => host.Service<TenantRegistry>().Find(id)!;

    /// <summary>Publishes in a unit of work of its own, the way a flights state change does, and returns the id.</summary>
    public static async Task<long> PublishAsync(SandboxHost host, string tenant, string topic = "alitrip_flight_TradeNotify",
        long userId = 2200000000001, string nick = "sandbox_seller", string orderNo = "1234125412")
    {
        var uow = new UnitOfWork(host.Service<IStore>());
        var id = host.Service<ITmcPublisher>().Publish(uow, new TmcPublication(tenant, topic, userId, nick,
            mid => $"{{\"id\":\"{mid}\",\"order_no\":\"{orderNo}\",\"type\":\"3\"}}"));
        await uow.CommitAsync();
        return id;
    }

    /// <summary>The admin read of the tenant's queues, one group.</summary>
    public static async Task<JsonObject> GroupAsync(SandboxHost host, string tenant, string group = "default")
    {
        var all = (await host.AdminGet($"/tenants/{tenant}/tmc/queues"))!;
        return all["groups"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == group)!.AsObject();
    }

    public static List<long> Ids(JsonObject group) => group["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()).ToList();
}
