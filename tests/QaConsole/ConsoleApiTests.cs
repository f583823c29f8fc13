using System.Net;
using System.Text.Json.Nodes;
using Sandbox.Tests.Bpt;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.QaConsole;

/// <summary>
/// The admin API the console reads beyond the first edition: journal results by each supplier's own success codes,
/// clock changes on the order timeline, signature calculators, and the console's static files.
/// </summary>
public class ConsoleApiTests : TechHouseTest
{
    [Fact]
    public async Task Bpt_successes_with_code_1_are_not_counted_or_filtered_as_errors()
    {
        await using var host = await BptHostFixture.StartHost();
        var bpt = await BptClient.StartAsync(host);
        var ok = await bpt.Get("newquerypricebypnr", BptClient.Common("MT2GB2", "3U"));
        Assert.Equal("1", ok.Code);
        var failed = await bpt.Get("newquerypricebypnr", [.. BptClient.Common("MT2GB2", "3U"), ("ver", "2"), ("sign", "0123")]);
        Assert.Equal("0", failed.Code);

        var counts = (await host.AdminGet("/journal/counts?tenant=demo"))!["operations"]!.AsArray()
            .Single(o => Str(o!["supplier"]) == "bpt" && Str(o["operation"]) == "newquerypricebypnr")!;
        Assert.Equal(2, counts["requests"]!.GetValue<long>());
        Assert.Equal(1, counts["errors"]!.GetValue<long>());

        var errors = (await host.AdminGet("/journal?tenant=demo&supplier=bpt&result=error"))!.AsArray();
        Assert.Equal("0", Str(Assert.Single(errors)!["resultCode"]));
        var successes = (await host.AdminGet("/journal?tenant=demo&supplier=bpt&result=ok"))!.AsArray();
        Assert.Equal("1", Str(Assert.Single(successes)!["resultCode"]));
        Assert.Equal("ok", Str(successes[0]!["result"]));
    }

