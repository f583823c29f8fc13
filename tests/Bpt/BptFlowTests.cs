using System.Web;
using System.Xml.Linq;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Bpt;

/// <summary>Whole flows through the BPT port, ending in notices delivered to a real loopback receiver, on a frozen virtual clock.</summary>
public class BptFlowTests
{
    sealed class Env : IAsyncDisposable
    {
        public required SandboxHost Host { get; init; }
        public required CallbackReceiver Receiver { get; init; }
        public required BptClient Client { get; init; }
        public string Notify => Receiver.Url + "/AutoIssueNotify";
        public string PayNotify => Receiver.Url + "/PayNotify";

        public async Task Advance(string by) => await Host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by });

        public async ValueTask DisposeAsync()
        {
            await Receiver.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    static async Task<Env> Start(Action<System.Text.Json.Nodes.JsonObject>? tenant = null)
    {
        var host = await BptHostFixture.StartHost();
        var receiver = await CallbackReceiver.StartAsync();
        receiver.Reply = _ => (200, "true");
        if (tenant is not null)
        {
            var demo = (await host.AdminGet("/tenants/demo"))!.AsObject();
            tenant(demo);
            Assert.Equal(200, (await host.AdminSend(HttpMethod.Put, "/tenants/demo", demo)).Status);
        }
        await host.AdminSend(HttpMethod.Put, "/tenants/demo/clock", new { frozen = true });
        return new Env { Host = host, Receiver = receiver, Client = await BptClient.StartAsync(host) };
    }

    static (string, string)[] Common(string pnr, string air = "CZ", string src = "0140313152408060555") => BptClient.Common(pnr, air, src, "HDFTP6");

    static IEnumerable<CallbackReceiver.Received> To(CallbackReceiver r, string path) => r.All.Where(x => x.Path == path);

    [Fact]
    public async Task Query_input_pay_ticketoutcallback_then_the_ticketnoinfo_notice_then_newqueryorder()
    {
        await using var env = await Start();
        var c = env.Client;
        const string pnr = "MXC5J4";

        var price = await c.Get("newquerypricebypnr", [.. Common(pnr), ("qrytype", "one")]);
        Assert.Equal("1", price.Code);
        var input = await c.Get("input", [.. Common(pnr), ("callbackurlforpay", env.PayNotify), ("getticketovertime", "5"), ("srcpolicynum", "6")]);
        Assert.Equal("入库成功", input["message"]);
        var pay = await c.Get("pay", [.. Common(pnr), ("autopayflag", "1"), ("payaccount", "buyer@example.com"), ("checkprice", "0-1289.2")]);
        Assert.Equal("支付成功", pay["message"]);
        var tradeNo = pay.Xml.Element("pay")!.Element("tradeno")!.Value;
        var ticketing = await c.Get("ticketoutcallback", [.. Common(pnr), ("callbackurl", env.Notify)]);
        Assert.Equal("出票处理中", ticketing["message"]);

        // The payment notice went at payment; the ticketing one waits for the airline (20 virtual seconds).
        var payNotice = BptClient.DecodeNotice((await env.Receiver.WaitForAsync(1))[0], "paymentinfo");
        Assert.Equal(["code", "pnr", "pnrsrcid", "orderstatus", "paystatus", "payprice", "tradeno", "outtradeno", "message"],
            payNotice.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("4", payNotice.Element("orderstatus")!.Value);
        Assert.Equal(tradeNo, payNotice.Element("tradeno")!.Value);
        Assert.Equal("支付成功", payNotice.Element("message")!.Value);
        await env.Advance("PT19S");
        Assert.Single(env.Receiver.All);
        await env.Advance("PT1S");

        var received = (await env.Receiver.WaitForAsync(2)).Single(r => r.Path == "/AutoIssueNotify");
        Assert.Equal("application/x-www-form-urlencoded", received.Headers["Content-Type"]);
        Assert.StartsWith("ticketnoinfo=%3Corderinfo%3E%3Ccode%3E1%3C%2Fcode%3E", received.Body);
        Assert.All(received.Body, ch => Assert.True(ch < 128));
        var notice = BptClient.DecodeNotice(received, "ticketnoinfo");
        Assert.Equal(["code", "pnr", "pnrsrcid", "orderno", "tradeno", "orderstatus", "paystatus", "payprice", "message", "tickets"],
            notice.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("1", notice.Element("code")!.Value);
        Assert.Equal("MXC5J4|HDFTP6", notice.Element("pnr")!.Value);
        Assert.Equal("0140313152408060555", notice.Element("pnrsrcid")!.Value);
        Assert.Equal("出票成功", notice.Element("message")!.Value);
        var ticket = notice.Descendants("ticket").Single();
        Assert.Matches(@"^784-21\d{8}$", ticket.Element("tktno")!.Value);
        var name = HttpUtility.UrlDecode(ticket.Element("passenger")!.Value, BptClient.Gbk);
        Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}{2,4}$", name);

        var order = await c.Get("newqueryorder", Common(pnr));
        Assert.Equal("1", order.Xml.Descendants("status").Single().Value);
        Assert.Equal(ticket.Element("tktno")!.Value, order.Xml.Descendants("tktno").Single().Value);
        Assert.Equal(ticket.Element("passenger")!.Value, order.Xml.Descendants("passenger").Single().Value);

        // Asked again after issuance: the notice is not sent twice to the same URL, but goes at once to a new one.
        Assert.Equal("出票完成", (await c.Get("ticketoutcallback", [.. Common(pnr), ("callbackurl", env.Notify)]))["message"]);
        await c.Get("ticketoutcallback", [.. Common(pnr), ("callbackurl", env.Receiver.Url + "/second")]);
        await env.Receiver.WaitForAsync(3);
        Assert.Single(To(env.Receiver, "/second"));
        Assert.Single(To(env.Receiver, "/AutoIssueNotify"));
    }

    [Fact]
    public async Task Orderex_inputs_pays_and_tickets_in_one_call()
    {
        await using var env = await Start();
        var r = await env.Client.Get("orderex", [.. Common("NJD40G", "HU"), ("autopayflag", "1"), ("payaccount", "buyer@example.com"),
            ("callbackurl", env.Notify), ("callbackurlforpay", env.PayNotify), ("getticketovertime", "3"), ("checkprice", "0-295")]);
        Assert.Equal("1", r.Code);
        Assert.Equal("1", r["paystatus"]);
        Assert.Equal("295.0", r["payprice"]);
        Assert.Equal("NJD40G|HDFTP6", r["pnr"]);
        await env.Advance("PT20S");
        await env.Receiver.WaitForAsync(2);
        var notice = BptClient.DecodeNotice(To(env.Receiver, "/AutoIssueNotify").Single(), "ticketnoinfo");
        Assert.Equal("1", notice.Element("orderstatus")!.Value);
        Assert.Equal("王永磊", HttpUtility.UrlDecode(notice.Descendants("passenger").Single().Value, BptClient.Gbk));
        Assert.Equal("880", notice.Descendants("tktno").Single().Value[..3]);
        var order = await env.Client.Get("newqueryorder", Common("NJD40G", "HU"));
        Assert.Equal("1", order.Xml.Descendants("status").Single().Value);
        Assert.Equal("295.00", order.Xml.Descendants("payprice").Single().Value);
    }

    [Fact]
    public async Task Slow_ticketing_sends_the_getticketovertime_notice_then_the_success()
    {
        await using var env = await Start();
        var c = env.Client;
        await c.Get("orderex", [.. Common("ZZTSAB"), ("autopayflag", "1"), ("callbackurl", env.Notify), ("getticketovertime", "3")]);
        await env.Advance("PT2M59S");
        Assert.Empty(env.Receiver.All);
        await env.Advance("PT1S");
        var timeout = BptClient.DecodeNotice((await env.Receiver.WaitForAsync(1))[0], "ticketnoinfo");
        Assert.Equal("0", timeout.Element("code")!.Value);
        Assert.Equal("4", timeout.Element("orderstatus")!.Value);
        Assert.Equal("获取票号超时，请稍后通过ticketout查询", timeout.Element("message")!.Value);
        Assert.Empty(timeout.Descendants("ticket"));
        Assert.Equal("4", (await c.Get("newqueryorder", Common("ZZTSAB"))).Xml.Descendants("status").Single().Value);

        await env.Advance("PT1M");
        var success = BptClient.DecodeNotice((await env.Receiver.WaitForAsync(2))[1], "ticketnoinfo");
        Assert.Equal("1", success.Element("code")!.Value);
        Assert.Single(success.Descendants("ticket"));
    }

    [Fact]
    public async Task The_pending_getticketovertime_notice_survives_a_restart()
    {
        await using var env = await Start();
        await env.Client.Get("orderex", [.. Common("ZZTSCD"), ("autopayflag", "1"), ("callbackurl", env.Notify), ("getticketovertime", "2")]);
        await env.Host.RestartAsync();
        await env.Advance("PT2M");
        var timeout = BptClient.DecodeNotice((await env.Receiver.WaitForAsync(1))[0], "ticketnoinfo");
        Assert.Equal("获取票号超时，请稍后通过ticketout查询", timeout.Element("message")!.Value);
        await env.Advance("PT1M");
        Assert.Equal("1", BptClient.DecodeNotice((await env.Receiver.WaitForAsync(2))[1], "ticketnoinfo").Element("code")!.Value);
    }

    [Fact]
    public async Task Ticketing_failure_refunds_and_notifies()
    {
        await using var env = await Start();
        var c = env.Client;
        await c.Get("input", [.. Common("ZZTFAB"), ("autopayflag", "1"), ("callbackurl", env.Notify)]);
        await env.Advance("PT20S");
        var notice = BptClient.DecodeNotice((await env.Receiver.WaitForAsync(1))[0], "ticketnoinfo");
        Assert.Equal("0", notice.Element("code")!.Value);
        Assert.Equal("6", notice.Element("orderstatus")!.Value);
        Assert.Equal("出票失败，已退款", notice.Element("message")!.Value);
        Assert.NotNull(notice.Element("tickets"));
        Assert.Equal("出票失败，已退款", (await c.Get("ticketout", Common("ZZTFAB")))["message"]);
        Assert.Equal("6", (await c.Get("newqueryorder", Common("ZZTFAB"))).Xml.Descendants("status").Single().Value);
    }

    [Fact]
    public async Task Status_unknown_reads_9_after_payment()
    {
        await using var env = await Start();
        await env.Client.Get("input", [.. Common("ZZUNAB"), ("autopayflag", "1")]);
        await env.Advance("PT20S");
        Assert.Equal("9", (await env.Client.Get("newqueryorder", Common("ZZUNAB"))).Xml.Descendants("status").Single().Value);
        Assert.Equal("出票处理中，请稍后再查", (await env.Client.Get("ticketout", Common("ZZUNAB")))["message"]);
    }

    [Fact]
    public async Task Unacknowledged_notices_are_retried_after_1_and_2_minutes_logged_and_redeliverable()
    {
        await using var env = await Start();
        var attempts = 0;
        env.Receiver.Reply = _ => Interlocked.Increment(ref attempts) < 3 ? (200, "false") : (200, " TRUE\r\n");
        await env.Client.Get("orderex", [.. Common("RTRYAB"), ("autopayflag", "1"), ("callbackurl", env.Notify)]);
        await env.Advance("PT20S");
        await env.Receiver.WaitForAsync(1);
        // The retry is due 1 virtual minute after the attempt was recorded: wait for the record before moving the clock.
        await Attempts(env, 1);
        await env.Advance("PT59S");
        Assert.Single(env.Receiver.All);
        await env.Advance("PT1S");
        await env.Receiver.WaitForAsync(2);
        await Attempts(env, 2);
        await env.Advance("PT1M59S");
        Assert.Equal(2, env.Receiver.All.Count);
        await env.Advance("PT1S");
        await env.Receiver.WaitForAsync(3);
        Assert.Equal(env.Receiver.All[0].Body, env.Receiver.All[2].Body);

        System.Text.Json.Nodes.JsonNode? cb = null;
        for (var i = 0; i < 50 && cb?["status"]?.GetValue<string>() != "delivered"; i++)
        {
            await Task.Delay(50);
            cb = (await env.Host.AdminGet("/callbacks?tenant=demo"))!.AsArray().Single(x => x!["name"]!.GetValue<string>() == "ticketnoinfo");
        }
        Assert.Equal("delivered", cb!["status"]!.GetValue<string>());
        Assert.Equal(["retry", "retry", "acknowledged"], cb["deliveries"]!.AsArray().Select(d => d!["outcome"]!.GetValue<string>()));

        var (status, _) = await env.Host.AdminSend(HttpMethod.Post, $"/callbacks/{cb["id"]}/redeliver");
        Assert.True(status is 200 or 202);
        await env.Receiver.WaitForAsync(4);
    }

    static async Task Attempts(Env env, int n)
    {
        for (var i = 0; i < 100; i++)
        {
            var log = (await env.Host.AdminGet("/callbacks?tenant=demo"))!.AsArray();
            if (log.Any(x => x!["name"]!.GetValue<string>() == "ticketnoinfo" && x["attempts"]!.GetValue<int>() >= n)) return;
            await Task.Delay(20);
        }
        Assert.Fail($"the notice's attempt {n} was not recorded");
    }

    [Fact]
    public async Task Tenant_switches_send_notices_by_GET_with_plain_names()
    {
        await using var env = await Start(t => t["settings"]!["bpt"] = new System.Text.Json.Nodes.JsonObject
        {
            ["callback_method"] = "GET", ["passenger_name_encoding"] = "plain",
        });
        await env.Client.Get("orderex", [.. Common("NJD40G", "HU"), ("autopayflag", "1"), ("callbackurl", env.Notify + "?site=1")]);
        await env.Advance("PT20S");
        var r = (await env.Receiver.WaitForAsync(1))[0];
        Assert.Equal("GET", r.Method);
        Assert.StartsWith("?site=1&ticketnoinfo=%3Corderinfo%3E", r.Query);
        var once = XElement.Parse(HttpUtility.UrlDecode(r.Query.Split("ticketnoinfo=")[1], BptClient.Gbk));
        Assert.Equal("王永磊", once.Descendants("passenger").Single().Value);
        var query = await env.Client.Get("ticketout", Common("NJD40G", "HU"));
        Assert.Equal("王永磊", query.Xml.Descendants("passenger").Single().Value);
    }

    [Fact]
    public async Task Tenant_switch_callback_encoding_double_sends_spec_6_1s_F()
    {
        await using var env = await Start(t => t["settings"]!["bpt"] = new System.Text.Json.Nodes.JsonObject { ["callback_encoding"] = "double" });
        await env.Client.Get("orderex", [.. Common("NJD40G", "HU"), ("autopayflag", "1"), ("callbackurl", env.Notify)]);
        await env.Advance("PT20S");
        var r = (await env.Receiver.WaitForAsync(1))[0];
        Assert.StartsWith("ticketnoinfo=%253Corderinfo%253E%253Ccode%253E1%253C%252Fcode%253E", r.Body);
        var notice = BptClient.DecodeNotice(r, "ticketnoinfo");
        Assert.Equal("出票成功", notice.Element("message")!.Value);
    }

    /// <summary>
    /// PB3's AutoPay (AliPay.cs) as it sends orderex: big PNR, no pnrc, xmlhashead=false, HU contact extras. Its notice
    /// page (AutoPayByAlipayNotifyUrl.aspx) form-decodes ticketnoinfo, URL-decodes it as GB2312, loads it with XmlDocument
    /// and DataSet (tickets in Tables[2]) and writes nothing: HTTP 200 with an empty body.
    /// </summary>
    [Fact]
    public async Task Pb3_AutoPay_orderex_without_pnrc_and_its_empty_notice_answer_is_an_acknowledgement()
    {
        await using var env = await Start();
        env.Receiver.Reply = _ => (200, "");
        var url = "/alidz.do?cmd=orderex&fmt=xml&pnr=NJD40G&bigpnr=1&air=HU&autopayflag=1&callbackurl=" + env.Receiver.Url +
                  "/Pay/PTReturnPage/AutoPayByAlipayNotifyUrl.aspx&pnrsrcid=0101912051714341204&xmlhashead=false&getticketovertime=3" +
                  "&payaccount=buyer@example.com&checkprice=0-295&hu_linktel=13076056938&hu_linkman=" +
                  HttpUtility.UrlEncode("王永磊") + "&b2buser=urc221&b2bpwd=sandboxpwd";
        var r = await env.Client.Send(HttpMethod.Get, url);
        // AutoPay removes spaces, then reads Tables[0]'s code and paystatus.
        var table = XElement.Parse(r.Text.Replace(" ", ""));
        Assert.Equal("autopayinfo", table.Name.LocalName);
        Assert.Equal("1", table.Element("code")!.Value);
        Assert.Equal("1", table.Element("paystatus")!.Value);

        await env.Advance("PT20S");
        var received = (await env.Receiver.WaitForAsync(1)).Single();
        var notice = BptClient.DecodeNotice(received, "ticketnoinfo");
        Assert.Equal("0101912051714341204", notice.Element("pnrsrcid")!.Value);
        Assert.Equal(["orderinfo", "tickets", "ticket"], notice.DescendantsAndSelf().Where(e => e.HasElements).Select(e => e.Name.LocalName).Distinct());

        System.Text.Json.Nodes.JsonNode? cb = null;
        for (var i = 0; i < 100 && cb?["status"]?.GetValue<string>() != "delivered"; i++)
        {
            await Task.Delay(20);
            cb = (await env.Host.AdminGet("/callbacks?tenant=demo"))!.AsArray().Single(x => x!["name"]!.GetValue<string>() == "ticketnoinfo");
        }
        Assert.Equal("delivered", cb!["status"]!.GetValue<string>());
        Assert.Equal(1, cb["attempts"]!.GetValue<int>());
        await env.Advance("PT1M");
        Assert.Single(env.Receiver.All);
    }

    [Fact]
    public async Task A_false_answer_is_still_not_an_acknowledgement()
    {
        await using var env = await Start();
        env.Receiver.Reply = _ => (200, "false\r\n");
        await env.Client.Get("orderex", [.. Common("NJD40G", "HU"), ("autopayflag", "1"), ("callbackurl", env.Notify)]);
        await env.Advance("PT20S");
        await env.Receiver.WaitForAsync(1);
        await Attempts(env, 1);
        await env.Advance("PT1M");
        await env.Receiver.WaitForAsync(2);
    }
}
