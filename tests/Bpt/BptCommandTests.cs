using System.Text;
using System.Web;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Bpt;

/// <summary>Every command through the real BPT port: success, each documented failure and bad input.</summary>
public class BptCommandTests(BptHostFixture f) : IClassFixture<BptHostFixture>
{
    BptClient C => f.Client;
    static string Pnr(string prefix = "T") => BptHostFixture.Pnr(prefix);
    static (string, string)[] Common(string pnr, string air = "CA", string src = "P0001", string? pnrc = "HV7SEK", string pwd = "sandboxpwd") =>
        BptClient.Common(pnr, air, src, pnrc, pwd);

    static void AssertGbkXml(BptClient.Reply r)
    {
        Assert.Equal(200, r.Status);
        Assert.Contains("charset=GB2312", r.ContentType);
        Assert.Equal(r.Bytes, BptClient.Gbk.GetBytes(r.Text));
    }

    async Task<BptClient.Reply> Input(string pnr, string src = "P0001", string air = "CA", params (string, string)[] extra) =>
        await C.Get("input", [.. Common(pnr, air, src), .. extra]);

    // ---- checkclt

    [Fact]
    public async Task Checkclt_answers_with_a_capitalised_Code_also_lower_case_in_json_and_honours_fmt_and_xmlhashead()
    {
        var xml = await C.Get("checkclt");
        AssertGbkXml(xml);
        Assert.Equal("<?xml version=\"1.0\" encoding=\"GB2312\"?><pnrinfo><Code>1</Code><message>本票通服务器版运行中</message></pnrinfo>", xml.Text);
        Assert.Contains("<Code>1</Code>", xml.Text);
        var bare = await C.Get("checkclt", ("xmlhashead", "false"));
        Assert.StartsWith("<pnrinfo>", bare.Text);
        var json = await C.Get("checkclt", ("fmt", "json"));
        Assert.Equal("""{"pnrinfo":{"Code":"1","code":"1","message":"本票通服务器版运行中"}}""", json.Text);
        Assert.StartsWith("application/json; charset=GB2312", json.ContentType);
    }

    [Fact]
    public async Task Commands_are_accepted_on_the_root_path_and_parameter_names_are_case_insensitive()
    {
        var r = await C.Send(HttpMethod.Get, "/?CMD=newquerypricebypnr&PNR=" + Pnr() + "&Air=CA&BigPnr=1&B2BUser=x&b2bPwd=y&XmlHasHead=false");
        Assert.Equal("1", r.Code);
        Assert.StartsWith("<pnrinfo>", r.Text);
    }

    // ---- transport errors

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_get_405_with_an_empty_body(string method)
    {
        var r = await C.Send(new HttpMethod(method), "/alidz.do?cmd=checkclt");
        Assert.Equal(405, r.Status);
        Assert.Empty(r.Bytes);
        Assert.Equal("GET", r.Headers["Allow"]);
    }

    [Fact]
    public async Task Unknown_path_unknown_and_missing_cmd_get_BPT_errors()
    {
        var path = await C.Send(HttpMethod.Get, "/healthz");
        Assert.Equal(404, path.Status);
        Assert.Equal("0", path.Code);
        Assert.Contains("/alidz.do", path["message"]);
        var unknown = await C.Get("deleteall", ("xmlhashead", "false"));
        Assert.Equal("<pnrinfo><code>0</code><message>不支持的命令：deleteall</message></pnrinfo>", unknown.Text);
        var missing = await C.Send(HttpMethod.Get, "/alidz.do?pnr=ABCDEF");
        Assert.Equal("参数错误：缺少cmd", missing["message"]);
    }

    // ---- newquerypricebypnr

