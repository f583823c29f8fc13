using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Bpt;

/// <summary>PNR fixtures through the admin API, the admin order actions and the assistant settings per tenant.</summary>
public class BptAdminTests(BptHostFixture f) : IClassFixture<BptHostFixture>
{
    BptClient C => f.Client;
    SandboxHost Host => f.Host;
    static string Pnr() => BptHostFixture.Pnr("A");

    async Task<string> Tenant(JsonObject credentials, JsonObject? settings = null)
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..8];
        var (status, body) = await Host.AdminSend(HttpMethod.Post, "/tenants", new JsonObject
        {
            ["id"] = id,
            ["credentials"] = new JsonObject { ["bpt"] = credentials },
            ["settings"] = new JsonObject { ["bpt"] = settings ?? new JsonObject() },
        });
        Assert.True(status == 201, body?.ToJsonString());
        return id;
    }

    [Fact]
    public async Task Loaded_fixtures_price_the_PNR_and_convert_its_small_PNR()
    {
        var big = Pnr();
        var small = Pnr();
        var fixture = new JsonObject
        {
            ["air"] = "MU", ["pnr"] = big, ["pnrc"] = small, ["ticketprice"] = 2000, ["totaltax"] = 300,
            ["passengers"] = new JsonArray(new JsonObject { ["name"] = "李四", ["type"] = "ADT" }, new JsonObject { ["name"] = "李小四", ["type"] = "CHD" }),
            ["segments"] = new JsonArray(new JsonObject { ["flightno"] = "MU5101", ["dep"] = "SHA", ["arr"] = "PEK", ["date"] = "2030-01-02" }),
            ["policies"] = new JsonArray(new JsonObject { ["pgcode"] = "7700001", ["policynum"] = 3 }, new JsonObject { ["pgcode"] = "7700002", ["policynum"] = 4.5 }),
        };
        var (status, _) = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/bpt/pnrs", new JsonObject { ["pnrs"] = new JsonArray(fixture) });
        Assert.Equal(200, status);

        var r = await C.Get("newquerypricebypnr", ("pnr", small), ("bigpnr", "0"), ("air", ""), ("b2buser", "u"), ("b2bpwd", "p"), ("xmlhashead", "false"));
        Assert.Equal($"{big}|{small}", r["pnr"]);
        Assert.Equal("MU", r["air"]);
        Assert.Equal(["2210.0", "2240.0"], r.Xml.Descendants("payprice").Select(p => p.Value));
        Assert.Equal("1", (await C.Get("newquerypricebypnr", ("pnr", big), ("air", "MU"), ("ticketprice", "1000"), ("b2buser", "u"), ("b2bpwd", "p"))).Code);

        var list = (await Host.AdminGet("/tenants/demo/bpt/pnrs"))!;
        Assert.Contains(list["tenant"]!.AsArray(), p => p!["pnr"]!.GetValue<string>() == big);
        Assert.Equal(22, list["scenario"]!["pnrs"]!.AsArray().Count);

        var bad = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/bpt/pnrs", new JsonObject { ["air"] = "MU", ["pnr"] = "TOOLONG1" });
        Assert.Equal(400, bad.Status);
    }

    [Fact]
    public async Task Loaded_fixtures_survive_a_restart()
    {
        await using var host = await BptHostFixture.StartHost();
        await host.AdminSend(HttpMethod.Post, "/tenants/demo/bpt/pnrs", new JsonObject
        {
            ["air"] = "MU", ["pnr"] = "RSTBIG", ["pnrc"] = "RSTSML", ["ticketprice"] = 900,
            ["passengers"] = new JsonArray(new JsonObject { ["name"] = "赵六" }), ["policies"] = new JsonArray(new JsonObject { ["pgcode"] = "1", ["policynum"] = 2 }),
        });
        await host.RestartAsync();
        var r = await (await BptClient.StartAsync(host)).Get("newquerypricebypnr", ("pnr", "RSTSML"), ("bigpnr", "0"), ("b2buser", "u"), ("b2bpwd", "p"));
        Assert.Equal("RSTBIG|RSTSML", r["pnr"]);
        Assert.Equal("882.0", r.Xml.Descendants("payprice").Single().Value);
    }

    [Fact]
    public async Task Generated_fixtures_are_the_same_for_the_same_seed_with_chinese_names()
    {
        var a = (await Host.AdminGet("/tenants/demo/bpt/pnrs"))!["scenario"]!["pnrs"]!.AsArray();
        var generated = a.Where(p => p!["pnrc"] is not null && p["pnr"]!.GetValue<string>() != "NJD40G").ToList();
        Assert.Equal(20, generated.Count);
        Assert.All(generated, p => Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}{2,4}$", p!["passengers"]![0]!["name"]!.GetValue<string>()));
        var first = generated[0]!;
        var r = await C.Get("newquerypricebypnr", ("pnr", first["pnrc"]!.GetValue<string>()), ("bigpnr", "0"), ("b2buser", "u"), ("b2bpwd", "p"));
        Assert.Equal(first["pnr"]!.GetValue<string>() + "|" + first["pnrc"]!.GetValue<string>(), r["pnr"]);
    }

    [Fact]
    public async Task Cancel_void_and_negotiate_move_the_order_through_the_machine()
    {
        var pnr = Pnr();
        await C.Get("input", BptClient.Common(pnr, "CA", "S1", "HV7SEK"));
        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/bpt/orders/CA-{pnr}/cancel");
        Assert.Equal(200, status);
        Assert.Equal("7", body!["status"]!.GetValue<string>());
        Assert.Equal("7", (await C.Get("newqueryorder", BptClient.Common(pnr, "CA"))).Xml.Descendants("status").Single().Value);
        Assert.Equal("订单不存在，请先入库", (await C.Get("pay", BptClient.Common(pnr, "CA", "S1", "HV7SEK")))["message"]);
        Assert.Equal(409, (await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/bpt/orders/CA-{pnr}/negotiate")).Status);

        // A cancelled input can be input again.
        Assert.Equal("1", (await C.Get("input", BptClient.Common(pnr, "CA", "S2", "HV7SEK"))).Code);
        Assert.Equal("12", (await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/bpt/orders/CA-{pnr}/negotiate")).Body!["status"]!.GetValue<string>());
        Assert.Equal("当前订单状态为：议价申请中 不允许支付！", (await C.Get("pay", BptClient.Common(pnr, "CA", "S2", "HV7SEK")))["message"]);
        Assert.Equal("11", (await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/bpt/orders/CA-{pnr}/void")).Body!["status"]!.GetValue<string>());
        Assert.Equal("PNR不存在或已取消", (await C.Get("newquerypricebypnr", BptClient.Common(pnr, "CA")))["message"]);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/bpt/orders/CA-{pnr}/explode")).Status);

        var other = Pnr();
        await C.Get("input", BptClient.Common(other, "CA", "S1", "HV7SEK"));
        var forced = await Host.AdminSend(HttpMethod.Post, $"/tenants/demo/orders/CA-{other}/transition", new { to = "7", supplier = "bpt" });
        Assert.Equal(200, forced.Status);
        Assert.Equal("7", (await C.Get("newqueryorder", BptClient.Common(other, "CA"))).Xml.Descendants("status").Single().Value);
    }

    [Fact]
    public async Task An_airline_not_enabled_for_auto_ticketing_is_refused()
    {
        var id = await Tenant(new JsonObject { ["partner"] = "P" + Guid.NewGuid().ToString("N")[..10], ["payaccount"] = "a@x.com" },
            new JsonObject { ["auto_ticket_airlines"] = new JsonArray("CA", "CZ") });
        var partner = (await Host.AdminGet($"/tenants/{id}"))!["credentials"]!["bpt"]!["partner"]!.GetValue<string>();
        var mu = await C.Get("input", [.. BptClient.Common(Pnr(), "MU", "S", "HV7SEK"), ("partner", partner)]);
        Assert.Equal("航空公司MU未开通自动出票，请在小助手中设置", mu["message"]);
        var orderex = await C.Get("orderex", [.. BptClient.Common(Pnr(), "MU", "S", "HV7SEK"), ("partner", partner), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/")]);
        Assert.Equal("入库失败：航空公司MU未开通自动出票，请在小助手中设置", orderex["errorinfo"]);
        Assert.Equal("1", (await C.Get("input", [.. BptClient.Common(Pnr(), "CA", "S", "HV7SEK"), ("partner", partner)])).Code);
    }

    [Fact]
    public async Task Requests_are_routed_by_listed_b2buser_and_listed_logins_are_enforced()
    {
        var user = "op" + Guid.NewGuid().ToString("N")[..6];
        var id = await Tenant(new JsonObject
        {
            ["partner"] = "P" + Guid.NewGuid().ToString("N")[..10], ["payaccount"] = "a@x.com",
            ["b2baccounts"] = new JsonArray(new JsonObject { ["user"] = user, ["password"] = "right", ["airlines"] = new JsonArray("CA") }),
        }, new JsonObject { ["b2b_login"] = "listed" });
        var pnr = Pnr();
        (string, string)[] login = [("b2buser", user), ("b2bpwd", "right")];
        var r = await C.Get("input", [("pnr", pnr), ("pnrc", "HV7SEK"), ("air", "CA"), ("pnrsrcid", "S"), .. login]);
        Assert.Equal("1", r.Code);
        var orders = (await Host.AdminGet($"/tenants/{id}/orders?supplier=bpt"))!.AsArray();
        Assert.Contains(orders, o => o!["id"]!.GetValue<string>() == "CA-" + pnr);
        Assert.DoesNotContain((await Host.AdminGet("/tenants/demo/orders?supplier=bpt&limit=1000"))!.AsArray(), o => o!["id"]!.GetValue<string>() == "CA-" + pnr);

        var wrong = await C.Get("newquerypricebypnr", ("pnr", Pnr()), ("air", "CA"), ("b2buser", user), ("b2bpwd", "wrong"));
        Assert.Equal("获取登录信息失败，请稍后再试", wrong["message"]);
        var otherAirline = await C.Get("newquerypricebypnr", ("pnr", Pnr()), ("air", "MU"), ("b2buser", user), ("b2bpwd", "right"));
        Assert.Equal("获取登录信息失败，请稍后再试", otherAirline["message"]);
    }

    [Fact]
    public async Task Without_platform_withholding_the_assistants_account_is_charged()
    {
        var partner = "P" + Guid.NewGuid().ToString("N")[..10];
        var id = await Tenant(new JsonObject { ["partner"] = partner, ["payaccount"] = "main@x.com", ["payaccounts"] = new JsonArray("ops@x.com") },
            new JsonObject { ["platform_withholding"] = false, ["payment_accounts"] = "multiple", ["deduct_account"] = "ops@x.com" });
        var pnr = Pnr();
        var r = await C.Get("input", [.. BptClient.Common(pnr, "CA", "S", "HV7SEK"), ("partner", partner), ("autopayflag", "1"), ("payaccount", "other@x.com")]);
        Assert.Equal("入库成功，支付成功", r["message"]);
        Assert.Equal("ops@x.com", (await Host.AdminGet($"/tenants/{id}/orders/CA-{pnr}?supplier=bpt"))!["chargedaccount"]!.GetValue<string>());

        var platform = await Tenant(new JsonObject { ["partner"] = partner + "b", ["payaccount"] = "main@x.com" });
        var p2 = Pnr();
        await C.Get("input", [.. BptClient.Common(p2, "CA", "S", "HV7SEK"), ("partner", partner + "b"), ("autopayflag", "1"), ("payaccount", "other@x.com")]);
        Assert.Equal("other@x.com", (await Host.AdminGet($"/tenants/{platform}/orders/CA-{p2}?supplier=bpt"))!["chargedaccount"]!.GetValue<string>());

        var unsigned = await Tenant(new JsonObject { ["partner"] = partner + "c", ["payaccount"] = "main@x.com" },
            new JsonObject { ["platform_withholding"] = false, ["payment_accounts"] = "multiple", ["deduct_account"] = "nobody@x.com" });
        var p3 = await C.Get("input", [.. BptClient.Common(Pnr(), "CA", "S", "HV7SEK"), ("partner", partner + "c"), ("autopayflag", "1")]);
        Assert.Equal("入库成功，支付失败：支付宝账户nobody@x.com未签约第三方代扣", p3["message"]);
        Assert.NotNull(unsigned);
    }
}
