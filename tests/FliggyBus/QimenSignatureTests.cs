using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Tests.FliggyBus.ReferenceOperator;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// Qimen signing (spec §2.2) with the check vectors Q1–Q3, and the sandbox's requests judged by a port of the
/// merchant's own verifier, <c>SpiUtils.checkSign</c>.
/// </summary>
public sealed class QimenSignatureTests
{
    const string Secret = "helloworld";
    static readonly DateTimeOffset VectorTime = new(2024, 1, 1, 12, 0, 0, TimeSpan.FromHours(8));
    static readonly QimenEndpoint Endpoint = new("http://merchant.example/qimen", "12345678", Secret, "sbx_bus_merchant", "12345678");

    static Dictionary<string, string> VectorParameters() => new()
    {
        ["method"] = QimenMethods.ToCityQuery,
        ["app_key"] = "12345678",
        ["target_app_key"] = "12345678",
        ["customerId"] = "sbx_bus_merchant",
        ["format"] = "json",
        ["v"] = "2.0",
        ["sign_method"] = "md5",
        ["timestamp"] = "2024-01-01 12:00:00",
    };

    [Fact]
    public void Q1_json_body_string_and_sign()
    {
        var s = QimenSignature.StringToSign(VectorParameters(), """{"fromCity":"杭州"}""", Secret);
        Assert.Equal("""helloworldapp_key12345678customerIdsbx_bus_merchantformatjsonmethodqimen.alitrip.custombus.product.tocity.querysign_methodmd5target_app_key12345678timestamp2024-01-01 12:00:00v2.0{"fromCity":"杭州"}helloworld""", s);
        Assert.Equal("0979C0CCA6118847509DE1E46D2F46DD", QimenSignature.Sign(s));
    }

    [Fact]
    public void Q1_request_construction_gives_the_wire_query_of_the_vector()
    {
        var request = QimenRequest.Build(Endpoint, QimenMethods.ToCityQuery, new JsonObject { ["fromCity"] = "杭州" }, VectorTime);
        Assert.Equal("http://merchant.example/qimen?method=qimen.alitrip.custombus.product.tocity.query&app_key=12345678&target_app_key=12345678&customerId=sbx_bus_merchant&format=json&v=2.0&sign_method=md5&timestamp=2024-01-01%2012%3A00%3A00&sign=0979C0CCA6118847509DE1E46D2F46DD", request.Url);
        Assert.Equal("""{"fromCity":"杭州"}""", request.Body);
        Assert.Equal("0979C0CCA6118847509DE1E46D2F46DD", request.Sign);
        Assert.Contains(new KeyValuePair<string, string>("Content-Type", "application/json;charset=utf-8"), request.Headers);
        Assert.StartsWith("{secret}app_key12345678", request.StringToSign);
        Assert.DoesNotContain(Secret, request.StringToSign);
    }

    [Fact]
    public void Q2_signed_header_joins_the_parameters()
    {
        var p = VectorParameters();
        p["x-sbx-trace"] = "T123";
        var s = QimenSignature.StringToSign(p, """{"fromCity":"杭州"}""", Secret);
        Assert.EndsWith("""timestamp2024-01-01 12:00:00v2.0x-sbx-traceT123{"fromCity":"杭州"}helloworld""", s);
        Assert.Equal("B06AE25BEE4369D57F241892EF9D8CB0", QimenSignature.Sign(s));

        var spi = SpiRequestFor(QimenRequest.Build(Endpoint, QimenMethods.ToCityQuery, new JsonObject { ["fromCity"] = "杭州" }, VectorTime)) with
        {
            Header = name => name switch
            {
                "top-sign-list" => "x-sbx-trace",
                "x-sbx-trace" => "T123",
                _ => null,
            },
        };
        var result = SpiUtils.CheckSign(spi, Secret);
        Assert.Equal("B06AE25BEE4369D57F241892EF9D8CB0", result.LocalSign);
    }

    [Fact]
    public void Q3_form_variant_signs_form_fields_and_keeps_empty_values()
    {
        var p = VectorParameters();
        p["fromCity"] = "杭州";
        p["remark"] = "";
        var s = QimenSignature.StringToSign(p, null, Secret);
        Assert.Equal("helloworldapp_key12345678customerIdsbx_bus_merchantformatjsonfromCity杭州methodqimen.alitrip.custombus.product.tocity.queryremarksign_methodmd5target_app_key12345678timestamp2024-01-01 12:00:00v2.0helloworld", s);
        Assert.Equal("FDCF334F1A8174582686CC6762EB6C62", QimenSignature.Sign(s));

        var query = "method=qimen.alitrip.custombus.product.tocity.query&app_key=12345678&target_app_key=12345678&customerId=sbx_bus_merchant&format=json&v=2.0&sign_method=md5&timestamp=2024-01-01%2012%3A00%3A00&sign=FDCF334F1A8174582686CC6762EB6C62";
        var form = new SpiRequest("application/x-www-form-urlencoded", query, _ => null, null,
            new Dictionary<string, string> { ["fromCity"] = "杭州", ["remark"] = "", ["sign"] = "FDCF334F1A8174582686CC6762EB6C62" });
        Assert.True(SpiUtils.CheckSign(form, Secret).Success);
    }

