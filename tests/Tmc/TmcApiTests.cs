using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Top.Tmc;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Tmc;

/// <summary>The HTTP pull methods of spec §3.2 through the gateway-agnostic service, and the routing of §3.1.6.</summary>
public class TmcApiTests(TmcHostFixture fixture) : IClassFixture<TmcHostFixture>
{
    SandboxHost Host => fixture.Host;
    TmcApi Api => Host.Service<TmcApi>();

    UnitOfWork Uow() => new(Host.Service<IStore>());

    async Task<TmcConsumeResult> ConsumeAsync(string tenant, string? group = null, string? quantity = null)
    {
        var uow = Uow();
        var r = Api.Consume(uow, TmcTenant.Tenant(Host, tenant), group, quantity);
        Assert.Null(r.Error);
        await uow.CommitAsync();
        return r.Value!;
    }

    async Task<TmcResult<TmcIsSuccessResult>> ConfirmAsync(string tenant, string? s, string? f = null, string? group = null)
    {
        var uow = Uow();
        var r = Api.Confirm(uow, TmcTenant.Tenant(Host, tenant), group, s, f);
        await uow.CommitAsync();
        return r;
    }

    [Fact]
    public async Task Consume_hands_out_messages_in_publish_order_with_the_TmcMessage_fields_and_confirm_deletes_them()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        var a = await TmcTenant.PublishAsync(Host, tenant, orderNo: "1");
        var b = await TmcTenant.PublishAsync(Host, tenant, "alitrip_flight_RefundNotify", orderNo: "2");
        Assert.True(a < b && b < 1L << 53, "ids grow and stay within a JavaScript number");

        var got = await ConsumeAsync(tenant);
        Assert.Equal([a, b], got.Messages.Select(m => m.Id));
        var first = got.Messages[0];
        Assert.Equal(("alitrip_flight_TradeNotify", "4272", 2200000000001L, "sandbox_seller"), (first.Topic, first.PubAppKey, first.UserId, first.UserNick));
        Assert.Equal($"{{\"id\":\"{a}\",\"order_no\":\"1\",\"type\":\"3\"}}", first.Content);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"), first.PubTime);

        Assert.Empty((await ConsumeAsync(tenant)).Messages);
        Assert.Equal(["inflight", "inflight"], (await TmcTenant.GroupAsync(Host, tenant))["messages"]!.AsArray().Select(m => m!["status"]!.GetValue<string>()));

