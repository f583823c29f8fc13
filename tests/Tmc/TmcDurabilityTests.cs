using Sandbox.Engine.Storage;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Tmc;

/// <summary>Messages survive a restart until confirmed; a confirmed one is never delivered again; server pings tolerate doubled pongs.</summary>
public class TmcDurabilityTests
{
    [Fact]
    public async Task Unconfirmed_messages_are_delivered_again_after_a_restart_and_confirmed_ones_never()
    {
        await using var host = await SandboxHost.StartAsync();
        await TmcTenant.AddAsync(host, "durable", "ak-durable", "sk-durable");
        var confirmed = await TmcTenant.PublishAsync(host, "durable", orderNo: "1");
        var pending = await TmcTenant.PublishAsync(host, "durable", orderNo: "2");
        var queued = await TmcTenant.PublishAsync(host, "durable", orderNo: "3");

        await using (var client = await TmcTestClient.OpenAsync(host.BaseAddress))
        {
            await client.ConnectAsync("ak-durable", "sk-durable");
            var pushes = await client.DataAsync(3);
            Assert.Equal([confirmed, pending, queued], pushes.Select(p => (long)p["id"]!));
            await client.ConfirmAsync(confirmed);
            await TmcChannelTests.Eventually(() => Task.FromResult(host.Service<IStore>().LoadTmcMessages().All(r => r.Id != confirmed)));
            await host.RestartAsync();
        }

        Assert.Equal([pending, queued], host.Service<IStore>().LoadTmcMessages().Where(r => r.Tenant == "durable").Select(r => r.Id));
        await using var again = await TmcTestClient.OpenAsync(host.BaseAddress);
        await again.ConnectAsync("ak-durable", "sk-durable");
        var redelivered = await again.DataAsync(2);
        Assert.Equal([(pending, 1), (queued, 1)], redelivered.Select(p => ((long)p["id"]!, (int)p["retried"]!)));
        Assert.Null(await again.NextAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Messages_a_killed_process_had_pushed_are_deliverable_at_once_when_the_queues_are_rebuilt()
    {
        await using var host = await SandboxHost.StartAsync();
        await TmcTenant.AddAsync(host, "killed", "ak-killed", "sk-killed");
        var store = host.Service<IStore>();
        var far = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        // What the store holds after kill -9: the push was recorded, the connection never released it.
        await store.Write(w =>
        {
            w.InsertTmcMessage(new TmcMessageRow(11, "killed", "default", "alitrip_flight_TradeNotify", 1, "u", "4272", "{}", 0, 1, far, "dead-connection-token", false));
            w.InsertTmcMessage(new TmcMessageRow(12, "killed", "default", "alitrip_flight_TradeNotify", 1, "u", "4272", "{}", 0, 1, far, Sandbox.Suppliers.Top.Tmc.TmcQueues.HttpHolder, false));
        });
        var rebuilt = new Sandbox.Suppliers.Top.Tmc.TmcQueues(store, host.Service<Sandbox.Engine.Clock.VirtualClock>(),
            host.Service<Sandbox.Engine.Tenants.TenantRegistry>(), new Sandbox.Engine.Cluster.SingleReplica(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Sandbox.Suppliers.Top.Tmc.TmcQueues>.Instance);
        var taken = rebuilt.Take(rebuilt.Queue("killed", "default"), 10, "next-connection", TimeSpan.FromMinutes(1));
        Assert.Equal([(11L, 2)], taken.Select(m => (m.Id, m.Deliveries)));
        Assert.True(rebuilt.NextId() > 12);
    }

    [Fact]
    public async Task An_http_lease_keeps_running_across_a_restart_and_ids_keep_growing()
    {
        await using var host = await SandboxHost.StartAsync();
        await TmcTenant.AddAsync(host, "lease", "ak-lease", "sk-lease");
        await host.FreezeClockAsync(tenant: "lease");
        var id = await TmcTenant.PublishAsync(host, "lease");
        var api = host.Service<Sandbox.Suppliers.Top.Tmc.TmcApi>();
        var uow = new UnitOfWork(host.Service<IStore>());
        Assert.Single(api.Consume(uow, TmcTenant.Tenant(host, "lease"), null, null).Value!.Messages);
        await uow.CommitAsync();

        await host.RestartAsync();
        api = host.Service<Sandbox.Suppliers.Top.Tmc.TmcApi>();
        Assert.Empty(api.Consume(new UnitOfWork(host.Service<IStore>()), TmcTenant.Tenant(host, "lease"), null, null).Value!.Messages);
        await host.AdvanceAsync("PT5M", "lease");
        Assert.Equal([id], api.Consume(new UnitOfWork(host.Service<IStore>()), TmcTenant.Tenant(host, "lease"), null, null).Value!.Messages.Select(m => m.Id));
        Assert.True(await TmcTenant.PublishAsync(host, "lease") > id);
    }

    [Fact]
    public async Task A_tenant_reset_wipes_its_queues_and_closes_its_connections()
    {
        await using var host = await SandboxHost.StartAsync();
        await TmcTenant.AddAsync(host, "wiped", "ak-wiped", "sk-wiped");
        await TmcTenant.PublishAsync(host, "wiped");
        await using var client = await TmcTestClient.OpenAsync(host.BaseAddress);
        await client.ConnectAsync("ak-wiped", "sk-wiped");
        await client.DataAsync(1);
        Assert.Equal(200, (await host.AdminSend(HttpMethod.Post, "/tenants/wiped/reset")).Status);
        Assert.Equal((ushort?)1008, await client.ClosedAsync());
        Assert.Empty(TmcTenant.Ids(await TmcTenant.GroupAsync(host, "wiped")));
        Assert.DoesNotContain(host.Service<IStore>().LoadTmcMessages(), r => r.Tenant == "wiped");
    }

    [Fact]
    public async Task Server_pings_answered_with_two_pongs_each_keep_the_connection_working()
    {
        await using var host = await SandboxHost.StartAsync(settings: new() { ["Sandbox:Tmc:PingInterval"] = "00:00:00.200" });
        await TmcTenant.AddAsync(host, "pinged", "ak-pinged", "sk-pinged");
        await using var client = await TmcTestClient.OpenAsync(host.BaseAddress);
        client.PongsPerPing = 2;
        await client.ConnectAsync("ak-pinged", "sk-pinged");
        for (var i = 0; i < 50 && client.PingsSeen < 3; i++) Assert.Null(await client.NextAsync(TimeSpan.FromMilliseconds(300)));
        Assert.True(client.PingsSeen >= 3, $"the server sent {client.PingsSeen} pings");
        Assert.Null(client.CloseCode);

        var id = await TmcTenant.PublishAsync(host, "pinged");
        Assert.Equal(id, (await client.DataAsync(1))[0]["id"]);
        await client.ConfirmAsync(id);
        await TmcChannelTests.Eventually(async () => TmcTenant.Ids(await TmcTenant.GroupAsync(host, "pinged")).Count == 0);
    }

    [Fact]
    public async Task A_connection_that_sends_no_CONNECT_in_time_is_closed_with_1008()
    {
        await using var host = await SandboxHost.StartAsync(settings: new() { ["Sandbox:Tmc:ConnectTimeout"] = "00:00:00.300" });
        await using var client = await TmcTestClient.OpenAsync(host.BaseAddress);
        Assert.Equal((ushort?)1008, await client.ClosedAsync());
        Assert.Equal("no CONNECT received", client.CloseReason);
    }
}