    [Fact]
    public void SpiUtils_accepts_the_built_request_and_refuses_a_wrong_secret_or_a_changed_body()
    {
        var request = QimenRequest.Build(Endpoint, QimenMethods.OrderCreate, new JsonObject { ["alitripOrderId"] = "23334040404", ["remark"] = "a=b&c d+e" }, DateTimeOffset.UtcNow);
        Assert.True(SpiUtils.CheckSign(SpiRequestFor(request), Secret).Success);
        Assert.False(SpiUtils.CheckSign(SpiRequestFor(request), Secret + "x").Success);
        Assert.False(SpiUtils.CheckSign(SpiRequestFor(request with { Body = request.Body.Replace("23334040404", "23334040405") }), Secret).Success);
    }

    [Fact]
    public void Values_with_equals_ampersand_plus_and_chinese_survive_getQueryMap()
    {
        var endpoint = Endpoint with { AppKey = "key=with&odd+chars 空格", CustomerId = "客户=1" };
        var request = QimenRequest.Build(endpoint, QimenMethods.FromCityQuery, new JsonObject(), DateTimeOffset.UtcNow);
        var query = new Uri(request.Url).Query[1..];
        Assert.Contains("app_key=key%3Dwith%26odd%2Bchars%20%E7%A9%BA%E6%A0%BC", query);
        var map = SpiUtils.GetQueryMap(SpiRequestFor(request), System.Text.Encoding.UTF8);
        Assert.Equal("key=with&odd+chars 空格", map["app_key"]);
        Assert.Equal("客户=1", map["customerId"]);
        Assert.True(SpiUtils.CheckSign(SpiRequestFor(request), Secret).Success);
    }

    [Fact]
    public void Parameters_already_in_the_merchant_url_are_signed_too()
    {
        var endpoint = Endpoint with { Url = "http://merchant.example/router?tenant=bus%20one&route=qimen" };
        var request = QimenRequest.Build(endpoint, QimenMethods.FromCityQuery, new JsonObject(), DateTimeOffset.UtcNow);
        Assert.StartsWith("http://merchant.example/router?tenant=bus%20one&route=qimen&method=", request.Url);
        Assert.Contains("routeqimen", request.StringToSign);
        Assert.Contains("tenantbus one", request.StringToSign);
        Assert.True(SpiUtils.CheckSign(SpiRequestFor(request), Secret).Success);
    }

    [Fact]
    public void Trace_header_is_listed_in_top_sign_list_and_signed()
    {
        var request = QimenRequest.Build(Endpoint, QimenMethods.FromCityQuery, new JsonObject(), DateTimeOffset.UtcNow, "abc123");
        Assert.Contains(new KeyValuePair<string, string>("top-sign-list", "x-qimen-trace"), request.Headers);
        Assert.Contains("x-qimen-traceabc123", request.StringToSign);
        var spi = SpiRequestFor(request);
        Assert.True(SpiUtils.CheckSign(spi, Secret).Success);
        var otherTrace = spi with { Header = name => name == "x-qimen-trace" ? "abc124" : spi.Header(name) };
        Assert.False(SpiUtils.CheckSign(otherTrace, Secret).Success);
    }

    [Fact]
    public void No_target_app_key_without_a_TOP_app()
    {
        var request = QimenRequest.Build(Endpoint with { TargetAppKey = null }, QimenMethods.FromCityQuery, new JsonObject(), DateTimeOffset.UtcNow);
        Assert.DoesNotContain("target_app_key", request.Url);
        Assert.True(SpiUtils.CheckSign(SpiRequestFor(request), Secret).Success);
    }

    [Fact]
    public void Timestamp_is_GMT8_in_the_format_checkTimestamp_parses()
    {
        Assert.Equal("2024-01-01 12:00:00", QimenRequest.Timestamp(new DateTimeOffset(2024, 1, 1, 4, 0, 0, TimeSpan.Zero)));
        Assert.True(SpiUtils.CheckTimestamp(QimenRequest.Timestamp(DateTimeOffset.UtcNow), 10, DateTimeOffset.UtcNow));
        Assert.False(SpiUtils.CheckTimestamp(QimenRequest.Timestamp(DateTimeOffset.UtcNow.AddMinutes(-11)), 10, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData("a=1&b=&c&=x&d=1=2", "a:1|b:|c:|:x")]
    [InlineData("k=%E6%9D%AD+%E5%B7%9E", "k:杭 州")]
    [InlineData("a=1&&b=2", "a:1|:|b:2")]
    public void QimenQuery_reads_like_getQueryMap(string raw, string expected)
    {
        Assert.Equal(expected, string.Join("|", QimenQuery.Parse(raw).Select(kv => $"{kv.Key}:{kv.Value}")));
        var java = SpiUtils.GetQueryMap(new SpiRequest(null, raw, _ => null, null), System.Text.Encoding.UTF8);
        Assert.Equal(expected.Split('|').Order(), java.Select(kv => $"{kv.Key}:{kv.Value}").Order());
    }

    static SpiRequest SpiRequestFor(QimenRequest request)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return new SpiRequest(headers["Content-Type"], new Uri(request.Url).Query.TrimStart('?'), name => headers.GetValueOrDefault(name), request.Body);
    }
}
