using Sandbox.LoadTests.Protocol;
using System.Text;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Tmc;

/// <summary>The binary WebSocket protocol of spec §3.3 over a real WebSocket, with the tests' own client.</summary>
public class TmcChannelTests(TmcHostFixture fixture) : IClassFixture<TmcHostFixture>
{
    SandboxHost Host => fixture.Host;

    async Task<(string Tenant, TmcTestClient Client)> ConnectedAsync(JsonObject? tmc = null, string group = "default")
    {
        var (tenant, appKey, secret) = await fixture.TenantAsync(tmc);
        var client = await TmcTestClient.OpenAsync(Host.BaseAddress);
        var ack = await client.ConnectAsync(appKey, secret, group);
        Assert.Equal(0, ack.StatusCode);
        return (tenant, client);
    }

    [Theory]
    [InlineData("/tmc", 0)]
    [InlineData("/", 0)]
    [InlineData("/tmc", 1)]
    public async Task A_good_connect_gets_a_token_and_its_flag_back(string path, int flag)
    {
        var (_, appKey, secret) = await fixture.TenantAsync();
        await using var client = await TmcTestClient.OpenAsync(Host.BaseAddress, path);
        var ack = await client.ConnectAsync(appKey, secret, flag: flag);
        Assert.Equal((TmcWire.ConnectAck, 0, (string?)null, flag), (ack.Type, ack.StatusCode, ack.StatusPhrase, ack.Flag));
        Assert.False(string.IsNullOrEmpty(ack.Token));
        Assert.Empty(ack.Headers);
    }

    [Fact]
    public async Task A_bad_sign_is_refused_with_403_then_closed_with_1008_and_journalled_with_the_expected_canonical_string()
    {
        var (tenant, appKey, secret) = await fixture.TenantAsync();
        await using var client = await TmcTestClient.OpenAsync(Host.BaseAddress);
        var ack = await client.ConnectAsync(appKey, secret, sign: "00000000000000000000000000000000", flag: 3);
        Assert.Equal((403, "invalid sign", (string?)null, 3), (ack.StatusCode, ack.StatusPhrase, ack.Token, ack.Flag));
        Assert.Equal((ushort)1008, await client.ClosedAsync());

        var entry = (await Host.AdminGet($"/journal?tenant={tenant}&operation=tmc.connect"))!.AsArray().First()!;
        Assert.Equal(("failed", "403"), (entry["signature"]!.GetValue<string>(), entry["resultCode"]!.GetValue<string>()));
        var diagnostic = entry["diagnostic"]!.GetValue<string>();
        Assert.Contains($"app_key{appKey}group_namedefaulttimestamp", diagnostic);
        Assert.DoesNotContain(secret, diagnostic);
    }

    [Fact]
    public async Task Unknown_app_key_unknown_group_and_a_stale_timestamp_are_refused()
    {
        var (_, appKey, secret) = await fixture.TenantAsync();
        async Task<(int, string?, ushort?)> Try(string key, string group, long? ts)
        {
            await using var c = await TmcTestClient.OpenAsync(Host.BaseAddress);
            var ack = await c.ConnectAsync(key, secret, group, ts);
            return (ack.StatusCode, ack.StatusPhrase, await c.ClosedAsync());
        }
        Assert.Equal((401, "invalid app_key", (ushort?)1008), await Try("nobody", "default", null));
        Assert.Equal((402, "invalid group_name", (ushort?)1008), await Try(appKey, "vip", null));
        Assert.Equal((408, "timestamp out of range", (ushort?)1008), await Try(appKey, "default", 1704081600000));
    }

