using Sandbox.LoadTests.Protocol;
using Sandbox.Suppliers.Top.Tmc;
using Sandbox.Suppliers.Top.Tmc.Protocol;

namespace Sandbox.Tests.Tmc;

/// <summary>The byte-level check vectors of spec §3.3.6 and the CONNECT sign vector of §3.3.4, against the server's codec and the tests' own.</summary>
public class TmcVectorTests
{
    const string Token = "sbx-token-0001";

    const string ConnectTmcJs = "02000100070000006170705f6b65790108000000313233343536373801000a00000067726f75705f6e616d65010700000064656661756c7401000900000074696d657374616d70010d000000313730343038313630303030300100040000007369676e0120000000434432324634453239463734434138313337393634363044384338424246304201000300000073646b011200000054616f4d657373616765436f6e73756d657201000b000000696e7472616e65745f6970010800000031302e302e302e380000";
    const string ConnectJava = "02000400010000000100070000006170705f6b65790108000000313233343536373801000a00000067726f75705f6e616d65010700000064656661756c7401000b0000006d696e6f725f67726f7570010700000064656661756c7401000a00000066696c7465725f65787001010000002a01000900000074696d657374616d70010d000000313730343038313630303030300100040000007369676e0120000000434432324634453239463734434138313337393634363044384338424246304201000300000073646b0115000000746f702d73646b2d6a6176612d323031373034323801000b000000696e7472616e65745f6970010800000031302e302e302e380000";
    const string ConnectAckTmcJs = "020105000e0000007362782d746f6b656e2d303030310000";
    const string ConnectAckJava = "020104000100000005000e0000007362782d746f6b656e2d303030310000";
    const string Refusal = "020102009101000003000c000000696e76616c6964207369676e0000";
    const string PullRequest = "020205000e0000007362782d746f6b656e2d303030310100060000005f5f6b696e6402010000";
    const string Data = "020205000e0000007362782d746f6b656e2d303030310100060000005f5f6b696e640203010002000000696405a1bb0d0000000000010005000000746f706963011a000000616c69747269705f666c696768745f54726164654e6f74696679010007000000636f6e74656e7401630000007b226964223a22393030303031222c226f726465725f6e6f223a2231323334313235343132222c2274797065223a2231222c22616c697061795f74726164655f6e6f223a2232303234303130313232303031343030303030303030303030303031227d01000400000074696d650600ae2dc38c0100000100090000007075626c69736865720104000000343237320100060000007573657269640501f0373a000200000100040000006e69636b010e00000073616e64626f785f73656c6c65720100070000006f757474696d6506e8b12dc38c0100000000";
    const string Confirm = "020205000e0000007362782d746f6b656e2d303030310100060000005f5f6b696e640202010002000000696405a1bb0d00000000000000";
    const string Failed = "020305000e0000007362782d746f6b656e2d303030310100060000005f5f6b696e640214010002000000696405a1bb0d00000000000100030000006d7367010b0000007265747279206c617465720000";
    const string DataContent = "{\"id\":\"900001\",\"order_no\":\"1234125412\",\"type\":\"1\",\"alipay_trade_no\":\"2024010122001400000000000001\"}";

    static byte[] Bytes(string hex) => Convert.FromHexString(hex);
    static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    [Fact]
    public void Connect_sign_vector()
    {
        Assert.Equal("app_key12345678group_namedefaulttimestamp1704081600000", TmcSign.Canonical("12345678", "default", "1704081600000"));
        Assert.Equal("CD22F4E29F74CA813796460D8C8BBF0B", TmcSign.Sign("helloworld", "12345678", "default", "1704081600000"));
        Assert.True(TmcSign.Verify("helloworld", "12345678", "default", "1704081600000", "cd22f4e29f74ca813796460d8c8bbf0b"));
        Assert.False(TmcSign.Verify("helloworld", "12345678", "vip", "1704081600000", "CD22F4E29F74CA813796460D8C8BBF0B"));
        Assert.Equal("CD22F4E29F74CA813796460D8C8BBF0B", TmcTestClient.Sign("helloworld", "12345678", "default", "1704081600000"));
    }

    [Theory]
    [InlineData(ConnectTmcJs, 0, "TaoMessageConsumer")]
    [InlineData(ConnectJava, 1, "top-sdk-java-20170428")]
    public void Connect_from_both_clients_decodes_and_re_encodes_to_the_same_bytes(string hex, int flag, string sdk)
    {
        var f = TmcCodec.Decode(Bytes(hex));
        Assert.Equal(TmcMessageType.Connect, f.Type);
        Assert.Equal(flag, f.Flag);
        Assert.Null(f.Token);
        Assert.Equal("12345678", f.Text("app_key"));
        Assert.Equal("default", f.Text("group_name"));
        Assert.Equal("1704081600000", f.Text("timestamp"));
        Assert.Equal("CD22F4E29F74CA813796460D8C8BBF0B", f.Text("sign"));
        Assert.Equal(sdk, f.Text("sdk"));
        Assert.Equal("10.0.0.8", f.Text("intranet_ip"));
        Assert.Equal(hex, Hex(TmcCodec.Encode(f)));
        Assert.Equal(hex, Hex(TmcWire.Decode(Bytes(hex)).Encode()));
    }