        var confirmed = await ConfirmAsync(tenant, $"{a},{b}");
        Assert.True(confirmed.Value!.IsSuccess);
        Assert.Empty(TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));
        Assert.DoesNotContain(Host.Service<IStore>().LoadTmcMessages(), r => r.Tenant == tenant);
    }

    [Fact]
    public async Task Quantity_defaults_to_100_and_must_be_an_integer_from_10_to_200()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        for (var i = 0; i < 105; i++) await TmcTenant.PublishAsync(Host, tenant);
        Assert.Equal(100, (await ConsumeAsync(tenant)).Messages.Count);
        Assert.Equal(5, (await ConsumeAsync(tenant, quantity: "10")).Messages.Count);

        foreach (var bad in new[] { "9", "201", "abc", "10.5" })
        {
            var r = Api.Consume(Uow(), TmcTenant.Tenant(Host, tenant), null, bad);
            Assert.Equal((41, "Invalid arguments:quantity", "isv.invalid-parameter"), (r.Error!.Code, r.Error.Msg, r.Error.SubCode));
        }
    }

    [Fact]
    public async Task An_unknown_group_is_an_error_and_a_configured_group_gets_its_topics()
    {
        var (tenant, _, _) = await fixture.TenantAsync(new JsonObject
        {
            ["groups"] = new JsonObject { ["refunds"] = new JsonObject { ["topics"] = new JsonArray("alitrip_flight_RefundNotify") } },
        });
        var trade = await TmcTenant.PublishAsync(Host, tenant);
        var refund = await TmcTenant.PublishAsync(Host, tenant, "alitrip_flight_RefundNotify");

        var unknown = Api.Consume(Uow(), TmcTenant.Tenant(Host, tenant), "vip", null);
        Assert.Equal((41, "Invalid arguments:group_name", "isv.invalid-parameter:group_name"), (unknown.Error!.Code, unknown.Error.Msg, unknown.Error.SubCode));
        Assert.Equal(41, Api.Confirm(Uow(), TmcTenant.Tenant(Host, tenant), "vip", "1", null).Error!.Code);

        Assert.Equal([refund], (await ConsumeAsync(tenant, "refunds")).Messages.Select(m => m.Id));
        Assert.Equal([trade], (await ConsumeAsync(tenant, "")).Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task A_group_routing_the_user_comes_before_one_routing_the_topic()
    {
        var (tenant, _, _) = await fixture.TenantAsync(new JsonObject
        {
            ["groups"] = new JsonObject
            {
                ["refunds"] = new JsonObject { ["topics"] = new JsonArray("alitrip_flight_RefundNotify") },
                ["vip"] = new JsonObject { ["nicks"] = new JsonArray("big_agency") },
            },
        });
        var vip = await TmcTenant.PublishAsync(Host, tenant, "alitrip_flight_RefundNotify", 42, "big_agency");
        var other = await TmcTenant.PublishAsync(Host, tenant, "alitrip_flight_RefundNotify");
        Assert.Equal([vip], TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant, "vip")));
        Assert.Equal([other], TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant, "refunds")));
    }

    [Fact]
    public async Task Confirm_accepts_any_integer_notation_and_ignores_unknown_ids()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++) ids.Add(await TmcTenant.PublishAsync(Host, tenant));
        await ConsumeAsync(tenant);
        var r = await ConfirmAsync(tenant, $" +{ids[0]} ,0{ids[1]},{ids[2]}.0,{(double)ids[3]:E15},123,,");
        Assert.True(r.Value!.IsSuccess);
        Assert.Empty(TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));
        Assert.True((await ConfirmAsync(tenant, ids[0].ToString())).Value!.IsSuccess);
    }

    [Theory]
    [InlineData(null, 40, "Missing required arguments:s_message_ids", "isv.missing-parameter")]
    [InlineData(" , ", 40, "Missing required arguments:s_message_ids", "isv.missing-parameter")]
    [InlineData("12,abc", 41, "Invalid arguments:s_message_ids", "isv.invalid-parameter")]
    [InlineData("1.5", 41, "Invalid arguments:s_message_ids", "isv.invalid-parameter")]
    public async Task Confirm_errors(string? ids, int code, string msg, string subCode)
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        var r = await ConfirmAsync(tenant, ids);
        Assert.Equal((code, msg, subCode), (r.Error!.Code, r.Error.Msg, r.Error.SubCode));
    }

    [Fact]
    public async Task Confirm_takes_at_most_200_ids()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        var r = await ConfirmAsync(tenant, string.Join(",", Enumerable.Range(1, 201)));
        Assert.Equal((41, "Invalid arguments:s_message_ids"), (r.Error!.Code, r.Error.Msg));
        Assert.Null((await ConfirmAsync(tenant, string.Join(",", Enumerable.Range(1, 200)))).Error);
    }

    [Fact]
    public async Task F_message_ids_make_messages_deliverable_again_at_once()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        var a = await TmcTenant.PublishAsync(Host, tenant);
        await ConsumeAsync(tenant);
        Assert.Null((await ConfirmAsync(tenant, "1", a.ToString())).Error);
        Assert.Equal([a], (await ConsumeAsync(tenant)).Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task A_consumed_message_not_confirmed_in_5_virtual_minutes_is_handed_out_again()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        await Host.FreezeClockAsync(tenant: tenant);
        var a = await TmcTenant.PublishAsync(Host, tenant);
        await ConsumeAsync(tenant);
        await Host.AdvanceAsync("PT4M59S", tenant);
        Assert.Empty((await ConsumeAsync(tenant)).Messages);
        await Host.AdvanceAsync("PT1S", tenant);
        Assert.Equal([a], (await ConsumeAsync(tenant)).Messages.Select(m => m.Id));
        var row = Assert.Single(Host.Service<IStore>().LoadTmcMessages(), r => r.Tenant == tenant);
        Assert.Equal((2, TmcQueues.HttpHolder), (row.Deliveries, row.Holder));
    }

    [Fact]
    public async Task After_max_deliveries_a_message_is_parked()
    {
        var (tenant, _, _) = await fixture.TenantAsync(new JsonObject { ["max_deliveries"] = 2 });
        var a = await TmcTenant.PublishAsync(Host, tenant);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal([a], (await ConsumeAsync(tenant)).Messages.Select(m => m.Id));
            await ConfirmAsync(tenant, "1", a.ToString());
        }
        Assert.Empty((await ConsumeAsync(tenant)).Messages);
        var parked = Assert.Single((await TmcTenant.GroupAsync(Host, tenant))["messages"]!.AsArray())!;
        Assert.Equal(("parked", 2), (parked["status"]!.GetValue<string>(), parked["deliveries"]!.GetValue<int>()));
        Assert.True(Host.Service<IStore>().LoadTmcMessages().Single(r => r.Id == a).Parked);
    }

    [Fact]
    public async Task A_message_joins_its_queue_only_when_the_unit_of_work_commits()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        var uow = Uow();
        var id = Host.Service<ITmcPublisher>().Publish(uow, new TmcPublication(tenant, "alitrip_flight_TradeNotify", 1, "u1", m => $"{{\"id\":\"{m}\"}}"));
        Assert.Empty((await ConsumeAsync(tenant)).Messages);
        Assert.DoesNotContain(Host.Service<IStore>().LoadTmcMessages(), r => r.Id == id);
        await uow.CommitAsync();
        Assert.Equal($"{{\"id\":\"{id}\"}}", Assert.Single((await ConsumeAsync(tenant)).Messages).Content);
    }

    [Fact]
    public async Task Only_subscribed_topics_are_queued()
    {
        var (tenant, _, _) = await fixture.TenantAsync(new JsonObject { ["topics"] = new JsonArray("alitrip_flight_TradeNotify") });
        await TmcTenant.PublishAsync(Host, tenant, "alitrip_flight_RefundNotify");
        var trade = await TmcTenant.PublishAsync(Host, tenant);
        Assert.Equal([trade], TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));
    }

    [Fact]
    public async Task Without_auto_permit_a_user_needs_permit_whose_topics_replace_the_previous_ones_and_cancel_closes_it()
    {
        var (tenant, _, _) = await fixture.TenantAsync(new JsonObject { ["auto_permit"] = false });
        var t = TmcTenant.Tenant(Host, tenant);
        await TmcTenant.PublishAsync(Host, tenant, nick: "agency");
        Assert.Empty(TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));

        var uow = Uow();
        Assert.True(Api.Permit(uow, t, new TmcSessionUser(7, "agency"), "alitrip_flight_RefundNotify").Value!.IsSuccess);
        await uow.CommitAsync();
        await TmcTenant.PublishAsync(Host, tenant, nick: "agency");
        var refund = await TmcTenant.PublishAsync(Host, tenant, "alitrip_flight_RefundNotify", nick: "agency");
        Assert.Equal([refund], TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));

        var user = Api.Get(t, "user_nick,user_id,is_valid,created,group_name", "agency", null).Value!.TmcUser!;
        Assert.Equal(("agency", 7L, true, "default"), (user.UserNick, user.UserId, user.IsValid, user.GroupName));
        Assert.Equal(["alitrip_flight_RefundNotify"], user.Topics);
        Assert.Null(user.Modified);

        uow = Uow();
        Assert.True(Api.Permit(uow, t, new TmcSessionUser(7, "agency"), null).Value!.IsSuccess);
        await uow.CommitAsync();
        var trade = await TmcTenant.PublishAsync(Host, tenant, nick: "agency");
        Assert.Contains(trade, TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));

        uow = Uow();
        Assert.True(Api.Cancel(uow, t, "agency", "tbUIC").Value!.IsSuccess);
        Assert.False(Api.Cancel(uow, t, "agency", null).Value!.IsSuccess);
        await uow.CommitAsync();
        Assert.Null(Api.Get(t, "user_nick", "agency", null).Value!.TmcUser);
        var after = await TmcTenant.PublishAsync(Host, tenant, nick: "agency");
        Assert.DoesNotContain(after, TmcTenant.Ids(await TmcTenant.GroupAsync(Host, tenant)));
    }

    [Fact]
    public async Task Permits_survive_a_restart_of_the_permit_store()
    {
        var (tenant, _, _) = await fixture.TenantAsync(new JsonObject { ["auto_permit"] = false });
        var uow = Uow();
        Api.Permit(uow, TmcTenant.Tenant(Host, tenant), new TmcSessionUser(9, "kept"), "alitrip_flight_TradeNotify");
        await uow.CommitAsync();
        var fresh = new TmcPermits(Host.Service<IStore>(), new Sandbox.Engine.Cluster.KvChanges());
        Assert.Equal(["alitrip_flight_TradeNotify"], fresh.Find(tenant, "kept")!.Topics);
    }

    [Fact]
    public async Task User_method_errors()
    {
        var (tenant, _, _) = await fixture.TenantAsync();
        var t = TmcTenant.Tenant(Host, tenant);
        var notSubscribed = Api.Permit(Uow(), t, new TmcSessionUser(1, "u"), "taobao_trade_TradeCreate");
        Assert.Equal((41, "Invalid arguments:topics"), (notSubscribed.Error!.Code, notSubscribed.Error.Msg));
        var tooMany = Api.Permit(Uow(), t, new TmcSessionUser(1, "u"), string.Join(",", Enumerable.Range(0, 101).Select(i => "t" + i)));
        Assert.Equal((41, "Invalid arguments:topics"), (tooMany.Error!.Code, tooMany.Error.Msg));
        Assert.Equal("Missing required arguments:nick", Api.Cancel(Uow(), t, " ", null).Error!.Msg);
        Assert.Equal("Invalid arguments:user_platform", Api.Cancel(Uow(), t, "u", "icbu").Error!.Msg);
        Assert.Equal("Missing required arguments:fields", Api.Get(t, null, "u", null).Error!.Msg);
        Assert.Equal("Missing required arguments:nick", Api.Get(t, "topics", null, null).Error!.Msg);
        Assert.Null(Api.Get(t, "topics", "nobody", null).Value!.TmcUser);
    }

    [Fact]
    public async Task The_admin_read_reports_settings_warnings_and_the_admin_publish_routes_like_a_module()
    {
        var (tenant, _, _) = await fixture.TenantAsync(new JsonObject { ["auto_permit"] = "yes", ["topics"] = new JsonArray("alitrip_flight_TradeNotify") });
        var all = (await Host.AdminGet($"/tenants/{tenant}/tmc/queues"))!;
        Assert.Contains("auto_permit must be true or false", all["warnings"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.True(all["settings"]!["auto_permit"]!.GetValue<bool>());

        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/{tenant}/tmc/messages",
            new { topic = "alitrip_flight_TradeNotify", userNick = "u2", content = new { id = "x", order_no = "5", type = "1" } });
        Assert.Equal(201, status);
        var id = body!["id"]!.GetValue<long>();
        var m = (await ConsumeAsync(tenant)).Messages.Single();
        Assert.Equal((id, "u2", $"{{\"id\":\"{id}\",\"order_no\":\"5\",\"type\":\"1\"}}"), (m.Id, m.UserNick, m.Content));

        (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/{tenant}/tmc/messages", new { topic = "alitrip_flight_RefundNotify" });
        Assert.Equal((200, false), (status, body!["queued"]!.GetValue<bool>()));
        Assert.Contains("does not subscribe", body["reason"]!.GetValue<string>());
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, $"/tenants/{tenant}/tmc/messages", new { content = "x" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/tenants/nobody/tmc/queues")).Status);
    }
}