    [Fact]
    public async Task A_published_message_is_pushed_with_the_types_both_clients_read_and_a_confirm_deletes_it()
    {
        var (tenant, client) = await ConnectedAsync();
        await using var _ = client;
        var id = await TmcTenant.PublishAsync(Host, tenant, orderNo: "77");
        var push = (await client.DataAsync(1))[0];
        Assert.Equal(client.Token, push.Token);
        Assert.Equal((0, 0, (string?)null), (push.Flag, push.StatusCode, push.StatusPhrase));
        Assert.Equal(id, push["id"]);
        Assert.Equal("alitrip_flight_TradeNotify", push["topic"]);
        Assert.Equal($"{{\"id\":\"{id}\",\"order_no\":\"77\",\"type\":\"3\"}}", push["content"]);
        Assert.IsType<DateTimeOffset>(push["time"]);
        Assert.IsType<DateTimeOffset>(push["outtime"]);
        Assert.Equal("4272", push["publisher"]);
        Assert.Equal(2200000000001L, push["userid"]);
        Assert.Equal("sandbox_seller", push["nick"]);
        Assert.Equal(0, push["retried"]);

        Assert.Equal("inflight", (await TmcTenant.GroupAsync(Host, tenant))["messages"]![0]!["status"]!.GetValue<string>());
        await client.ConfirmAsync(push["id"]!);
        await Eventually(async () => TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)).Count == 0);
    }

    [Fact]
    public async Task Messages_queued_before_the_connection_arrive_after_connect_and_on_pull()
    {
        var (tenant, appKey, secret) = await fixture.TenantAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++) ids.Add(await TmcTenant.PublishAsync(Host, tenant));
        await using var client = await TmcTestClient.OpenAsync(Host.BaseAddress);
        await client.ConnectAsync(appKey, secret);
        await client.PullAsync();
        Assert.Equal(ids, (await client.DataAsync(3)).Select(d => (long)d["id"]!));
    }

    [Fact]
    public async Task At_most_32_unconfirmed_pushes_per_connection_and_each_confirm_lets_the_next_one_through()
    {
        var (tenant, client) = await ConnectedAsync();
        await using var _ = client;
        for (var i = 0; i < 40; i++) await TmcTenant.PublishAsync(Host, tenant);
        var first = await client.DataAsync(32);
        Assert.Null(await client.NextAsync(TimeSpan.FromMilliseconds(500)));
        await client.ConfirmAsync(first[0]["id"]!);
        var next = (await client.DataAsync(1))[0];
        Assert.DoesNotContain((long)next["id"]!, first.Select(d => (long)d["id"]!));
    }

    [Fact]
    public async Task Failed_makes_the_message_deliverable_again_after_10_seconds_with_retried_1()
    {
        var (tenant, client) = await ConnectedAsync();
        await using var _ = client;
        await Host.FreezeClockAsync(tenant: tenant);
        var id = await TmcTenant.PublishAsync(Host, tenant);
        Assert.Equal(0, (await client.DataAsync(1))[0]["retried"]);
        await client.FailedAsync(id);
        await Eventually(async () => (await TmcTenant.GroupAsync(Host, tenant))["messages"]![0]!["status"]!.GetValue<string>() == "delayed");
        await Host.AdvanceAsync("PT10S", tenant);
        var again = (await client.DataAsync(1))[0];
        Assert.Equal((id, 1), ((long)again["id"]!, (int)again["retried"]!));
    }

    [Fact]
    public async Task A_push_not_confirmed_in_60_virtual_seconds_is_pushed_again()
    {
        var (tenant, client) = await ConnectedAsync();
        await using var _ = client;
        await Host.FreezeClockAsync(tenant: tenant);
        var id = await TmcTenant.PublishAsync(Host, tenant);
        await client.DataAsync(1);
        await Host.AdvanceAsync("PT59S", tenant);
        Assert.Null(await client.NextAsync(TimeSpan.FromMilliseconds(300)));
        await Host.AdvanceAsync("PT1S", tenant);
        var again = (await client.DataAsync(1))[0];
        Assert.Equal((id, 1), ((long)again["id"]!, (int)again["retried"]!));
    }

    [Fact]
    public async Task What_a_dropped_connection_held_goes_to_the_next_connection_of_the_group()
    {
        var (tenant, appKey, secret) = await fixture.TenantAsync();
        var id = await TmcTenant.PublishAsync(Host, tenant);
        var first = await TmcTestClient.OpenAsync(Host.BaseAddress);
        await first.ConnectAsync(appKey, secret);
        Assert.Equal(id, (await first.DataAsync(1))[0]["id"]);
        first.Socket.Drop();
        await first.DisposeAsync();

        await using var second = await TmcTestClient.OpenAsync(Host.BaseAddress, "/");
        await second.ConnectAsync(appKey, secret);
        var again = (await second.DataAsync(1))[0];
        Assert.Equal((id, 1), ((long)again["id"]!, (int)again["retried"]!));
    }

    [Fact]
    public async Task Competing_consumers_of_a_group_each_get_a_share_and_no_message_twice()
    {
        var (tenant, appKey, secret) = await fixture.TenantAsync();
        await using var a = await TmcTestClient.OpenAsync(Host.BaseAddress);
        await using var b = await TmcTestClient.OpenAsync(Host.BaseAddress);
        await a.ConnectAsync(appKey, secret);
        await b.ConnectAsync(appKey, secret);
        var ids = new List<long>();
        for (var i = 0; i < 40; i++) ids.Add(await TmcTenant.PublishAsync(Host, tenant));

        var got = new Dictionary<TmcTestClient, List<long>> { [a] = [], [b] = [] };
        async Task Drain(TmcTestClient c)
        {
            while (await c.NextAsync(TimeSpan.FromSeconds(1)) is { } m)
            {
                got[c].Add((long)m["id"]!);
                await c.ConfirmAsync(m["id"]!);
            }
        }
        await Task.WhenAll(Drain(a), Drain(b));
        Assert.NotEmpty(got[a]);
        Assert.NotEmpty(got[b]);
        Assert.Empty(got[a].Intersect(got[b]));
        Assert.Equal(ids, got[a].Concat(got[b]).Order());
    }

    [Fact]
    public async Task A_ping_is_answered_with_its_payload()
    {
        var (_, client) = await ConnectedAsync();
        await using var _ = client;
        await client.Socket.SendAsync(RawWebSocket.Ping, "heartbeat"u8.ToArray());
        Assert.Null(await client.NextAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal("heartbeat", Encoding.UTF8.GetString(client.LastPong!));
        Assert.Null(client.CloseCode);
    }

    [Fact]
    public async Task A_client_publish_gets_a_sendack_with_its_flag_and_no_status()
    {
        var (_, client) = await ConnectedAsync();
        await using var _ = client;
        await client.Socket.SendBinaryAsync(new TmcWire { Type = TmcWire.Send, Token = client.Token, Flag = 9 }
            .Add("__kind", (sbyte)3).Add("topic", "taobao_fuwu_ElectronicInvoice").Add("content", "{}").Encode());
        var ack = await client.NextAsync();
        Assert.Equal((TmcWire.SendAck, 9, client.Token, 0), (ack!.Type, ack.Flag, ack.Token, ack.StatusCode));
    }

    [Fact]
    public async Task Permessage_deflate_is_declined()
    {
        var (_, appKey, secret) = await fixture.TenantAsync();
        await using var ws = await RawWebSocket.ConnectAsync(Host.BaseAddress, "/tmc", ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
        Assert.Equal(101, ws.Status);
        Assert.False(ws.Headers.ContainsKey("Sec-WebSocket-Extensions"));
        Assert.False(ws.Headers.ContainsKey("Sec-WebSocket-Protocol"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/tmc")]
    public async Task A_plain_GET_is_not_taken_by_TMC(string path)
    {
        var response = await Host.Http.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Anything_but_a_valid_TMC_exchange_closes_the_connection_with_1008()
    {
        var (_, appKey, secret) = await fixture.TenantAsync();
        async Task<ushort?> Closed(Func<TmcTestClient, Task> act, bool connect)
        {
            await using var c = await TmcTestClient.OpenAsync(Host.BaseAddress);
            if (connect) await c.ConnectAsync(appKey, secret);
            await act(c);
            return await c.ClosedAsync();
        }
        Assert.Equal((ushort?)1008, await Closed(c => c.Socket.SendAsync(RawWebSocket.Text, "hello"u8.ToArray()), connect: false));
        Assert.Equal((ushort?)1008, await Closed(c => c.Socket.SendBinaryAsync([2, 0, 9, 9]), connect: false));
        Assert.Equal((ushort?)1008, await Closed(c => c.PullAsync(), connect: false));
        Assert.Equal((ushort?)1008, await Closed(c => c.Socket.SendBinaryAsync(new TmcWire { Type = TmcWire.Send, Token = "forged" }.Add("__kind", (sbyte)1).Encode()), connect: true));
        Assert.Equal((ushort?)1008, await Closed(c => c.Socket.SendBinaryAsync([2, 2, 5, 0]), connect: true));
    }

    [Fact]
    public async Task A_client_closing_normally_gets_its_close_answered_and_its_messages_released()
    {
        var (tenant, client) = await ConnectedAsync();
        var id = await TmcTenant.PublishAsync(Host, tenant);
        await client.DataAsync(1);
        await client.Socket.SendCloseAsync();
        Assert.Equal((ushort?)1000, await client.ClosedAsync());
        await client.DisposeAsync();
        await Eventually(async () => (await TmcTenant.GroupAsync(Host, tenant))["messages"]![0]!["status"]!.GetValue<string>() == "ready");
        Assert.Equal([id], TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));
    }

    [Fact]
    public async Task The_admin_read_lists_the_connections_of_a_group()
    {
        var (tenant, client) = await ConnectedAsync();
        await using var _ = client;
        var connection = Assert.Single((await TmcTenant.GroupAsync(Host, tenant))["connections"]!.AsArray())!;
        Assert.Equal((client.Token, "TaoMessageConsumer"), (connection["token"]!.GetValue<string>(), connection["sdk"]!.GetValue<string>()));
    }

    internal static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition never held");
            await Task.Delay(25);
        }
    }
}
