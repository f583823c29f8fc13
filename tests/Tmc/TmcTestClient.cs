using Sandbox.LoadTests.Protocol;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Tests.Tmc;

/// <summary>
/// A TMC consumer written in the tests from spec §3.3: it speaks like tmc.js (CONNECT without a flag, Int64 ids
/// echoed in Confirm, Failed as SENDACK kind 20) or like the Java TmcClient (CONNECT with a flag), over
/// <see cref="RawWebSocket"/> and <see cref="TmcWire"/>.
/// </summary>
public sealed class TmcTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public RawWebSocket Socket { get; }
    public string? Token { get; private set; }
    /// <summary>Pings the server sent, each answered with <see cref="PongsPerPing"/> pongs (tmc.js answers twice: ws and its own onping).</summary>
    public int PingsSeen { get; private set; }
    public int PongsPerPing { get; set; } = 2;

    TmcTestClient(RawWebSocket socket) => Socket = socket;

    public static async Task<TmcTestClient> OpenAsync(Uri baseAddress, string path = "/tmc")
    {
        var ws = await RawWebSocket.ConnectAsync(baseAddress, path);
        Assert.Equal(101, ws.Status);
        return new TmcTestClient(ws);
    }

    public static string Sign(string secret, string appKey, string group, string timestamp) =>
        Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes($"{secret}app_key{appKey}group_name{group}timestamp{timestamp}{secret}")));

    /// <summary>Sends CONNECT and returns the CONNECTACK; the token is kept when the ack has no status.</summary>
    public async Task<TmcWire> ConnectAsync(string appKey, string secret, string group = "default", long? timestampMs = null, string? sign = null, int flag = 0)
    {
        var ts = (timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToString();
        var connect = new TmcWire { Type = TmcWire.Connect, Flag = flag }
            .Add("app_key", appKey).Add("group_name", group).Add("timestamp", ts)
            .Add("sign", sign ?? Sign(secret, appKey, group, ts))
            .Add("sdk", flag > 0 ? "top-sdk-java-20170428" : "TaoMessageConsumer")
            .Add("intranet_ip", null);
        await Socket.SendBinaryAsync(connect.Encode());
        var ack = await NextAsync() ?? throw new InvalidOperationException("no CONNECTACK");
        Assert.Equal(TmcWire.ConnectAck, ack.Type);
        if (ack.StatusCode == 0) Token = ack.Token;
        return ack;
    }

    public Task PullAsync() =>
        Socket.SendBinaryAsync(new TmcWire { Type = TmcWire.Send, Token = Token }.Add("__kind", (sbyte)1).Encode());

    /// <summary>Confirm with the id as given: a long (tmc.js echoes the bigint), or any other integer width.</summary>
    public Task ConfirmAsync(object id) =>
        Socket.SendBinaryAsync(new TmcWire { Type = TmcWire.Send, Token = Token }.Add("__kind", (sbyte)2).Add("id", id).Encode());

    public Task FailedAsync(object id, string reason = "retry later") =>
        Socket.SendBinaryAsync(new TmcWire { Type = TmcWire.SendAck, Token = Token }.Add("__kind", (sbyte)20).Add("id", id).Add("msg", reason).Encode());

    /// <summary>The next TMC message; pings are answered on the way, null when the server closed or nothing came in time.</summary>
    public async Task<TmcWire?> NextAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Wait);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            var f = await Socket.ReceiveFrameAsync(left);
            if (f is not { } frame) return null;
            Assert.True(frame.Fin, "the server fragmented a message (spec §3.3.1: unfragmented)");
            switch (frame.Opcode)
            {
                case RawWebSocket.Binary:
                    return TmcWire.Decode(frame.Payload);
                case RawWebSocket.Ping:
                    PingsSeen++;
                    for (var i = 0; i < PongsPerPing; i++) await Socket.SendAsync(RawWebSocket.Pong, frame.Payload);
                    break;
                case RawWebSocket.Pong:
                    LastPong = frame.Payload;
                    break;
                case RawWebSocket.Close:
                    CloseCode = frame.Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(frame.Payload) : (ushort)1005;
                    CloseReason = Encoding.UTF8.GetString(frame.Payload.AsSpan(Math.Min(2, frame.Payload.Length)));
                    return null;
                default:
                    throw new InvalidOperationException($"unexpected opcode {frame.Opcode} (text frames are ignored by tmc.js; the server must not send them)");
            }
        }
    }

    public byte[]? LastPong { get; private set; }
    public ushort? CloseCode { get; private set; }
    public string? CloseReason { get; private set; }

    /// <summary>The next <paramref name="count"/> Data pushes.</summary>
    public async Task<List<TmcWire>> DataAsync(int count, TimeSpan? timeout = null)
    {
        var list = new List<TmcWire>();
        while (list.Count < count)
        {
            var m = await NextAsync(timeout) ?? throw new TimeoutException($"got {list.Count} of {count} pushes (close {CloseCode} {CloseReason})");
            Assert.Equal(TmcWire.Send, m.Type);
            Assert.Equal((sbyte)3, m["__kind"]);
            list.Add(m);
        }
        return list;
    }

    /// <summary>Waits for the server's close frame and returns its code.</summary>
    public async Task<ushort?> ClosedAsync()
    {
        while (await NextAsync() is not null)
        {
        }
        return CloseCode;
    }

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
