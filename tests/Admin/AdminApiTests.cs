using System.Net;
using System.Text.Json.Nodes;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Yaml;
using Sandbox.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Tests.Admin;

/// <summary>The admin API (tenants, isolation, auth, health, catalogue, journal, scenarios, faults, reset, transitions, callbacks, clock).</summary>
public class AdminApiTests : TechHouseTest
{
    static JsonObject NewTenant(string id, string key) => new()
    {
        ["id"] = id, ["name"] = "QA " + id,
        ["credentials"] = new JsonObject { ["techhouse"] = new JsonObject { ["key"] = key, ["secret"] = "s3cret-s3cret-s3cret-s3cret-s3cr" } },
    };

    [Fact]
    public async Task Tenants_can_be_created_read_replaced_and_deleted()
    {
        var (created, body) = await Host.AdminSend(HttpMethod.Post, "/tenants", NewTenant("qa", "qaMerchantKey001"));
        Assert.Equal(201, created);
        Assert.Equal("qa", Str(body!["id"]));
        Assert.Equal(409, (await Host.AdminSend(HttpMethod.Post, "/tenants", NewTenant("qa", "qaMerchantKey002"))).Status);

        var tenant = (await Host.AdminGet("/tenants/qa"))!.AsObject();
        Assert.Equal("QA qa", Str(tenant["name"]));
        Assert.Contains((await Host.AdminGet("/tenants"))!.AsArray(), t => Str(t!["id"]) == "qa");

        tenant["name"] = "renamed";
        var (replaced, after) = await Host.AdminSend(HttpMethod.Put, "/tenants/qa", tenant);
        Assert.Equal(200, replaced);
        Assert.Equal("renamed", Str(after!["name"]));

        Assert.Equal(204, (await Host.AdminSend(HttpMethod.Delete, "/tenants/qa")).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/tenants/qa")).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Delete, "/tenants/qa")).Status);
        // Its key no longer opens anything.
        AssertError(1101, await new TechHouseClient(Host.Http, "qaMerchantKey001", "s3cret-s3cret-s3cret-s3cret-s3cr").Call("GetBalance", new JsonObject()));
    }

    [Theory]
    [InlineData("{\"id\": \"has space\"}")]
    [InlineData("{\"id\": \"\"}")]
    [InlineData("{\"name\": \"no id\"}")]
    [InlineData("not json")]
    [InlineData("[]")]
    public async Task An_invalid_tenant_is_400(string json)
    {
        using var resp = await Host.Http.PostAsync("/admin/api/tenants", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.NotNull(JsonNode.Parse(await resp.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task A_credential_another_tenant_uses_is_409()
    {
        var (status, body) = await Host.AdminSend(HttpMethod.Post, "/tenants", NewTenant("copycat", TechHouseClient.DemoKey));
        Assert.Equal(409, status);
        Assert.Contains("demo", Str(body!["error"]));

        Assert.Equal(201, (await Host.AdminSend(HttpMethod.Post, "/tenants", NewTenant("qa", "qaMerchantKey001"))).Status);
        var qa = NewTenant("qa", TechHouseClient.DemoKey);
        Assert.Equal(409, (await Host.AdminSend(HttpMethod.Put, "/tenants/qa", qa)).Status);
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_orders()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        var other = await Host.AddTechHouseTenantAsync("other", "otherMerchantKey1", "other-secret-other-secret-other-s");

        AssertError(1004, await other.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo, ["email"] = "qa@example.com" }));
        var list = await other.Call("GetOrderList", new JsonObject { ["startTime"] = "2020-01-01T00:00:00+08:00", ["endTime"] = "2099-01-01T00:00:00+08:00", ["routeType"] = 1 });
        AssertSuccess(list);
        Assert.Empty(list["bookingList"]!.AsArray());

        Assert.Empty((await Host.AdminGet("/tenants/other/orders"))!.AsArray());
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, $"/tenants/other/orders/{orderNo}")).Status);
        Assert.Equal(orderNo, Str((await Host.AdminGet("/tenants/demo/orders"))!.AsArray().Single()!["id"]));
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/tenants/nobody/orders")).Status);
    }

    [Fact]
    public async Task With_an_admin_token_the_admin_API_needs_it_and_the_supplier_API_does_not()
    {
        await using var host = await SandboxHost.StartAsync(adminToken: "t0ken");
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };

        using var none = await anonymous.GetAsync("/admin/api/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString());
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/admin/api/tenants") { Headers = { Authorization = new("Bearer", "t0ke") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/admin/api/tenants") { Headers = { Authorization = new("Bearer", "t0ken") } };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(right)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        AssertSuccess(await new TechHouseClient(anonymous).Call("GetBalance", new JsonObject()));
    }

    [Fact]
    public void Binding_beyond_loopback_without_an_admin_token_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AdminAuth.EnsureSafeBinding(["http://0.0.0.0:8080"], null));
        Assert.Contains("admin token", e.Message);
        Assert.Throws<InvalidOperationException>(() => AdminAuth.EnsureSafeBinding(["http://127.0.0.1:8080", "http://*:6350"], ""));
        Assert.Throws<InvalidOperationException>(() => AdminAuth.EnsureSafeBinding(["http://+:8080"], null));
        AdminAuth.EnsureSafeBinding(["http://0.0.0.0:8080"], "t0ken");
        AdminAuth.EnsureSafeBinding(["http://127.0.0.1:8080", "http://localhost:6350", "http://[::1]:8081"], null);
    }

    [Fact]
    public async Task Health_reports_storage_and_tenants()
    {
        var health = JsonNode.Parse(await Host.Http.GetStringAsync("/healthz"))!;
        Assert.Equal("ok", Str(health["status"]));
        Assert.Equal("ok", Str(health["storage"]));
        Assert.Equal(1, health["tenants"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_supplier_catalogue_lists_TechHouse_operations_and_its_push()
    {
        var th = (await Host.AdminGet("/suppliers"))!.AsArray().Single(s => Str(s!["name"]) == "techhouse")!;
        Assert.Equal("main", Str(th["listener"]));
        Assert.Equal("credentials.techhouse.key", Str(th["identity"]));
        var ops = th["operations"]!.AsArray().Select(o => Str(o!["name"])).ToList();
        Assert.Equal(15, ops.Count);
        Assert.Equal(EnvelopeTestsActions().Append("SyncOrderStatus").Order(), ops.Order());
        Assert.Equal("/flight/order", Str(th["operations"]!.AsArray().Single(o => Str(o!["name"]) == "GetBalance")!["path"]));
        Assert.Equal(["SyncOrderStatus"], th["callbacks"]!.AsArray().Select(Str));
        Assert.Equal(["order"], th["entityKinds"]!.AsArray().Select(Str));
    }

    static IEnumerable<string> EnvelopeTestsActions() => ((IEnumerable<object[]>)Sandbox.Tests.TechHouse.EnvelopeTests.Actions).Select(row => (string)row[0]);

    [Fact]
    public async Task The_listeners_show_the_bound_main_listener()
    {
        var main = (await Host.AdminGet("/listeners"))!.AsArray().Single(l => Str(l!["name"]) == "main")!;
        Assert.Equal(Host.BaseAddress.Port, new Uri(Str(main["url"])).Port);
    }

    [Fact]
    public async Task The_journal_records_requests_and_counts_signature_failures()
    {
        await Client.Call("GetBalance", new JsonObject());
        await Client.Call("GetBalance", new JsonObject());
        await new TechHouseClient(Host.Http, TechHouseClient.DemoKey, "wrong-secret").Call("GetBalance", new JsonObject());
        AssertError(2010, await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "LHR", TechHouseClient.FutureDate())));

        var entries = (await Host.AdminGet("/journal?tenant=demo&operation=GetBalance"))!.AsArray();
        Assert.Equal(3, entries.Count);
        Assert.Equal(["failed", "ok", "ok"], entries.Select(e => Str(e!["signature"])).Order());
        var ok = entries.First(e => Str(e!["signature"]) == "ok")!;
        Assert.Equal("0", Str(ok["resultCode"]));
        Assert.Equal(200, ok["httpStatus"]!.GetValue<int>());
        Assert.Contains("\"action\":\"GetBalance\"", Str(ok["request"]));
        Assert.Contains("balanceList", Str(ok["response"]));

        var counts = (await Host.AdminGet("/journal/counts?tenant=demo"))!["operations"]!.AsArray();
        var balance = counts.Single(c => Str(c!["operation"]) == "GetBalance")!;
        Assert.Equal(3, balance["requests"]!.GetValue<int>());
        Assert.Equal(2, balance["signatureVerified"]!.GetValue<int>());
        Assert.Equal(1, balance["signatureFailures"]!.GetValue<int>());
        Assert.Equal(1, balance["errors"]!.GetValue<int>());
        Assert.Equal(1, counts.Single(c => Str(c!["operation"]) == "LowFareSearch")!["errors"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_scenario_listing_shows_the_sets_and_their_machines()
    {
        var listing = (await Host.AdminGet("/scenarios"))!;
        var sets = listing["sets"]!.AsArray().Where(s => Str(s!["supplier"]) == "techhouse").ToList();
        Assert.Equal(["default", "instant"], sets.Select(s => Str(s!["name"])).Order());
        var def = sets.Single(s => Str(s!["name"]) == "default")!;
        Assert.Equal(42, def["seed"]!.GetValue<int>());
        Assert.Contains(def["files"]!.AsArray(), f => Str(f).EndsWith("failures.yaml"));
        var order = def["machines"]!.AsArray().Single()!;
        Assert.Equal("PENDING", Str(order["initial"]));
        Assert.Contains(order["transitions"]!.AsArray(), t => Str(t!["to"]) == "TICKETED" && Str(t["after"]) == "PT2M");
        Assert.Empty(listing["errors"]!.AsArray());
    }

    [Fact]
    public async Task The_magic_value_listing_has_every_failures_yaml_rule()
    {
        var root = Yml.LoadMapping(File.ReadAllText(Path.Combine(RepoPaths.Scenarios, "techhouse", "failures.yaml")), "failures.yaml");
        var rules = ((YamlSequenceNode)Yml.Get(root, "rules")!).Children.Cast<YamlMappingNode>().ToList();
        var magic = (await Host.AdminGet("/scenarios/magic?supplier=techhouse"))!.AsArray()
            .Where(m => Str(m!["scenario"]) == "default").ToList();

        foreach (var rule in rules)
        {
            var listed = magic.SingleOrDefault(m => Str(m!["rule"]) == Yml.Str(rule, "name"));
            Assert.True(listed is not null, $"rule {Yml.Str(rule, "name")} is not in /scenarios/magic");
            Assert.Equal(Yml.Str(rule, "description"), Str(listed["description"]));
            Assert.NotEmpty(listed["when"]!.AsArray());
            Assert.False(string.IsNullOrEmpty(Str(listed["effect"])));
            Assert.StartsWith("techhouse/failures.yaml:", Str(listed["source"]));
        }
    }

    [Fact]
    public async Task An_ad_hoc_fault_applies_as_often_as_asked_and_can_be_removed()
    {
        var (status, added) = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/faults", JsonNode.Parse("""
            {"supplier": "techhouse", "rule": {"when": {"operation": "GetBalance"}, "reply": {"status": 1005, "msg": "x"}, "times": 1}}
            """));
        Assert.Equal(201, status);
        Assert.False(string.IsNullOrEmpty(Str(added!["id"])));
        var reply = await Client.Call("GetBalance", new JsonObject());
        AssertError(1005, reply);
        Assert.Equal("x", Str(reply["msg"]));
        AssertSuccess(await Client.Call("GetBalance", new JsonObject()));

        var (_, forever) = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/faults", JsonNode.Parse("""
            {"supplier": "techhouse", "rule": {"when": {"operation": "GetBalance"}, "fault": "rate-limit"}}
            """));
        AssertError(1040, await Client.Call("GetBalance", new JsonObject()));
        AssertError(1040, await Client.Call("GetBalance", new JsonObject()));
        Assert.Equal(2, (await Host.AdminGet("/tenants/demo/faults"))!.AsArray().Count);
        Assert.Equal(204, (await Host.AdminSend(HttpMethod.Delete, $"/tenants/demo/faults/{Str(forever!["id"])}")).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Delete, $"/tenants/demo/faults/{Str(forever["id"])}")).Status);
        AssertSuccess(await Client.Call("GetBalance", new JsonObject()));
    }

    [Fact]
    public async Task Ad_hoc_faults_are_per_tenant()
    {
        var other = await Host.AddTechHouseTenantAsync("other", "otherMerchantKey1", "other-secret-other-secret-other-s");
        await Host.AdminSend(HttpMethod.Post, "/tenants/demo/faults", JsonNode.Parse("""
            {"supplier": "techhouse", "rule": {"when": {"operation": "GetBalance"}, "reply": {"status": 1005}}}
            """));
        AssertError(1005, await Client.Call("GetBalance", new JsonObject()));
        AssertSuccess(await other.Call("GetBalance", new JsonObject()));
    }

    [Theory]
    [InlineData("""{"supplier": "techhouse", "rule": {"when": {"operation": "Fly"}, "reply": {"status": 1005}}}""")]
    [InlineData("""{"supplier": "techhouse", "rule": {"when": {"operation": "GetBalance"}}}""")]
    [InlineData("""{"supplier": "techhouse", "rule": {"when": {"operation": "GetBalance"}, "fault": "explode"}}""")]
    [InlineData("""{"supplier": "techhouse", "rule": {"when": {"operation": "GetBalance"}, "reply": {"status": 1}, "probability": 2}}""")]
    [InlineData("""{"supplier": "nobody", "rule": {"when": {"operation": "GetBalance"}, "reply": {"status": 1}}}""")]
    [InlineData("""{"supplier": "techhouse"}""")]
    [InlineData("""not json""")]
    public async Task An_invalid_ad_hoc_fault_is_400(string json)
    {
        using var resp = await Host.Http.PostAsync("/admin/api/tenants/demo/faults", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.False(string.IsNullOrEmpty(Str(JsonNode.Parse(await resp.Content.ReadAsStringAsync())!["error"])));
        Assert.Empty((await Host.AdminGet("/tenants/demo/faults"))!.AsArray());
    }

    [Fact]
    public async Task Reset_forgets_orders_and_restores_the_opening_balance()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        await Host.AdminSend(HttpMethod.Post, "/tenants/demo/faults", JsonNode.Parse("""
            {"supplier": "techhouse", "rule": {"when": {"operation": "LowFareSearch"}, "reply": {"status": 1005}}}
            """));
        Assert.NotEqual(1_000_000m, await Client.BalanceAsync());

        var (status, _) = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/reset");
        Assert.Equal(200, status);
        Assert.Empty((await Host.AdminGet("/tenants/demo/orders"))!.AsArray());
        Assert.Equal(1_000_000m, await Client.BalanceAsync());
        AssertError(1004, await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo }));
        Assert.Empty((await Host.AdminGet("/tenants/demo/faults"))!.AsArray());
        Assert.NotNull(await Host.AdminGet("/tenants/demo"));
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, "/tenants/nobody/reset")).Status);
    }

    [Fact]
    public async Task A_forced_transition_moves_the_order_and_emits_SyncOrderStatus()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        var orderNo = Str((await Client.BookAsync())["orderNo"]);

        var (status, order) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{orderNo}/transition", new { to = "TICKETED" });
        Assert.Equal(200, status);
        Assert.Equal("TICKETED", Str(order!["status"]));
        var push = JsonNode.Parse((await receiver.WaitForAsync(1))[0].Body)!;
        Assert.Equal(orderNo, Str(push["orderNo"]));
        Assert.Equal("TICKETED", Str(push["orderStatus"]));
        Assert.Single(push["tickets"]!.AsArray());

        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/{orderNo}/transition", new { to = "FLYING" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, "/tenants/demo/orders/lf000/transition", new { to = "TICKETED" })).Status);
        // The timed transition it overtook does nothing any more.
        await Host.AdvanceAsync("PT5M");
        Assert.Single(receiver.All);
    }

    [Fact]
    public async Task The_order_view_has_its_timeline_callbacks_and_requests()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = orderNo });
        await Host.AdvanceAsync("PT2M");
        await receiver.WaitForAsync(1);
        await Host.CallbacksWhenAsync(log => log.Count == 1 && Str(log[0]["status"]) == "delivered");

        var view = (await Host.AdminGet($"/tenants/demo/orders/{orderNo}"))!;
        Assert.Equal("TICKETED", Str(view["status"]));
        Assert.Equal("techhouse", Str(view["supplier"]));
        var timeline = view["timeline"]!.AsArray().ToJsonString();
        Assert.Contains("created", timeline);
        Assert.Contains("TICKETED", timeline);
        var callback = view["callbacks"]!.AsArray().Single()!;
        Assert.Equal("SyncOrderStatus", Str(callback["name"]));
        Assert.Equal("delivered", Str(callback["status"]));
        var operations = view["requests"]!.AsArray().Select(r => Str(r!["operation"])).ToList();
        Assert.Contains("Commit", operations);
        Assert.Contains("GetOrderDetail", operations);
    }

    [Fact]
    public async Task Redelivering_a_callback_sends_it_again_and_logs_the_attempt()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Host.RouteCallbacksToAsync(receiver);
        await Client.BookAsync();
        await Host.AdvanceAsync("PT2M");
        var log = await Host.CallbacksWhenAsync(l => l.Count == 1 && Str(l[0]["status"]) == "delivered");
        var id = log[0]["id"]!.GetValue<long>();

        var (status, after) = await Host.AdminSend(HttpMethod.Post, $"/callbacks/{id}/redeliver");
        Assert.Equal(200, status);
        var deliveries = after!["deliveries"]!.AsArray();
        Assert.Equal(["acknowledged", "redelivered"], deliveries.Select(d => Str(d!["outcome"])));
        Assert.Equal(2, after["attempts"]!.GetValue<int>());
        var received = await receiver.WaitForAsync(2);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.Equal("2", received[1].Headers["X-Sandbox-Attempt"]);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, "/callbacks/999999/redeliver")).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/callbacks/999999")).Status);
    }

    [Fact]
    public async Task The_clock_can_be_read_frozen_moved_and_offset()
    {
        var fresh = await Host.AddTechHouseTenantAsync("fresh", "freshMerchantKey", "fresh-secret-fresh-secret-fresh-");
        var clock = (await Host.AdminGet("/tenants/fresh/clock"))!;
        Assert.False(clock["frozen"]!.GetValue<bool>());
        Assert.Equal("PT0S", Str(clock["offset"]));

        var at = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var (status, frozen) = await Host.AdminSend(HttpMethod.Put, "/tenants/fresh/clock", new { frozen = true, now = at });
        Assert.Equal(200, status);
        Assert.True(frozen!["frozen"]!.GetValue<bool>());
        Assert.Equal(at, DateTimeOffset.Parse(Str(frozen["now"])));

        var (_, advanced) = await Host.AdminSend(HttpMethod.Post, "/tenants/fresh/clock/advance", new { by = "PT1H30M" });
        Assert.Equal(at.AddMinutes(90), DateTimeOffset.Parse(Str(advanced!["now"])));
        var (_, again) = await Host.AdminSend(HttpMethod.Post, "/tenants/fresh/clock/advance", new { by = "90s" });
        Assert.Equal(at.AddMinutes(91.5), DateTimeOffset.Parse(Str(again!["now"])));

        var (_, offset) = await Host.AdminSend(HttpMethod.Put, "/tenants/fresh/clock", new { frozen = false, offset = "P1D" });
        Assert.False(offset!["frozen"]!.GetValue<bool>());
        Assert.Equal("P1D", Str(offset["offset"]));
        Assert.True(DateTimeOffset.Parse(Str(offset["now"])) > DateTimeOffset.Parse(Str(offset["real"])).AddHours(23));

        // Only that tenant's time moved.
        Assert.Equal("PT0S", Str((await Host.AdminGet("/tenants/demo/clock"))!["offset"]));
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/tenants/fresh/clock/advance", new { by = "-PT1H" })).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/tenants/fresh/clock/advance", new { by = "soon" })).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Put, "/tenants/fresh/clock", new { offset = "later" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/tenants/nobody/clock")).Status);
        AssertSuccess(await fresh.Call("GetBalance", new JsonObject()));
    }

    [Fact]
    public async Task The_OpenAPI_description_is_served()
    {
        var doc = JsonNode.Parse(await Host.Http.GetStringAsync("/openapi/v1.json"))!;
        Assert.StartsWith("3.", Str(doc["openapi"]));
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/admin/api/tenants", paths);
        Assert.Contains("/admin/api/tenants/{tenant}/clock/advance", paths);
        Assert.Contains("/healthz", paths);
    }
}
