using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Sandbox.Tests.FliggyFlight;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Top;

/// <summary>
/// The gateway through real HTTP (spec §1): every top-level code of §1.7 that a request can trigger, the check order,
/// the envelopes (JSON, simplified JSON, XML), transports (query, form, multipart, GET, both paths) and the sandbox's
/// diagnostics. Bad input of any kind is an error_response, never an HTTP error.
/// </summary>
public class GatewayTests : FliggyTest
{
    Dictionary<string, string> SearchParams() => P(("search_flight_info_req", new JsonObject
    {
        ["search_od_info_list"] = new JsonArray(new JsonObject { ["dep_city_code"] = "BJS", ["arr_city_code"] = "SHA", ["dep_date"] = Day(30) }),
    }));

    Task<TopResponse> Search(Action<Dictionary<string, string>>? adjust = null, Action<Dictionary<string, string>>? afterSign = null) =>
        Top.CallAsync(SearchMethod, SearchParams(), adjust, afterSign);

    [Fact]
    public async Task A_signed_search_succeeds_with_the_documented_envelope()
    {
        var r = await Search();
        Assert.Matches("^application/json; ?charset=UTF-8$", r.ContentType);
        var json = r.Json;
        Assert.Equal(["alitrip_flight_service_search_response"], json.Select(p => p.Key));
        var inner = Ok(r, SearchMethod);
        Assert.Equal("request_id", inner.Last().Key);
        Assert.Matches("^[0-9a-z]{13}$", S(inner["request_id"]));
        Assert.NotNull(inner["flight_item_list"]!["flight_item"]);
    }

    [Fact]
    public async Task Both_paths_and_GET_with_everything_in_the_query_work()
    {
        Top.Path = "/top/router/rest";
        Ok(await Search(), SearchMethod);
        Top.Path = "/router/rest";
        Top.Style = TopClientStyle.Get;
        Ok(await Search(), SearchMethod);
    }

