using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Tests.Top;

/// <summary>The signing vectors of spec §1.4 (secret helloworld) for md5, hmac and hmac-sha256, and the negative cases.</summary>
public class TopSignatureTests
{
    const string Secret = "helloworld";

    static Dictionary<string, string> F1(string signMethod) => new()
    {
        ["app_key"] = "12345678", ["format"] = "json", ["method"] = "alitrip.flight.service.queryorderdetail", ["order_id"] = "1234125412",
        ["partner_id"] = "top-sdk-java-20170428", ["session"] = "test-session", ["sign_method"] = signMethod, ["timestamp"] = "2024-01-01 12:00:00", ["v"] = "2.0",
    };

    static Dictionary<string, string> F4(string signMethod) => new()
    {
        ["app_key"] = "12345678", ["format"] = "json", ["method"] = "taobao.bus.item.notify",
        ["param_top_item_change_notify_r_q"] = "{\"from_city\":\"杭州\",\"to_city\":\"上海\",\"from_date\":\"2024-01-02\"}",
        ["session"] = "test-session", ["sign_method"] = signMethod, ["timestamp"] = "2024-01-01 12:00:00", ["v"] = "2.0",
    };

    static TopRequest Request(Dictionary<string, string> parameters, string sign)
    {
        var r = new TopRequest("POST", "127.0.0.1");
        foreach (var (k, v) in parameters) r.Params[k] = v;
        r.Params["sign"] = sign;
        return r;
    }

    [Theory]
    [InlineData("md5", "1600CAAA468FB93C82569E020E7DB61B")]
    [InlineData("hmac", "D3657CC6F7A7801B0A156F79DAFED4C7")]
    [InlineData("hmac-sha256", "F71C8F76604050CC3293C48E8B9985F870B37648726D82D691512FC2DD5A9175")]
    public void Vector_F1_signs_and_verifies(string method, string expected)
    {
        var canonical = TopSignature.Canonical(F1(method), TopSignature.EmptyValues.Skipped);
        Assert.Equal(expected, TopSignature.Sign(canonical, Secret, method));
        Assert.True(TopSignature.Verify(Request(F1(method), expected), Secret, method, expected));
        Assert.True(TopSignature.Verify(Request(F1(method), expected.ToLowerInvariant()), Secret, method, expected.ToLowerInvariant()));
        Assert.Equal(expected, TopClient.Sign(F1(method), Secret, method));
    }

    [Fact]
    public void Vector_F1_md5_digests_the_documented_string()
    {
        Assert.Equal("app_key12345678formatjsonmethodalitrip.flight.service.queryorderdetailorder_id1234125412partner_idtop-sdk-java-20170428" +
                     "sessiontest-sessionsign_methodmd5timestamp2024-01-01 12:00:00v2.0",
            TopSignature.Canonical(F1("md5"), TopSignature.EmptyValues.Skipped));
    }

    [Fact]
    public void Vector_F2_simplify_is_signed()
    {
        var p = F1("md5");
        p["simplify"] = "true";
        Assert.Equal("3BFD4ECBE076E155BCCAF41F05B8BCB2", TopSignature.Sign(TopSignature.Canonical(p, TopSignature.EmptyValues.Skipped), Secret, "md5"));
    }

    [Fact]
    public void Vector_F3_an_empty_value_is_accepted_skipped_or_as_its_key()
    {
        var p = F1("md5");
        p["target_app_key"] = "";
        Assert.Equal("1600CAAA468FB93C82569E020E7DB61B", TopSignature.Sign(TopSignature.Canonical(p, TopSignature.EmptyValues.Skipped), Secret, "md5"));
        Assert.Equal("A3D667DAB0D482751EC8FA96E619155F", TopSignature.Sign(TopSignature.Canonical(p, TopSignature.EmptyValues.KeyKept), Secret, "md5"));
        Assert.True(TopSignature.Verify(Request(p, "1600CAAA468FB93C82569E020E7DB61B"), Secret, "md5", "1600CAAA468FB93C82569E020E7DB61B"));
        Assert.True(TopSignature.Verify(Request(p, "A3D667DAB0D482751EC8FA96E619155F"), Secret, "md5", "A3D667DAB0D482751EC8FA96E619155F"));
    }