    [Fact]
    public async Task Newquerypricebypnr_of_the_PB3_sample_returns_the_sample_reply()
    {
        var r = await C.Send(HttpMethod.Get,
            "/alidz.do?cmd=newquerypricebypnr&fmt=xml&pnr=MT2GB2&bigpnr=1&air=3U&ticketprice=&xmlhashead=false&b2buser=SCH640&b2bpwd=sandboxpwd");
        AssertGbkXml(r);
        Assert.Equal("<pnrinfo><code>1</code><pnr>MT2GB2</pnr><message></message><air>3U</air><policies><policy><pgid>1</pgid><pgcode>4043972</pgcode><ticketprice>1180.0</ticketprice><policynum>6.00</policynum><totaltax>180.0</totaltax><payprice>1289.2</payprice><fc>-</fc></policy></policies></pnrinfo>",
            r.Text);
    }

    [Fact]
    public async Task Newquerypricebypnr_of_an_unknown_PNR_offers_the_three_default_policies()
    {
        var r = await C.Get("newquerypricebypnr", Common(Pnr(), pnrc: null));
        var policies = r.Xml.Descendants("policy").ToList();
        Assert.Equal(["1289.2", "1295.1", "1301.0"], policies.Select(p => p.Element("payprice")!.Value));
        Assert.Equal(["6.00", "5.50", "5.00"], policies.Select(p => p.Element("policynum")!.Value));
        Assert.Equal(["1", "2", "3"], policies.Select(p => p.Element("pgid")!.Value));
    }

    [Fact]
    public async Task Qrytype_one_and_the_ticketprice_filter()
    {
        var pnr = Pnr();
        var one = await C.Get("newquerypricebypnr", [.. Common(pnr, pnrc: null), ("qrytype", "one")]);
        Assert.Equal("4043972", one.Xml.Descendants("pgcode").Single().Value);
        var face = await C.Get("newquerypricebypnr", [.. Common(pnr, pnrc: null), ("qrytype", "one"), ("ticketprice", "1180")]);
        Assert.Equal("6.00", face.Xml.Descendants("policynum").Single().Value);
        var other = await C.Get("newquerypricebypnr", [.. Common(pnr, pnrc: null), ("ticketprice", "990")]);
        Assert.Equal("0", other.Code);
        Assert.Equal("未查询到可用政策", other["message"]);
        var bad = await C.Get("newquerypricebypnr", [.. Common(pnr, pnrc: null), ("ticketprice", "abc")]);
        Assert.Equal("参数错误：ticketprice格式错误", bad["message"]);
    }

