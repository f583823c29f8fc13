using System.Text;
using System.Web;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Tests.Bpt;

/// <summary>Query decoding (spec §2), reply formatting (§4) and the callback framing check vector (§6.1).</summary>
public class BptEncodingTests
{
    static BptEncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    static readonly Encoding Gbk = BptClient.Gbk;

    [Fact]
    public void Query_values_decode_as_UTF8_when_valid_and_as_GBK_otherwise()
    {
        var utf8 = BptQuery.Parse("?cmd=input&hu_linkman=%E7%8E%8B%E6%B0%B8%E7%A3%8A");
        var gbk = BptQuery.Parse("cmd=input&hu_linkman=%CD%F5%D3%C0%C0%DA");
        Assert.Equal("王永磊", utf8["hu_linkman"]);
        Assert.Equal("王永磊", gbk["hu_linkman"]);
    }

    [Fact]
    public void Names_are_case_insensitive_the_first_occurrence_wins_and_plus_is_a_space()
    {
        var q = BptQuery.Parse("b2bPwd=a+b&B2BPWD=second&cmd=pay&empty=&flag");
        Assert.Equal("a b", q["b2bpwd"]);
        Assert.Equal(["b2bPwd", "B2BPWD", "cmd", "empty", "flag"], q.AsReceived.Select(p => p.Key));
        Assert.False(q.Has("empty"));
        Assert.Equal("", q["missing"]);
    }

    [Fact]
    public void Raw_callback_urls_are_taken_up_to_the_next_ampersand_without_decoding()
    {
        var q = BptQuery.Parse("cmd=input&callbackurl=http://host:82/Notify.aspx?a=1+2%41&pnr=NZCLCM&callbackurlforpay=http%3A%2F%2Fhost%2Fpay");
        Assert.Equal("http://host:82/Notify.aspx?a=1+2%41", q["callbackurl"]);
        Assert.Equal("NZCLCM", q["pnr"]);
        Assert.Equal("http://host/pay", q["callbackurlforpay"]);
    }

    [Fact]
    public void Malformed_percent_sequences_are_kept_as_text()
    {
        var q = BptQuery.Parse("pnr=AB%2&x=%ZZ&y=%");
        Assert.Equal("AB%2", q["pnr"]);
        Assert.Equal("%ZZ", q["x"]);
        Assert.Equal("%", q["y"]);
    }

    [Theory]
    [InlineData(1180, "1180.0", "1180.00")]
    [InlineData(1289.2, "1289.2", "1289.20")]
    [InlineData(295, "295.0", "295.00")]
    [InlineData(3225, "3225.0", "3225.00")]
    [InlineData(1289.255, "1289.26", "1289.26")]
    [InlineData(6, "6.0", "6.00")]
    public void Amounts_are_written_like_the_samples(double value, string money, string two)
    {
        Assert.Equal(money, Amount.Money((decimal)value));
        Assert.Equal(two, Amount.Two((decimal)value));
    }