    [Fact]
    public async Task Json_is_the_default_format()
    {
        var r = await Search(p => p.Remove("format"));
        Assert.StartsWith("application/json", r.ContentType);
        Assert.True(r.Json["alitrip_flight_service_search_response"]!["is_success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Xml_on_request_nests_list_items()
    {
        var r = await Search(p => p["format"] = "xml");
        Assert.Matches("^text/xml; ?charset=UTF-8$", r.ContentType);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\" ?>", r.Body);
        var doc = XDocument.Parse(r.Body);
        Assert.Equal("alitrip_flight_service_search_response", doc.Root!.Name.LocalName);
        Assert.Equal("true", doc.Root.Element("is_success")!.Value);
        Assert.NotEmpty(doc.Root.Element("flight_item_list")!.Elements("flight_item"));
        Assert.NotEmpty(doc.Descendants("flight_segment_list").Elements("flight_segment"));
    }

    [Fact]
    public async Task Simplified_json_drops_the_wrapper_and_list_items_but_errors_keep_theirs()
    {
        Top.Simplify = true;
        var r = await Search();
        var json = r.Json;
        Assert.True(json["is_success"]!.GetValue<bool>());
        Assert.IsType<JsonArray>(json["flight_item_list"]);
        Assert.IsType<JsonArray>(json["flight_item_list"]![0]!["flight_route"]!["flight_journey_list"]);
        var error = await Search(p => p["v"] = "3.0");
        TopError(error, 34);
        Assert.Equal(["error_response"], error.Json.Select(p => p.Key));
    }

    [Fact]
    public async Task Simplify_1_from_php_counts_and_xml_ignores_simplify()
    {
        Top.Style = TopClientStyle.PhpSdk;
        Top.Simplify = true;
        var r = await Search();
        Assert.True(r.Json["is_success"]!.GetValue<bool>());
        Top.Format = "xml";
        var xml = await Search();
        Assert.Equal("alitrip_flight_service_search_response", XDocument.Parse(xml.Body).Root!.Name.LocalName);
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("hmac")]
    [InlineData("hmac-sha256")]
    public async Task Each_sign_method_verifies(string method)
    {
        Top.SignMethod = method;
        Ok(await Search(), SearchMethod);
    }

    [Fact]
    public async Task An_absent_sign_method_means_md5()
    {
        Ok(await Search(p => p.Remove("sign_method")), SearchMethod);
    }

    // ---- §1.7 codes, in the documented check order

    [Fact]
    public async Task Http_methods_other_than_get_and_post_are_code_9()
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, "/router/rest?format=json&method=" + SearchMethod);
        var r = await Host.Http.SendAsync(put);
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal(9, JsonNode.Parse(await r.Content.ReadAsStringAsync())!["error_response"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_parameter_in_query_and_body_with_different_values_is_code_41()
    {
        Top.Style = TopClientStyle.JsForm;
        Top.Path = "/router/rest?v=1.0";
        var e = TopError(await Search(), 41, "isv.invalid-parameter");
        Assert.Equal("Invalid arguments:v", S(e["msg"]));
        Top.Path = "/router/rest?v=2.0";
        Ok(await Search(), SearchMethod);
    }

    [Fact]
    public async Task Method_missing_is_21_and_unknown_is_22_before_the_app_key_is_looked_at()
    {
        TopError(await Search(p => { p.Remove("method"); p.Remove("app_key"); }), 21);
        TopError(await Search(p => { p["method"] = "alitrip.flight.service.nothing"; p["app_key"] = "nobody"; }), 22);
    }

    [Fact]
    public async Task App_key_missing_is_28_and_unknown_is_29()
    {
        TopError(await Search(p => p.Remove("app_key")), 28);
        TopError(await Search(p => p["app_key"] = "87654321"), 29);
    }

    [Fact]
    public async Task A_caller_outside_the_ip_whitelist_is_code_11_with_the_faq_text()
    {
        var tenant = (await Host.AdminGet("/tenants/demo"))!.AsObject();
        tenant["credentials"]!["top"]!["ipWhitelist"] = new JsonArray("10.9.9.9");
        Assert.Equal(200, (await Host.AdminSend(HttpMethod.Put, "/tenants/demo", tenant)).Status);
        var e = TopError(await Search(), 11, "isv.permission-ip-whitelist-limit");
        Assert.Equal("The appkey 12345678 is only allowed to call from its ip white list, but the source ip 127.0.0.1 is not included", S(e["sub_msg"]));
    }

    [Fact]
    public async Task Sign_missing_is_24_and_wrong_is_25_with_a_diagnostic()
    {
        TopError(await Search(afterSign: p => p.Remove("sign")), 24);
        var r = await Search(afterSign: p => p["sign"] = "0123456789ABCDEF0123456789ABCDEF");
        TopError(r, 25);
        Assert.NotNull(r.Diagnostic);
        Assert.True(r.Diagnostic!.Length <= 1024);
        Assert.Contains("he********", r.Diagnostic);
        Assert.DoesNotContain("helloworld", r.Diagnostic);
        Assert.Contains("app_key12345678", r.Diagnostic);
    }

    [Fact]
    public async Task A_tampered_value_after_signing_is_25()
    {
        TopError(await Search(afterSign: p => p["session"] = "test-session2"), 25);
    }

    [Fact]
    public async Task An_unsupported_sign_method_is_25()
    {
        var r = await Search(p => p["sign_method"] = "sha1");
        TopError(r, 25);
        Assert.Contains("sha1", r.Diagnostic);
    }

    [Fact]
    public async Task The_signature_is_checked_before_the_timestamp()
    {
        TopError(await Search(p => p["timestamp"] = "yesterday", p => p["sign"] = "00"), 25);
    }

    [Fact]
    public async Task Timestamp_missing_is_30_and_unparseable_or_stale_is_31()
    {
        TopError(await Search(p => p.Remove("timestamp")), 30);
        TopError(await Search(p => p["timestamp"] = "2030/06/03 09:00:00"), 31);
        var late = await Search(p => p["timestamp"] = TopClient.Timestamp(Frozen.AddMinutes(-11)));
        TopError(late, 31);
        Assert.Contains("behind", late.Diagnostic);
        Ok(await Search(p => p["timestamp"] = TopClient.Timestamp(Frozen.AddMinutes(9))), SearchMethod);
    }

    [Fact]
    public async Task A_utc_timestamp_is_31_and_the_diagnostic_says_it_looks_like_utc()
    {
        var utc = Frozen.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss");
        var r = await Search(p => p["timestamp"] = utc);
        TopError(r, 31);
        Assert.Contains("looks like UTC; TOP expects GMT+8", r.Diagnostic);
    }

    [Fact]
    public async Task The_timestamp_check_can_be_switched_off_per_tenant()
    {
        var tenant = (await Host.AdminGet("/tenants/demo"))!.AsObject();
        tenant["settings"]!["top"] = new JsonObject { ["timestampTolerance"] = "off" };
        Assert.Equal(200, (await Host.AdminSend(HttpMethod.Put, "/tenants/demo", tenant)).Status);
        Ok(await Search(p => p["timestamp"] = "2024-01-01 12:00:00"), SearchMethod);
    }

    [Fact]
    public async Task Version_missing_is_32_unparseable_33_and_other_than_2_0_is_34()
    {
        TopError(await Search(p => p.Remove("v")), 32);
        TopError(await Search(p => p["v"] = "two"), 33);
        TopError(await Search(p => p["v"] = "1.0"), 34);
    }

    [Fact]
    public async Task An_unknown_format_is_23_answered_in_json()
    {
        var r = await Search(p => p["format"] = "yaml");
        Assert.Equal(23, r.Json["error_response"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Session_missing_is_26_with_the_faq_text_and_unknown_is_27()
    {
        Top.Session = null;
        var e = TopError(await Search(), 26);
        Assert.Equal("传入http参数中必需包含session字段", S(e["sub_msg"]));
        Assert.Null(e["sub_code"]);
        Top.Session = "6100nobody";
        TopError(await Search(), 27, "invalid-sessionkey");
    }

    [Fact]
    public async Task Required_business_parameters_are_40_and_malformed_ones_41()
    {
        var missing = TopError(await Top.CallAsync(SearchMethod), 40, "isv.missing-parameter");
        Assert.Equal("Missing required arguments:search_flight_info_req", S(missing["msg"]));
        var malformed = TopError(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", "{not json"))), 41, "isv.invalid-parameter");
        Assert.Equal("Invalid arguments:search_flight_info_req", S(malformed["msg"]));
        TopError(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", "[1,2]"))), 41);
        TopError(await Top.CallAsync(PayMethod, P(("order_id", "12x"), ("total_price", "1"))), 41);
        TopError(await Top.CallAsync(PayMethod, P(("order_id", "12"), ("total_price", "much"))), 41);
    }

    [Fact]
    public async Task Call_limits_are_code_7_from_a_rate_limit_fault()
    {
        var (status, body) = await Host.AdminSend(HttpMethod.Post, "/tenants/demo/faults", new JsonObject
        {
            ["supplier"] = "fliggyflight", ["rule"] = new JsonObject { ["when"] = new JsonObject { ["operation"] = SearchMethod }, ["fault"] = "rate-limit" },
        });
        Assert.True(status == 201, body?.ToJsonString());
        var e = TopError(await Search(), 7, "accesscontrol.limited-by-app-access-count");
        Assert.Equal("App Call Limited", S(e["msg"]));
    }

    [Fact]
    public async Task A_timeout_fault_is_code_15_remote_connection_timeout()
    {
        await Host.AdminSend(HttpMethod.Post, "/tenants/demo/faults", new JsonObject
        {
            ["supplier"] = "fliggyflight",
            ["rule"] = new JsonObject { ["when"] = new JsonObject { ["operation"] = SearchMethod }, ["fault"] = new JsonObject { ["type"] = "timeout", ["after"] = "10ms" } },
        });
        var e = TopError(await Search(), 15, "isp.top-remote-connection-timeout");
        Assert.Equal("远程调用服务超时", S(e["sub_msg"]));
    }

    [Fact]
    public async Task Errors_in_xml_carry_the_same_fields()
    {
        Top.Format = "xml";
        Top.Session = null;
        var r = await Search();
        var root = XDocument.Parse(r.Body).Root!;
        Assert.Equal("error_response", root.Name.LocalName);
        Assert.Equal("26", root.Element("code")!.Value);
        Assert.Equal("Missing session", root.Element("msg")!.Value);
        Assert.Matches("^[0-9a-z]{13}$", root.Element("request_id")!.Value);
    }

    // ---- transports

    [Fact]
    public async Task A_form_body_without_charset_is_read_as_utf8()
    {
        Top.Style = TopClientStyle.JsForm;
        var r = await Top.CallAsync(DetailMethod, P(("out_order_no", "订单-中文")));
        Fails(r, DetailMethod, "isv.ORDER_NOT_FOUND");
    }

    [Fact]
    public async Task A_gbk_form_body_that_says_so_is_decoded_as_gbk()
    {
        var gbk = Encoding.GetEncoding("GBK");
        var p = new Dictionary<string, string>
        {
            ["method"] = DetailMethod, ["app_key"] = "12345678", ["timestamp"] = TopClient.Timestamp(Frozen), ["v"] = "2.0", ["format"] = "json",
            ["sign_method"] = "md5", ["session"] = "test-session", ["out_order_no"] = "订单",
        };
        p["sign"] = TopClient.Sign(p, "helloworld", "md5");
        var body = string.Join("&", p.Select(x => x.Key + "=" + System.Web.HttpUtility.UrlEncode(x.Value, gbk)));
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=GBK");
        var r = await Host.Http.PostAsync("/router/rest", content);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Equal("isv.ORDER_NOT_FOUND", JsonNode.Parse(text)![DetailMethod.Replace('.', '_') + "_response"]!["error_code_info"]!.GetValue<string>());
    }

    [Fact]
    public async Task Multipart_bodies_work()
    {
        Top.Style = TopClientStyle.NodeSdk;
        Ok(await Search(), SearchMethod);
    }

    [Fact]
    public async Task Unreadable_bodies_are_error_responses_never_http_errors()
    {
        var bad = new ByteArrayContent("--x\r\nnot a part"u8.ToArray());
        bad.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        var r = await Host.Http.PostAsync("/router/rest?format=json", bad);
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal(41, JsonNode.Parse(await r.Content.ReadAsStringAsync())!["error_response"]!["code"]!.GetValue<int>());

        var noise = new ByteArrayContent(Enumerable.Range(0, 3000).Select(i => (byte)(i * 7919 % 256)).ToArray());
        noise.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
        var n = await Host.Http.PostAsync("/router/rest", noise);
        Assert.Equal(200, (int)n.StatusCode);
        Assert.NotNull(JsonNode.Parse(await n.Content.ReadAsStringAsync())!["error_response"]);

        var charset = new StringContent("method=x", Encoding.UTF8);
        charset.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=klingon");
        var c = await Host.Http.PostAsync("/router/rest?format=json", charset);
        Assert.Equal(41, JsonNode.Parse(await c.Content.ReadAsStringAsync())!["error_response"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_politely()
    {
        var big = new ByteArrayContent(new byte[9 * 1024 * 1024]);
        big.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
        var r = await Host.Http.PostAsync("/router/rest?format=json", big);
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal(41, JsonNode.Parse(await r.Content.ReadAsStringAsync())!["error_response"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Calls_are_journaled_under_the_module_that_owns_the_method()
    {
        Ok(await Search(), SearchMethod);
        TopError(await Search(p => p["method"] = "nothing.at.all"), 22);
        var journal = (await Host.AdminGet("/journal?tenant=demo&supplier=fliggyflight&operation=" + SearchMethod))!.AsArray();
        Assert.NotEmpty(journal);
        Assert.Equal("ok", S(journal[0]!["signature"]));
        var counts = (await Host.AdminGet("/journal/counts"))!.ToJsonString();
        Assert.Contains("\"top\"", counts);
    }
}