    [Theory]
    [InlineData("md5", "1DE0E00AFAC19BCD782E93700D17A7C9")]
    [InlineData("hmac", "54647D36C7CBD8A10DD2CEE481E8E589")]
    [InlineData("hmac-sha256", "B4B4955404ED71D446DF2156E86CCF4C3DD3C183AB737587D49BEDFA5F3D7315")]
    public void Vector_F4_non_ascii_values_are_signed_as_utf8(string method, string expected)
    {
        Assert.Equal(expected, TopSignature.Sign(TopSignature.Canonical(F4(method), TopSignature.EmptyValues.Skipped), Secret, method));
        Assert.Equal(expected, TopClient.Sign(F4(method), Secret, method));
    }

    [Fact]
    public void Keys_sort_by_ordinal_not_by_culture()
    {
        // Ordinal: "B" (0x42) < "a" (0x61) < "b"; a culture-aware comparer puts "a" first.
        var canonical = TopSignature.Canonical(new Dictionary<string, string> { ["b"] = "3", ["a"] = "2", ["B"] = "1" }, TopSignature.EmptyValues.Skipped);
        Assert.Equal("B1a2b3", canonical);
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("hmac")]
    [InlineData("hmac-sha256")]
    public void A_wrong_secret_a_changed_value_or_a_changed_method_fails(string method)
    {
        var good = TopSignature.Sign(TopSignature.Canonical(F1(method), TopSignature.EmptyValues.Skipped), Secret, method);
        Assert.False(TopSignature.Verify(Request(F1(method), good), "helloworle", method, good));
        var changed = F1(method);
        changed["order_id"] = "1234125413";
        Assert.False(TopSignature.Verify(Request(changed, good), Secret, method, good));
        var other = method == "md5" ? "hmac" : "md5";
        Assert.False(TopSignature.Verify(Request(F1(method), good), Secret, other, good));
    }

    [Theory]
    [InlineData("md5", true)]
    [InlineData("hmac", true)]
    [InlineData("hmac-sha256", true)]
    [InlineData("sha1", false)]
    [InlineData("MD5", false)]
    [InlineData(null, false)]
    public void Only_the_three_methods_are_supported(string? method, bool supported) => Assert.Equal(supported, TopSignature.IsMethod(method));

    [Fact]
    public void The_mismatch_diagnostic_masks_the_secret_and_stays_under_1_KB()
    {
        var p = F4("md5");
        p["huge"] = new string('中', 3000);
        var text = TopSignature.Explain(Request(p, "00"), "verysecretvalue", "md5", "00");
        Assert.True(text.Length <= TopDiagnostic.MaxLength, $"{text.Length} chars");
        Assert.DoesNotContain("verysecretvalue", text);
        Assert.Contains("ve*************", text);
        Assert.All(text, ch => Assert.InRange(ch, ' ', '~'));
        Assert.Contains("app_key12345678", text);
    }

    [Theory]
    [InlineData("taobao.tmc.messages.consume", "tmc_messages_consume_response")]
    [InlineData("taobao.bus.agent.bookticket.confirm", "bus_agent_bookticket_confirm_response")]
    [InlineData("taobao.bus.item.notify", "bus_item_notify_response")]
    [InlineData("alitrip.flight.service.search", "alitrip_flight_service_search_response")]
    [InlineData("alibaba.taobao.x", "alibaba_taobao_x_response")]
    public void The_response_root_drops_only_a_leading_taobao(string method, string root) => Assert.Equal(root, TopReplyWriter.ResponseName(method));
}
