using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.FliggyFlight;

namespace Sandbox.Tests.Top;

/// <summary>Sessions (spec §1.8) through the admin API: create, list, use, expire on the tenant clock, revoke; and the account flags.</summary>
public class SessionAdminTests : FliggyTest
{
    async Task<JsonObject> CreateAsync(object body)
    {
        var (status, json) = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/top/sessions", body);
        Assert.True(status == 201, $"{status} {json}");
        return json!.AsObject();
    }

    [Fact]
    public async Task A_created_session_has_the_documented_defaults_and_works()
    {
        var s = await CreateAsync(new { userId = 2200000000777, userNick = "agency_a" });
        Assert.StartsWith("6100", S(s["session"]));
        Assert.Equal("agency_a", S(s["userNick"]));
        Assert.True(s["channelAssigned"]!.GetValue<bool>());
        Assert.True(s["payAgreementSigned"]!.GetValue<bool>());
        Assert.Equal(Frozen.AddDays(365), DateTimeOffset.Parse(S(s["expiresAt"]), CultureInfo.InvariantCulture));
        Top.Session = S(s["session"]);
        Assert.NotEmpty(await SearchAsync());

        var list = (await Host.AdminGet("/tenants/demo/top/sessions"))!.AsArray();
        Assert.Contains(list, x => S(x!["session"]) == S(s["session"]));
        Assert.Contains(list, x => S(x!["session"]) == "test-session" && x["standing"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_session_expires_on_the_tenant_clock()
    {
        var s = await CreateAsync(new { expiresIn = 60 });
        Top.Session = S(s["session"]);
        await SearchAsync();
        await AdvanceAsync("PT2M");
        var r = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", new { search_od_info_list = new[] { new { dep_city_code = "BJS", arr_city_code = "SHA", dep_date = Day(30) } } })));
        var e = TopError(r, 27, "invalid-sessionkey");
        Assert.Contains("expired", S(e["sub_msg"]));
        var list = (await Host.AdminGet("/tenants/demo/top/sessions"))!.AsArray();
        Assert.Equal("expired", S(list.First(x => S(x!["session"]) == S(s["session"]))!["status"]));
    }

    [Fact]
    public async Task A_revoked_session_is_code_27_including_the_standing_one()
    {
        var s = await CreateAsync(new { });
        var (status, _) = await Host.AdminSend(HttpMethod.Delete, "/tenants/demo/top/sessions/" + S(s["session"]));
        Assert.Equal(200, status);
        Top.Session = S(s["session"]);
        var body = P(("search_flight_info_req", new { search_od_info_list = new[] { new { dep_city_code = "BJS", arr_city_code = "SHA", dep_date = Day(30) } } }));
        TopError(await Top.CallAsync(SearchMethod, body), 27);

        Assert.Equal(200, (await Host.AdminSend(HttpMethod.Delete, "/tenants/demo/top/sessions/test-session")).Status);
        Top.Session = "test-session";
        TopError(await Top.CallAsync(SearchMethod, body), 27);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Delete, "/tenants/demo/top/sessions/unknown")).Status);
    }

    [Fact]
    public async Task Bad_admin_requests_are_400_or_404()
    {
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, "/tenants/nobody/top/sessions", new { })).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/tenants/demo/top/sessions", new { userId = "abc" })).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/tenants/demo/top/sessions", new { expiresIn = -5 })).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/tenants/demo/top/sessions", new { channelAssigned = "maybe" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/tenants/nobody/top/sessions")).Status);
    }

    [Fact]
    public async Task Without_a_channel_every_flight_method_answers_param_error()
    {
        Top.Session = S((await CreateAsync(new { channelAssigned = false }))["session"]);
        var r = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", new { search_od_info_list = new[] { new { dep_city_code = "BJS", arr_city_code = "SHA", dep_date = Day(30) } } })));
        Fails(r, SearchMethod, "isv.PARAM_ERROR", "请求参数错误");
        Fails(await Top.CallAsync(DetailMethod, P(("order_id", "1"))), DetailMethod, "isv.PARAM_ERROR", "请求参数错误");
    }

    [Fact]
    public async Task Without_a_pay_agreement_pay_is_refused()
    {
        var booked = await BookAsync("NOAGREEMENT-1");
        var unsigned = NewClient(session: S((await CreateAsync(new { userId = 2200000000001, payAgreementSigned = false }))["session"]));
        var r = await unsigned.CallAsync(PayMethod, P(("order_id", S(booked["order_id"])), ("total_price", S(booked["total_price"]))));
        Fails(r, PayMethod, "isv.PAY_AGREEMENT_NOT_SIGNED", "支付宝账户未签约代扣协议");
    }

    [Fact]
    public async Task Another_users_order_is_as_unknown_as_a_missing_one()
    {
        var booked = await BookAsync("MINE-1");
        var other = NewClient(session: S((await CreateAsync(new { userId = 2200000000999 }))["session"]));
        Fails(await other.CallAsync(DetailMethod, P(("order_id", S(booked["order_id"])))), DetailMethod, "isv.ORDER_NOT_FOUND", "订单不存在");
        Fails(await other.CallAsync(DetailMethod, P(("out_order_no", "MINE-1"))), DetailMethod, "isv.ORDER_NOT_FOUND");
    }
}