    [Fact]
    public async Task Newquerypricebypnr_failures()
    {
        var noPolicy = await C.Get("newquerypricebypnr", Common(Pnr("ZZNP"), pnrc: null));
        Assert.Equal(["code", "pnr", "air", "pnrsrcid", "message"], noPolicy.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("未查询到可用政策", noPolicy["message"]);
        var login = await C.Get("newquerypricebypnr", Common(Pnr(), pnrc: null, pwd: "badpwd"));
        Assert.Equal("获取登录信息失败，请稍后再试", login["message"]);
        var missing = await C.Get("newquerypricebypnr", ("pnr", Pnr()), ("air", "CA"), ("b2buser", "u"));
        Assert.Equal(["code", "pnr", "pnrsrcid", "message"], missing.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("参数错误：缺少b2bpwd", missing["message"]);
        var badPnr = await C.Get("newquerypricebypnr", ("pnr", "AB-1"), ("air", "CA"), ("b2buser", "u"), ("b2bpwd", "p"));
        Assert.Equal("0", badPnr.Code);
        Assert.Contains("PNR格式错误", badPnr["message"]);

        var input = Pnr();
        Assert.Equal("1", (await Input(input)).Code);
        var already = await C.Get("newquerypricebypnr", Common(input, pnrc: null));
        Assert.Equal("查价格失败，该PNR已经入库！", already["message"]);
    }

    // ---- input

    [Fact]
    public async Task Input_creates_the_order_in_status_3_and_is_idempotent_for_the_same_pnrsrcid()
    {
        var pnr = Pnr();
        var r = await Input(pnr, "SRC1");
        Assert.Equal($"<pnrinfo><code>1</code><pnr>{pnr}|HV7SEK</pnr><message>入库成功</message><pnrsrcid>SRC1</pnrsrcid></pnrinfo>", r.Text);
        var status = await C.Get("newqueryorder", Common(pnr, src: "SRC1"));
        Assert.Equal("3", status.Xml.Descendants("status").Single().Value);
        Assert.Equal("1289.20", status.Xml.Descendants("payprice").Single().Value);
        Assert.Equal("1", (await Input(pnr, "SRC1")).Code);
        var other = await Input(pnr, "SRC2");
        Assert.Equal("0", other.Code);
        Assert.Equal("该PNR已经入库", other["message"]);
        Assert.Equal(["code", "pnr", "message", "pnrsrcid"], other.Xml.Elements().Select(e => e.Name.LocalName));
    }

    [Theory]
    [InlineData("srcpolicynum", "2.8", "政策点数不一致，不能入库")]
    [InlineData("srctotaltax", "340", "税费不一致，不能入库")]
    [InlineData("srcticketsprice", "1000", "票面价不一致，不能入库")]
    public async Task Input_refuses_when_the_callers_policy_tax_or_face_price_differs(string name, string value, string message)
    {
        var r = await Input(Pnr(), extra: (name, value));
        Assert.Equal("0", r.Code);
        Assert.Equal(message, r["message"]);
    }

    [Fact]
    public async Task Input_with_matching_checks_picks_the_callers_policy()
    {
        var pnr = Pnr();
        var r = await Input(pnr, extra: [("srcpolicynum", "5.5"), ("srctotaltax", "180"), ("srcticketsprice", "1180.0")]);
        Assert.Equal("1", r.Code);
        var q = await C.Get("newqueryorder", Common(pnr));
        Assert.Equal("1295.10", q.Xml.Descendants("payprice").Single().Value);
    }

    [Fact]
    public async Task Input_with_autopay_pays_and_reports_payment_failure_in_the_message()
    {
        var ok = await Input(Pnr(), extra: [("autopayflag", "1"), ("payaccount", "buyer@example.com")]);
        Assert.Equal("入库成功，支付成功", ok["message"]);
        var fail = await Input(Pnr("ZZPF"), extra: ("autopayflag", "1"));
        Assert.Equal("1", fail.Code);
        Assert.Equal("入库成功，支付失败：未取到支付信息,请稍后再试！", fail["message"]);
        var missingPnrc = await C.Get("input", BptClient.Common(Pnr(), "CA", "S", pnrc: null));
        Assert.Equal("参数错误：缺少pnrc", missingPnrc["message"]);
    }

    // ---- pay

    [Fact]
    public async Task Pay_succeeds_once_then_answers_already_paid_with_the_same_numbers()
    {
        var pnr = Pnr();
        await Input(pnr);
        var paid = await C.Get("pay", [.. Common(pnr), ("autopayflag", "1"), ("checkprice", "0-1289.2")]);
        Assert.Equal("1", paid.Code);
        Assert.Equal("支付成功", paid["message"]);
        var pay = paid.Xml.Element("pay")!;
        Assert.Matches(@"^CA\d{14}$", pay.Element("orderid")!.Value);
        Assert.Matches(@"^\d{28}$", pay.Element("tradeno")!.Value);
        Assert.Equal("1289.2", pay.Element("payprice")!.Value);
        var again = await C.Get("pay", Common(pnr));
        Assert.Equal("订单已支付", again["message"]);
        Assert.Equal(pay.Element("tradeno")!.Value, again.Xml.Element("pay")!.Element("tradeno")!.Value);
        Assert.Equal("4", (await C.Get("newqueryorder", Common(pnr))).Xml.Descendants("status").Single().Value);
    }

    [Fact]
    public async Task Pay_failures()
    {
        var notInput = await C.Get("pay", Common(Pnr()));
        Assert.Equal("订单不存在，请先入库", notInput["message"]);

        var pf = Pnr("ZZPF");
        await Input(pf);
        var failed = await C.Get("pay", Common(pf));
        Assert.Equal("<pnrinfo><code>0</code><pnr>" + pf + "|HV7SEK</pnr><pnrsrcid>P0001</pnrsrcid><message>未取到支付信息,请稍后再试！</message><pay><orderid></orderid><payprice>1289.2</payprice><tradeno></tradeno><outtradeno></outtradeno></pay></pnrinfo>",
            failed.Text);

        var bz = Pnr("ZZBZ");
        await Input(bz);
        Assert.Equal("该订单正在被其他业务处理中，请您稍后再提交请求！", (await C.Get("pay", Common(bz)))["message"]);

        var px = Pnr("ZZPX");
        await Input(px);
        Assert.Equal("支付状态未知，请稍后查询", (await C.Get("pay", Common(px)))["message"]);

        var cp = Pnr();
        await Input(cp);
        var limit = await C.Get("pay", [.. Common(cp), ("checkprice", "0-1000")]);
        Assert.Equal("支付价格1289.2不符合限定价格0-1000，未支付", limit["message"]);
        var exact = await C.Get("pay", [.. Common(cp), ("checkprice", "1180")]);
        Assert.Equal("1", exact.Code);
        var badFormat = await C.Get("pay", [.. Common(Pnr()), ("checkprice", "cheap")]);
        Assert.Equal("0", badFormat.Code);
    }

    // ---- ticketout / ticketoutcallback / newqueryorder before issuance

    [Fact]
    public async Task Ticketing_commands_refuse_unpaid_orders_and_report_processing_for_paid_ones()
    {
        var pnr = Pnr();
        await Input(pnr);
        var cb = ("callbackurl", "http://127.0.0.1:9/notify");
        Assert.Equal("订单未支付，不能出票", (await C.Get("ticketoutcallback", [.. Common(pnr), cb]))["message"]);
        Assert.Equal("订单未支付，不能出票", (await C.Get("ticketout", Common(pnr)))["message"]);
        await C.Get("pay", Common(pnr));
        var accepted = await C.Get("ticketoutcallback", [.. Common(pnr), cb]);
        Assert.Equal(["code", "pnr", "air", "pnrsrcid", "message"], accepted.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("出票处理中", accepted["message"]);
        Assert.Equal("出票处理中，请稍后再查", (await C.Get("ticketout", Common(pnr)))["message"]);
        Assert.Equal("参数错误：缺少callbackurl", (await C.Get("ticketoutcallback", Common(pnr)))["message"]);
        Assert.Equal("订单不存在", (await C.Get("ticketout", Common(Pnr())))["message"]);
        Assert.Equal("订单不存在", (await C.Get("newqueryorder", Common(Pnr())))["message"]);
        Assert.Equal("票号格式错误", (await C.Get("ticketout", [.. Common(pnr), ("tktno", "12345")]))["message"]);
    }

    // ---- orderex

    [Fact]
    public async Task Orderex_samples()
    {
        var ok = await C.Get("orderex", [.. Common(Pnr(), air: "HU"), ("autopayflag", "1"), ("payaccount", "buyer@example.com"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal(["code", "pnr", "air", "paystatus", "errorInfo", "payprice", "tradeno", "outtradeno"], ok.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("1", ok["paystatus"]);
        Assert.Matches(@"^\d{28}$", ok["tradeno"]!);

        var pf = await C.Get("orderex", [.. Common(Pnr("ZZPF"), air: "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal("1", pf.Code);
        Assert.Equal("0", pf["paystatus"]);
        Assert.Equal("入库成功，支付信息获取失败，请重试或到航空公司网站支付", pf["errorInfo"]);
        Assert.Equal("1289.2", pf["payprice"]);

        var login = await C.Get("orderex", [.. Common(Pnr(), air: "HU", pwd: "badpwd"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal(["code", "pnr", "errorinfo"], login.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("获取登录信息失败，请稍后再试", login["errorinfo"]);

        var px = await C.Get("orderex", [.. Common(Pnr("ZZPX"), air: "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal("9", px["paystatus"]);

        var bz = await C.Get("orderex", [.. Common(Pnr("ZZBZ"), air: "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal("该订单正在被其他业务处理中，请您稍后再提交请求！", bz["errorinfo"]);

        var taken = Pnr();
        await Input(taken, "OTHER", "HU");
        var again = await C.Get("orderex", [.. Common(taken, air: "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal("0", again.Code);
        Assert.Equal("入库失败：该PNR已经入库", again["errorinfo"]);
    }

    [Fact]
    public async Task Orderex_of_an_already_issued_PNR_returns_the_Err701_sample_and_ticketout_returns_the_tickets()
    {
        var pnr = Pnr("ZZET");
        var r = await C.Get("orderex", [.. Common(pnr, air: "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal("1", r.Code);
        Assert.Equal("0", r["paystatus"]);
        Assert.Equal("网站提示： Err701:已出票！! Err701:已出票！! Err708:出票状态应为出票时限形式!", r["errorInfo"]);
        Assert.Equal("0", r["payprice"]);
        var tickets = await C.Get("ticketout", Common(pnr, air: "HU"));
        Assert.Equal("出票完成", tickets["message"]);
        var tktno = tickets.Xml.Descendants("tktno").Single().Value;
        Assert.Matches(@"^880-21\d{8}$", tktno);
        var filtered = await C.Get("ticketout", [.. Common(pnr, air: "HU"), ("tktno", tktno.Replace("-", ""))]);
        Assert.Single(filtered.Xml.Descendants("ticket"));
        var repeated = await C.Get("orderex", [.. Common(pnr, air: "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/n")]);
        Assert.Equal("1", repeated["paystatus"]);
        Assert.Equal("该订单已经出票成功，平台订单号P0001", repeated["errorInfo"]);
    }

    // ---- legacy

    [Fact]
    public async Task Legacy_commands_in_the_shapes_TRP_parses()
    {
        var pnr = Pnr();
        var price = await C.Get("querypricebypnrex", ("pnr", pnr), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bPwd", "p"), ("xmlhashead", "false"));
        Assert.Equal("<pnrinfo><code>1</code><pnr>" + pnr + "</pnr><air>CA</air><ticketprice>1180.0</ticketprice><policynum>6.00</policynum><totaltax>180.0</totaltax><payprice>1289.2</payprice></pnrinfo>", price.Text);
        var none = await C.Get("querypricebypnrex", ("pnr", Pnr("ZZNP")), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bPwd", "p"), ("xmlhashead", "false"));
        Assert.Equal("<errorInfo>未查询到可用政策</errorInfo>", none.Text);

        var order = await C.Get("order", ("pnr", pnr), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bpwd", "p"), ("autopayflag", "1"), ("srcticketprice", "1180"));
        Assert.Equal("autopayinfo", order.Xml.Name.LocalName);
        Assert.Equal("1", order["paystatus"]);
        var query = await C.Get("queryorder", ("pnr", pnr), ("bigpnr", "1"), ("air", "CA"), ("xmlhashead", "false"));
        Assert.Equal(["code", "pnr", "orderno", "orderstatus", "paystatus", "pnrsrcid", "tickets"], query.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("4", query["orderstatus"]);
        var unknown = await C.Get("queryorder", ("pnr", Pnr()), ("bigpnr", "1"), ("air", "CA"), ("xmlhashead", "false"));
        // TRP's queryOrder tests the root's name for errorInfo and otherwise walks <tickets>: a failure is the bare root.
        Assert.Equal("<errorInfo>订单不存在</errorInfo>", unknown.Text);
        var refused = await C.Get("queryorder", ("pnr", pnr), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bpwd", "badpwd"), ("xmlhashead", "false"));
        Assert.Equal("<errorInfo>获取登录信息失败，请稍后再试</errorInfo>", refused.Text);
        var missing = await C.Get("queryorder", ("bigpnr", "1"), ("air", "CA"), ("xmlhashead", "false"));
        Assert.Equal("errorInfo", missing.Xml.Name.LocalName);

        // TRP's order reads the children paystatus and errorInfo.
        var failed = await C.Get("order", ("pnr", Pnr()), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bpwd", "badpwd"), ("autopayflag", "1"), ("xmlhashead", "false"));
        Assert.Equal(["code", "pnr", "paystatus", "errorInfo"], failed.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("0", failed["paystatus"]);
        Assert.Contains("获取登录信息失败", failed["errorInfo"]);
    }

    // ---- encodings and signing

    [Fact]
    public async Task Json_replies_use_arrays_for_repeated_elements()
    {
        var r = await C.Get("newquerypricebypnr", [.. Common(Pnr(), pnrc: null).Where(p => p.Item1 != "fmt"), ("fmt", "json")]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(r.Text)!;
        Assert.Equal(3, json["pnrinfo"]!["policies"]!["policy"]!.AsArray().Count);
        Assert.Equal("1", json["pnrinfo"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Utf8_and_GBK_encoded_values_decode_to_the_same_text()
    {
        var a = Pnr();
        var b = Pnr();
        await C.Get("input", [.. Common(a), ("hu_linkman", "王永磊")]);
        await C.Get("input", [.. Common(b), ("hu_linkman", "%CD%F5%D3%C0%C0%DA")], "hu_linkman");
        var oa = await f.Host.AdminGet($"/tenants/demo/orders/CA-{a}?supplier=bpt");
        var ob = await f.Host.AdminGet($"/tenants/demo/orders/CA-{b}?supplier=bpt");
        Assert.Equal("王永磊", oa!["contacts"]!["hu_linkman"]!.GetValue<string>());
        Assert.Equal("王永磊", ob!["contacts"]!["hu_linkman"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ver2_requests_must_carry_a_valid_MD5_signature()
    {
        (string, string)[] b1 =
        [
            ("ver", "2"), ("pnr", "MT2GB2"), ("bigpnr", "1"), ("air", "3U"), ("fmt", "xml"), ("xmlhashead", "false"), ("qrytype", "one"),
            ("pnrsrcid", "0140704141742444045"), ("b2buser", "SCH640"), ("b2bpwd", "sandboxpwd"), ("ticketprice", ""), ("sign_type", "MD5"),
        ];
        var ok = await C.Get("newquerypricebypnr", [.. b1, ("sign", "5c5562a9b559836c26bf49bb56522797")]);
        Assert.Equal("1", ok.Code);
        var bad = await C.Get("newquerypricebypnr", [.. b1, ("sign", "00000000000000000000000000000000")]);
        Assert.Equal("<pnrinfo><code>0</code><pnr>MT2GB2</pnr><pnrsrcid>0140704141742444045</pnrsrcid><message>签名校验失败</message></pnrinfo>", bad.Text);
        Assert.Contains("air=3U&b2bpwd=sandboxpwd", bad.Headers["X-Sandbox-Diagnostic"]);
        var missing = await C.Get("newquerypricebypnr", b1);
        Assert.Equal("签名校验失败", missing["message"]);
        var unsigned = await C.Get("newquerypricebypnr", [.. b1.Where(p => p.Item1 != "ver"), ("sign", "whatever")]);
        Assert.Equal("1", unsigned.Code);
        var orderex = await C.Get("orderex", [.. Common(Pnr(), air: "HU"), ("ver", "2"), ("sign", "x")]);
        Assert.Equal(["code", "pnr", "errorinfo"], orderex.Xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("签名校验失败", orderex["errorinfo"]);
    }

    [Fact]
    public async Task Ver2_signature_over_GBK_or_UTF8_bytes_of_a_Chinese_value_verifies()
    {
        var pnr = Pnr();
        var ps = new List<KeyValuePair<string, string>>
        {
            new("cmd", "input"), new("ver", "2"), new("pnr", pnr), new("pnrc", "HV7SEK"), new("bigpnr", "1"), new("air", "HU"),
            new("pnrsrcid", "S2"), new("b2buser", "urc221"), new("b2bpwd", "sandboxpwd"), new("hu_linkman", "王永磊"), new("xmlhashead", "false"),
        };
        var gbkSign = Sandbox.Suppliers.Bpt.Protocol.BptSignature.SignGbk(ps, BptClient.DemoKey);
        var query = string.Join("&", ps.Select(p => p.Key + "=" + HttpUtility.UrlEncode(p.Value, BptClient.Gbk))) + "&sign=" + gbkSign + "&sign_type=MD5";
        var r = await C.Send(HttpMethod.Get, "/alidz.do?" + query);
        Assert.Equal("1", r.Code);
        var utf8Sign = Sandbox.Suppliers.Bpt.Protocol.BptSignature.Sign(Sandbox.Suppliers.Bpt.Protocol.BptSignature.Canonical(ps), BptClient.DemoKey, Encoding.UTF8);
        var query2 = string.Join("&", ps.Select(p => p.Key + "=" + HttpUtility.UrlEncode(p.Value, Encoding.UTF8))) + "&sign=" + utf8Sign;
        Assert.Equal("1", (await C.Send(HttpMethod.Get, "/alidz.do?" + query2)).Code);
    }

    /// <summary>Garbage of every kind: always HTTP 200 (or 404 for a bad path), code 0 (TRP's legacy errorInfo root for those commands), a GBK body — never a 500.</summary>
    [Theory]
    [InlineData("/alidz.do?cmd=input&pnr=%FF%FE%00&air=C&b2buser=%")]
    [InlineData("/alidz.do?cmd=pay&pnr=ABCDEF&bigpnr=7&air=CA&b2buser=u&b2bpwd=p&pnrsrcid=1")]
    [InlineData("/alidz.do?cmd=orderex&pnr=ABCDEF&air=CAX&b2buser=u&b2bpwd=p&pnrsrcid=1&autopayflag=1&callbackurl=x")]
    [InlineData("/alidz.do?cmd=input&pnr=ABCDEF&pnrc=HV7SEK&air=CA&b2buser=u&b2bpwd=p&pnrsrcid=1&getticketovertime=-3")]
    [InlineData("/alidz.do?cmd=input&pnr=ABCDEF&pnrc=HV7SEK&air=CA&b2buser=u&b2bpwd=p&pnrsrcid=1&callbackurl=ftp://x")]
    [InlineData("/alidz.do?cmd=ticketoutcallback&pnr=ABCDEF&air=CA&b2buser=u&b2bpwd=p&pnrsrcid=1&callbackurl=%%%")]
    [InlineData("/alidz.do?cmd=newqueryorder&&&=&pnr==&air")]
    [InlineData("/alidz.do?cmd=newquerypricebypnr&pnr=ABCDEF&air=CA&b2buser=u&b2bpwd=p&ver=3")]
    [InlineData("/alidz.do?cmd=newquerypricebypnr&pnr=ABCDEF&air=CA&b2buser=u&b2bpwd=p&partner=nobody")]
    [InlineData("/alidz.do?cmd=queryorder&pnr=ABCDEF&air=CA&ticketno=1-2")]
    // UTF-16 with its BOM: the echoed PNR carries NULs, which XML cannot, and the reply must still parse.
    [InlineData("/alidz.do?cmd=order&pnr=%FF%FEN%00J%00D%004%000%00G%00&air=HU&b2buser=u")]
    public async Task Bad_input_gets_a_code_0_reply_in_GBK(string pathAndQuery)
    {
        var r = await C.Send(HttpMethod.Get, pathAndQuery);
        Assert.Equal(200, r.Status);
        AssertGbkXml(r);
        if (r.Xml.Name.LocalName != "errorInfo") Assert.Equal("0", r.Code);
    }
}