    [Fact]
    public async Task The_journal_filters_by_signature_verdict_and_refuses_unknown_filters()
    {
        await Client.Call("GetBalance", new JsonObject());
        await new TechHouseClient(Host.Http, TechHouseClient.DemoKey, "not-the-secret").Call("GetBalance", new JsonObject());
        var failed = (await Host.AdminGet("/journal?tenant=demo&signature=failed"))!.AsArray();
        Assert.Equal("failed", Str(Assert.Single(failed)!["signature"]));
        Assert.Equal("error", Str(failed[0]!["result"]));
        Assert.Equal("ok", Str(Assert.Single((await Host.AdminGet("/journal?tenant=demo&signature=ok"))!.AsArray())!["signature"]));
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Get, "/journal?result=maybe")).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Get, "/journal?signature=perhaps")).Status);
    }

    [Fact]
    public async Task Clock_changes_are_tenant_events_and_appear_on_the_order_timeline()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        await Host.AdvanceAsync("PT2M");
        var timeline = (await Host.AdminGet($"/tenants/demo/orders/{orderNo}"))!["timeline"]!.AsArray();
        var jump = timeline.FirstOrDefault(e => Str(e!["kind"]) == "clock")?["detail"];
        Assert.True(jump is not null, "no clock event on the timeline: " + timeline.ToJsonString());
        Assert.Equal("advance", Str(jump["change"]));
        Assert.Equal("PT2M", Str(jump["by"]));
        Assert.Equal(1, jump["fired"]!.GetValue<int>());
        Assert.Equal(1, jump["callbacks"]!.GetValue<int>());
        // The transition the advance fired happened at the virtual instant the jump went to.
        var ticketed = timeline.Single(e => Str(e!["kind"]) == "transition" && Str(e["detail"]!["to"]) == "TICKETED")!;
        Assert.Equal(DateTimeOffset.Parse(Str(jump["to"])), DateTimeOffset.Parse(Str(ticketed["virtualAt"])));
        Assert.True(DateTimeOffset.Parse(Str(jump["from"])) < DateTimeOffset.Parse(Str(ticketed["virtualAt"])));

        var events = (await Host.AdminGet("/tenants/demo/events?kind=clock"))!.AsArray();
        Assert.Equal("advance", Str(events[0]!["detail"]!["change"]));
        // The freeze at the start of the test is a change too (a set that froze the clock).
        Assert.Contains(events, e => Str(e!["detail"]!["change"]) == "set" && e["detail"]!["frozen"]!.GetValue<bool>());
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/tenants/nobody/events")).Status);
    }

    [Fact]
    public async Task The_TechHouse_calculator_reproduces_the_documents_sample_signature()
    {
        var envelope = """{"action":"GetBalance","key":"ctPJAIdxUA3ptaWC","timestamp":"1500375695.65","signature":"15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=","request":{}}""";
        var (status, report) = await Host.AdminSend(HttpMethod.Post, "/suppliers/techhouse/sign", new { request = envelope });
        Assert.Equal(200, status);
        Assert.Equal("demo", Str(report!["tenant"]));
        var check = report["checks"]![0]!;
        Assert.Equal("ctPJAIdxUA3ptaWC&1500375695.65", Str(check["canonical"]));
        Assert.Equal("15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=", Str(check["expected"]));
        Assert.True(check["matches"]!.GetValue<bool>());

        var (_, wrong) = await Host.AdminSend(HttpMethod.Post, "/suppliers/techhouse/sign", new { request = envelope.Replace("15hh", "16hh") });
        Assert.False(wrong!["checks"]![0]!["matches"]!.GetValue<bool>());
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/suppliers/techhouse/sign", new { request = "not json" })).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/suppliers/techhouse/sign", new { request = """{"key":"unknownKey","timestamp":"1"}""" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, "/suppliers/nosuch/sign", new { request = "x" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Post, "/suppliers/techhouse/sign", new { request = envelope, tenant = "nobody" })).Status);
    }

    [Fact]
    public async Task The_TOP_calculator_gives_the_spec_vector_F1()
    {
        const string query = "app_key=12345678&format=json&method=alitrip.flight.service.queryorderdetail&order_id=1234125412"
                             + "&partner_id=top-sdk-java-20170428&session=test-session&sign_method=hmac&timestamp=2024-01-01%2012:00:00&v=2.0";
        var (status, report) = await Host.AdminSend(HttpMethod.Post, "/suppliers/top/sign", new { request = "/router/rest?" + query + "&sign=D3657CC6F7A7801B0A156F79DAFED4C7" });
        Assert.Equal(200, status);
        Assert.Equal("demo", Str(report!["tenant"]));
        var check = report["checks"]![0]!;
        Assert.StartsWith("app_key12345678formatjsonmethodalitrip.flight.service.queryorderdetail", Str(check["canonical"]));
        Assert.Equal("D3657CC6F7A7801B0A156F79DAFED4C7", Str(check["expected"]));
        Assert.True(check["matches"]!.GetValue<bool>());
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/suppliers/top/sign", new { request = "app_key=nobody&method=x" })).Status);
    }

    [Fact]
    public async Task The_BPT_calculator_gives_the_spec_vector_B1()
    {
        const string url = "http://127.0.0.1:6350/alidz.do?cmd=newquerypricebypnr&ver=2&pnr=MT2GB2&bigpnr=1&air=3U&fmt=xml&xmlhashead=false&qrytype=one" +
                           "&pnrsrcid=0140704141742444045&b2buser=SCH640&b2bpwd=sandboxpwd&ticketprice=&sign_type=MD5&sign=5c5562a9b559836c26bf49bb56522797";
        var (status, report) = await Host.AdminSend(HttpMethod.Post, "/suppliers/bpt/sign", new { request = url });
        Assert.Equal(200, status);
        var gbk = report!["checks"]![0]!;
        Assert.Equal("air=3U&b2bpwd=sandboxpwd&b2buser=SCH640&bigpnr=1&cmd=newquerypricebypnr&fmt=xml&pnr=MT2GB2&pnrsrcid=0140704141742444045&qrytype=one&ver=2&xmlhashead=false",
            Str(gbk["canonical"]));
        Assert.Equal("5c5562a9b559836c26bf49bb56522797", Str(gbk["expected"]));
        Assert.True(gbk["matches"]!.GetValue<bool>());
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Post, "/suppliers/bpt/sign", new { request = "pnr=X" })).Status);
    }

    [Fact]
    public async Task The_Yobaoxing_calculator_gives_the_password_field_and_the_sign()
    {
        var (status, report) = await Host.AdminSend(HttpMethod.Post, "/suppliers/yobaoxing/sign",
            new { request = "/yobaoxing/GetProducts.aspx?user=demo_agent&password=x&sign=ABC" });
        Assert.Equal(200, status);
        var checks = report!["checks"]!.AsArray();
        var password = checks.Single(c => Str(c!["field"]) == "password")!;
        Assert.False(password["matches"]!.GetValue<bool>());
        var sign = checks.Single(c => Str(c!["field"]) == "sign")!;
        Assert.StartsWith("password=x&user=demo_agent&key=", Str(sign["canonical"]));
        Assert.Matches("^[0-9A-F]{32}$", Str(sign["expected"]));

        var signed = $"user=demo_agent&password={Uri.EscapeDataString(Str(password["expected"]))}";
        var (_, again) = await Host.AdminSend(HttpMethod.Post, "/suppliers/yobaoxing/sign", new { request = signed });
        var second = again!["checks"]!.AsArray();
        Assert.True(second.Single(c => Str(c!["field"]) == "password")!["matches"]!.GetValue<bool>());
        var expectedSign = Str(second.Single(c => Str(c!["field"]) == "sign")!["expected"]);
        var (_, third) = await Host.AdminSend(HttpMethod.Post, "/suppliers/yobaoxing/sign", new { request = signed + "&sign=" + expectedSign });
        Assert.True(third!["checks"]!.AsArray().Single(c => Str(c!["field"]) == "sign")!["matches"]!.GetValue<bool>());
        Assert.Contains((await Host.AdminGet("/signatures"))!.AsArray(), s => Str(s!["supplier"]) == "yobaoxing");
    }

    [Fact]
    public async Task The_console_is_served_as_static_modules_and_unknown_admin_paths_stay_problems()
    {
        using (var page = await Host.Http.GetAsync("/admin/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Contains("type=\"module\"", await page.Content.ReadAsStringAsync());
        }
        using (var script = await Host.Http.GetAsync("/admin/js/app.js"))
        {
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        }
        using (var missing = await Host.Http.GetAsync("/admin/js/nothing.js")) Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var traversal = await Host.Http.GetAsync("/admin/..%2Fappsettings.json")) Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        var (status, problem) = await Host.AdminSend(HttpMethod.Get, "/no-such-area");
        Assert.Equal(404, status);
        Assert.NotNull(problem!["error"]);
    }
}