    [Fact]
    public void Java_connect_carries_its_extra_headers()
    {
        var f = TmcCodec.Decode(Bytes(ConnectJava));
        Assert.Equal("default", f.Text("minor_group"));
        Assert.Equal("*", f.Text("filter_exp"));
    }

    [Fact]
    public void ConnectAck_vectors()
    {
        Assert.Equal(ConnectAckTmcJs, Hex(TmcCodec.Encode(TmcFrames.ConnectAck(2, Token, 0))));
        Assert.Equal(ConnectAckJava, Hex(TmcCodec.Encode(TmcFrames.ConnectAck(2, Token, 1))));
        Assert.Equal(Refusal, Hex(TmcCodec.Encode(TmcFrames.Refusal(2, 401, "invalid sign", 0))));
        var refusal = TmcWire.Decode(Bytes(Refusal));
        Assert.Equal((401, "invalid sign", (string?)null), (refusal.StatusCode, refusal.StatusPhrase, refusal.Token));
    }

    [Fact]
    public void Pull_confirm_and_failed_vectors_decode()
    {
        var pull = TmcCodec.Decode(Bytes(PullRequest));
        Assert.Equal((TmcMessageType.Send, Token, 1L), (pull.Type, pull.Token, pull.Integer(TmcKind.Header)));
        Assert.IsType<sbyte>(pull[TmcKind.Header]);

        var confirm = TmcCodec.Decode(Bytes(Confirm));
        Assert.Equal((TmcMessageType.Send, 2L, 900001L), (confirm.Type, confirm.Integer(TmcKind.Header), confirm.Integer("id")));
        Assert.IsType<long>(confirm["id"]);

        var failed = TmcCodec.Decode(Bytes(Failed));
        Assert.Equal((TmcMessageType.SendAck, 20L, 900001L, "retry later"), (failed.Type, failed.Integer(TmcKind.Header), failed.Integer("id"), failed.Text("msg")));

        Assert.Equal(PullRequest, Hex(new TmcWire { Type = TmcWire.Send, Token = Token }.Add("__kind", (sbyte)1).Encode()));
        Assert.Equal(Confirm, Hex(new TmcWire { Type = TmcWire.Send, Token = Token }.Add("__kind", (sbyte)2).Add("id", 900001L).Encode()));
        Assert.Equal(Failed, Hex(new TmcWire { Type = TmcWire.SendAck, Token = Token }.Add("__kind", (sbyte)20).Add("id", 900001L).Add("msg", "retry later").Encode()));
    }

    static TmcMessage VectorMessage() => new(900001, "demo", "default", "alitrip_flight_TradeNotify", 2200000000001, "sandbox_seller", "4272", DataContent, 1704081600000);

    [Fact]
    public void Data_vector_is_the_push_of_a_first_delivery_followed_by_retried()
    {
        // The vector has the spec's fields; the server also sends retried (Int32 0 on a first delivery, as tmc.js's
        // README example reads it) after them.
        var retried = new TmcWire().Add("retried", 0).Encode()[2..^2];
        Assert.Equal(Data[..^4] + Hex(retried) + "0000", Hex(TmcCodec.Encode(TmcFrames.Data(2, Token, VectorMessage(), 0, 1704081601000))));

        var d = TmcWire.Decode(Bytes(Data));
        Assert.Equal(900001L, d["id"]);
        Assert.Equal(2200000000001L, d["userid"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1704081600000), d["time"]);
        Assert.Equal((sbyte)3, d["__kind"]);
    }

    [Fact]
    public void Data_push_decodes_with_the_types_the_java_client_casts_to()
    {
        var f = TmcCodec.Decode(TmcCodec.Encode(TmcFrames.Data(2, Token, VectorMessage(), 3, 1704081601000)));
        Assert.IsType<long>(f["id"]);
        Assert.IsType<long>(f["userid"]);
        Assert.IsType<DateTimeOffset>(f["time"]);
        Assert.IsType<DateTimeOffset>(f["outtime"]);
        Assert.Equal(3, f["retried"]);
        Assert.Equal(DataContent, f.Text("content"));
        Assert.Equal(0, f.StatusCode);
        Assert.Equal(0, f.Flag);
    }

    [Theory]
    [InlineData((sbyte)5)]
    [InlineData((short)900)]
    [InlineData(900001)]
    [InlineData(900001L)]
    [InlineData("900001")]
    public void An_id_is_read_in_any_integer_format(object id)
    {
        var f = TmcCodec.Decode(new TmcWire { Type = TmcWire.Send, Token = Token }.Add("__kind", (sbyte)2).Add("id", id).Encode());
        Assert.Equal(Convert.ToInt64(id), f.Integer("id"));
    }

    [Theory]
    [InlineData("0202", "truncated")]
    [InlineData("020209000000", "unknown headerType 9")]
    [InlineData("0202010001000000610800", "unknown value format 8")]
    [InlineData("0102", "protocol version 1")]
    [InlineData("0207", "unknown messageType 7")]
    [InlineData("02020000ff", "bytes after EndOfHeaders")]
    [InlineData("02020100ffffffff", "negative string length")]
    public void Malformed_messages_are_refused(string hex, string reason)
    {
        var e = Assert.Throws<TmcFormatException>(() => TmcCodec.Decode(Bytes(hex)));
        Assert.Contains(reason, e.Message);
    }
}
