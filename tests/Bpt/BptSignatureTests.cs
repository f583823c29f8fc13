using System.Text;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Tests.Bpt;

/// <summary>The ver=2 check vectors of spec §9 (B1, B2, A0) and the rule's edges.</summary>
public class BptSignatureTests
{
    static BptSignatureTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    const string Key = "sbxkey0123456789abcdefghijklmnop";

    static List<KeyValuePair<string, string>> P(params (string, string)[] pairs) => pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList();

    static readonly List<KeyValuePair<string, string>> B1 = P(
        ("cmd", "newquerypricebypnr"), ("ver", "2"), ("pnr", "MT2GB2"), ("bigpnr", "1"), ("air", "3U"), ("fmt", "xml"), ("xmlhashead", "false"),
        ("qrytype", "one"), ("pnrsrcid", "0140704141742444045"), ("b2buser", "SCH640"), ("b2bpwd", "sandboxpwd"), ("ticketprice", ""), ("sign_type", "MD5"));

    static readonly List<KeyValuePair<string, string>> B2 = P(
        ("cmd", "input"), ("ver", "2"), ("pnr", "NZCLCM"), ("pnrc", "HV7SEK"), ("bigpnr", "1"), ("air", "HU"), ("fmt", "xml"), ("xmlhashead", "false"),
        ("autopayflag", "1"), ("pnrsrcid", "0140704101430012564"), ("b2buser", "urc221"), ("b2bpwd", "sandboxpwd"), ("payaccount", "buyer@example.com"),
        ("callbackurl", "http://127.0.0.1:82/AutoIssueNotify"), ("callbackurlforpay", "http://127.0.0.1:82/AutoIssueNotify"), ("getticketovertime", "5"),
        ("checkprice", "0-1320"), ("srcpolicynum", "2.8"), ("srctotaltax", "340"), ("hu_linkman", "王永磊"), ("hu_linktel", "13000000000"), ("sign_type", "MD5"));

    [Fact]
    public void B1_canonical_string_and_signature()
    {
        Assert.Equal("air=3U&b2bpwd=sandboxpwd&b2buser=SCH640&bigpnr=1&cmd=newquerypricebypnr&fmt=xml&pnr=MT2GB2&pnrsrcid=0140704141742444045&qrytype=one&ver=2&xmlhashead=false",
            BptSignature.Canonical(B1));
        Assert.Equal("5c5562a9b559836c26bf49bb56522797", BptSignature.SignGbk(B1, Key));
    }

    [Fact]
    public void B2_non_ASCII_signs_GBK_bytes_and_accepts_the_UTF8_signature()
    {
        Assert.Equal("air=HU&autopayflag=1&b2bpwd=sandboxpwd&b2buser=urc221&bigpnr=1&callbackurl=http://127.0.0.1:82/AutoIssueNotify&callbackurlforpay=http://127.0.0.1:82/AutoIssueNotify&checkprice=0-1320&cmd=input&fmt=xml&getticketovertime=5&hu_linkman=王永磊&hu_linktel=13000000000&payaccount=buyer@example.com&pnr=NZCLCM&pnrc=HV7SEK&pnrsrcid=0140704101430012564&srcpolicynum=2.8&srctotaltax=340&ver=2&xmlhashead=false",
            BptSignature.Canonical(B2));
        Assert.Equal("94a00226a95c18cac635bb1dd2fef170", BptSignature.SignGbk(B2, Key));
        Assert.Equal("086c3a8c368575dcae1cd65c56326fa2", BptSignature.Sign(BptSignature.Canonical(B2), Key, Encoding.UTF8));
        Assert.True(BptSignature.Verify(B2, Key, "94a00226a95c18cac635bb1dd2fef170"));
        Assert.True(BptSignature.Verify(B2, Key, "086C3A8C368575DCAE1CD65C56326FA2"));
    }

    [Fact]
    public void A0_the_classic_alipay_rule()
    {
        var a0 = P(("service", "create_direct_pay_by_user"), ("partner", "2088000000000000"), ("_input_charset", "utf-8"), ("out_trade_no", "T1"),
            ("total_fee", "0.01"), ("subject", "test"), ("sign_type", "MD5"));
        Assert.Equal("_input_charset=utf-8&out_trade_no=T1&partner=2088000000000000&service=create_direct_pay_by_user&subject=test&total_fee=0.01",
            BptSignature.Canonical(a0));
        Assert.Equal("0b61e93999c213604978a9452a86256f", BptSignature.SignGbk(a0, "secretkey"));
    }

    [Fact]
    public void Sign_and_sign_type_are_excluded_whatever_their_case_and_a_wrong_signature_fails()
    {
        var withSign = B1.Append(new("SIGN", "5c5562a9b559836c26bf49bb56522797")).Append(new("Sign_Type", "MD5")).ToList();
        Assert.Equal(BptSignature.Canonical(B1), BptSignature.Canonical(withSign));
        Assert.True(BptSignature.Verify(withSign, Key, "5C5562A9B559836C26BF49BB56522797"));
        Assert.False(BptSignature.Verify(B1, Key, "5c5562a9b559836c26bf49bb56522798"));
        Assert.False(BptSignature.Verify(B1, Key + "x", "5c5562a9b559836c26bf49bb56522797"));
        Assert.False(BptSignature.Verify(B1, Key, null));
        Assert.False(BptSignature.Verify(B1, Key, ""));
    }

    [Fact]
    public void The_diagnostic_shows_the_canonical_string_and_masks_the_key()
    {
        var text = BptSignature.Explain(B1, Key, "bad");
        Assert.Contains("air=3U&b2bpwd=sandboxpwd", text);
        Assert.Contains("5c5562a9b559836c26bf49bb56522797", text);
        Assert.DoesNotContain(Key, text);
        Assert.Contains("sbxk****", text);
    }
}