    [Fact]
    public void Json_keeps_the_xml_tree_with_repeated_items_as_arrays_and_string_leaves()
    {
        var r = new BptReply("pnrinfo").Add("code", "1").Add("pnr", "A<B");
        r.List("policies", "policy").Item().Add("pgid", "1");
        r.List("tickets", "ticket");
        Assert.Equal("""{"pnrinfo":{"code":"1","pnr":"A<B","policies":{"policy":[{"pgid":"1"}]},"tickets":{"ticket":[]}}}""", r.ToJson());
        Assert.Equal("<pnrinfo><code>1</code><pnr>A&lt;B</pnr><policies><policy><pgid>1</pgid></policy></policies><tickets></tickets></pnrinfo>", r.ToXml(false));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"GB2312\"?><pnrinfo>", r.ToXml(true));
    }

    const string NoticeXml = "<orderinfo><code>1</code><pnr>MXC5J4</pnr><pnrsrcid>0140313152408060555</pnrsrcid><orderno>CZ20140313001</orderno><tradeno>2014031321001004000000000001</tradeno><orderstatus>1</orderstatus><paystatus>1</paystatus><payprice>930.0</payprice><message>出票成功</message><tickets><ticket><passenger>%D5%C5%C8%FD</passenger><tktno>784-2100000001</tktno></ticket></tickets></orderinfo>";

    [Fact]
    public void Callback_check_vector_of_spec_6_1()
    {
        var v = BptCallbackEncoding.PercentEncode(NoticeXml);
        Assert.StartsWith("%3Corderinfo%3E%3Ccode%3E1%3C%2Fcode%3E%3Cpnr%3EMXC5J4", v);
        Assert.Contains("%B3%F6%C6%B1%B3%C9%B9%A6", v);
        Assert.Contains("%25D5%25C5%25C8%25FD", v);
        var body = "ticketnoinfo=" + BptCallbackEncoding.FieldValue(NoticeXml, doubleEncoded: true);
        Assert.StartsWith("ticketnoinfo=%253Corderinfo%253E%253Ccode%253E1%253C%252Fcode%253E", body);
        Assert.All(body, c => Assert.True(c < 128));
    }

    [Fact]
    public void Decoding_the_body_as_the_public_receiver_does_gives_the_xml_back_and_the_passenger_name()
    {
        var body = "ticketnoinfo=" + BptCallbackEncoding.FieldValue(NoticeXml, doubleEncoded: true);
        var field = HttpUtility.ParseQueryString(body, Encoding.ASCII)["ticketnoinfo"]!;
        var xml = HttpUtility.UrlDecode(field, Gbk);
        Assert.Equal(NoticeXml, xml);
        var passenger = System.Xml.Linq.XElement.Parse(xml).Descendants("passenger").Single().Value;
        Assert.Equal("张三", HttpUtility.UrlDecode(passenger, Gbk));
    }

    [Fact]
    public void The_default_framing_is_the_ascii_xml_percent_encoded_once()
    {
        var single = BptCallbackEncoding.FieldValue("<a>出 票+5%</a>", doubleEncoded: false);
        Assert.Equal("%3Ca%3E%26%2320986%3B+%26%2331080%3B%26%2343%3B5%26%2337%3B%3C%2Fa%3E", single);
        Assert.Equal("出 票+5%", System.Xml.Linq.XElement.Parse(HttpUtility.UrlDecode(single, Gbk)).Value);
    }

    /// <summary>BPB's AutoIssueNotifyHandler: its own HTTP server splits the raw body on '&amp;' and '=' and keeps the value undecoded.</summary>
    static string RawSplitReceiver(string body, string field) =>
        body.Split('&').Select(p => p.Split('=')).Single(p => p[0] == field)[1];

    /// <summary>Both public receivers end in SyncTicketCall: one GB2312 URL-decode, then the XML; passengers decoded with the system code page (GBK).</summary>
    static (string Message, string Passenger, string Tktno) SyncTicketCall(string value)
    {
        var xml = System.Xml.Linq.XElement.Parse(HttpUtility.UrlDecode(value, Gbk));
        var ticket = xml.Descendants("ticket").Single();
        return (xml.Element("message")!.Value, HttpUtility.UrlDecode(ticket.Element("passenger")!.Value, Gbk), ticket.Element("tktno")!.Value);
    }

    [Fact]
    public void The_default_framing_is_parsed_by_both_public_receivers_in_any_request_encoding()
    {
        var body = "ticketnoinfo=" + BptCallbackEncoding.FieldValue(NoticeXml, doubleEncoded: false);
        var expected = ("出票成功", "张三", "784-2100000001");
        Assert.Equal(expected, SyncTicketCall(RawSplitReceiver(body, "ticketnoinfo")));
        // ASP.NET pages (BPB's SyncTicketCall comment, PB3's notice page): Request.Form in the site's request encoding first.
        foreach (var requestEncoding in new[] { Encoding.UTF8, Gbk, Encoding.Latin1 })
            Assert.Equal(expected, SyncTicketCall(HttpUtility.ParseQueryString(body, requestEncoding)["ticketnoinfo"]!));
    }

    [Fact]
    public void The_double_framing_is_not_parsed_by_the_raw_split_receiver()
    {
        var body = "ticketnoinfo=" + BptCallbackEncoding.FieldValue(NoticeXml, doubleEncoded: true);
        Assert.Equal(("出票成功", "张三", "784-2100000001"), SyncTicketCall(HttpUtility.ParseQueryString(body, Encoding.UTF8)["ticketnoinfo"]!));
        Assert.ThrowsAny<System.Xml.XmlException>(() => SyncTicketCall(RawSplitReceiver(body, "ticketnoinfo")));
    }

    [Theory]
    [InlineData("784-2100000001", "7842100000001")]
    [InlineData("7842100000001", "7842100000001")]
    [InlineData("784 2100000001", null)]
    [InlineData("78-42100000001", null)]
    [InlineData("784210000000", null)]
    public void Ticket_numbers_in_both_documented_formats(string text, string? normalised) =>
        Assert.Equal(normalised, TicketNumbers.Normalise(text));

    [Fact]
    public void Issued_ticket_numbers_carry_the_airline_prefix_and_are_stable()
    {
        Assert.Matches(@"^784-21\d{8}$", TicketNumbers.Issue("CZ", "CZ-MXC5J4", 0));
        Assert.Equal(TicketNumbers.Issue("CZ", "CZ-MXC5J4", 1), TicketNumbers.Issue("CZ", "CZ-MXC5J4", 1));
        Assert.NotEqual(TicketNumbers.Issue("CZ", "CZ-MXC5J4", 0), TicketNumbers.Issue("CZ", "CZ-MXC5J4", 1));
        Assert.StartsWith("999-", TicketNumbers.Issue("XX", "XX-ABCDEF", 0));
        Assert.StartsWith("018-", TicketNumbers.Issue("HO", "HO-ABCDEF", 0));
    }

    [Fact]
    public void Small_to_big_conversion_is_deterministic_and_keeps_trigger_prefixes()
    {
        var big = Sandbox.Suppliers.Bpt.Catalog.BigPnr.Of("HV7SEK");
        Assert.Equal(big, Sandbox.Suppliers.Bpt.Catalog.BigPnr.Of("HV7SEK"));
        Assert.NotEqual("HV7SEK", big);
        Assert.Matches("^[A-Z][A-Z0-9]{5}$", big);
        Assert.StartsWith("ZZTF", Sandbox.Suppliers.Bpt.Catalog.BigPnr.Of("ZZTF12"));
    }
}
