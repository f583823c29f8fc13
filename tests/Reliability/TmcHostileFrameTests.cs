using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Pipeline;
using Sandbox.LoadTests.Protocol;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Tmc;
using Xunit.Abstractions;

namespace Sandbox.Tests.Reliability;

/// <summary>
/// Seeded hostile connections to TMC's binary WebSocket (<c>/tmc</c> and <c>/</c>, spec §3.3): truncated messages,
/// wrong version bytes, unknown message and header types, broken lengths and value formats, huge messages, garbage
/// after CONNECT, badly signed CONNECTs, messages before CONNECT, text frames, invalid UTF-8 inside counted strings,
/// and broken WebSocket framing (unmasked, reserved bits, oversized or fragmented control frames, bad close frames).
/// Each must be answered in the protocol — a CONNECTACK with an error status and/or a close frame with a proper status
/// (1000, 1002, 1003, 1007, 1008, 1009) — never a dropped connection or 1011, no exception or stack trace in the log;
/// and a well-behaved client connecting afterwards still gets its token and its pushes. Connection i is a function of
/// (seed, i); SANDBOX_RELIABILITY_TMC_N sets how many.
/// </summary>
public class TmcHostileFrameTests(ITestOutputHelper output)
{
    const string AppKey = "12345678", Secret = "helloworld";

    static readonly Regex StackTrace = new(@"\n\s+at [\w.<>`]+\(|(System|Microsoft)\.[\w.]*Exception", RegexOptions.Compiled);

    static readonly ushort[] ProperClose = [1000, 1002, 1003, 1007, 1008, 1009];

    /// <summary>What a generated connection sends, and what its answer must include.</summary>
    sealed record Plan(string Kind, List<byte[]> Frames, int[]? AckStatuses = null, bool WantsToken = false)
    {
        /// <summary>Frames sent once the CONNECTACK came, with the token it gave.</summary>
        public Func<string, List<byte[]>>? AfterAck { get; init; }

        /// <summary>The client sent a close frame of its own: the server may echo its code.</summary>
        public bool ClientCloses { get; init; }

        public string Describe() => $"[{Kind}] " + string.Join(" | ", Frames.Select(f => Convert.ToHexString(f.AsSpan(0, Math.Min(f.Length, 48))) + (f.Length > 48 ? $"…({f.Length})" : "")));
    }

    static readonly string[] Kinds =
    [
        "truncated", "wrong-version", "unknown-type", "huge", "garbage-after-connect", "bad-connect", "before-connect", "text-frame",
        "invalid-utf8", "broken-headers", "broken-framing", "odd-values-after-connect", "valid",
    ];

    [Fact]
    public async Task Every_hostile_frame_is_answered_in_the_protocol_and_a_good_client_still_connects()
    {
        var logs = new CapturedLogs();
        await using var host = await SandboxHost.StartAsync(configure: b => b.Logging.AddProvider(logs));
        var server = new Uri(host.ListenerUrl(Listeners.Main));
        var n = ReliabilitySettings.TmcConnections;
        var seed = ReliabilitySettings.Seed;
        var problems = new ConcurrentQueue<string>();
        var byKind = new ConcurrentDictionary<string, int>();
        var byClose = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var rng = new Random(unchecked(seed * 1_000_003 + 0x7e3c * 7919 + i));
            var plan = Generate(rng, Kinds[rng.Next(Kinds.Length)]);
            byKind.AddOrUpdate(plan.Kind, 1, (_, c) => c + 1);
            var (problem, close) = await RunAsync(server, rng.Next(4) == 0 ? "/" : "/tmc", plan);
            byClose.AddOrUpdate(close, 1, (_, c) => c + 1);
            if (problem is not null) problems.Enqueue($"#{i} {problem} {plan.Describe()}");
        });

        // A well-behaved client afterwards: its CONNECT is acknowledged with a token and a message published for it arrives.
        await using (var client = await TmcTestClient.OpenAsync(server))
        {
            var ack = await client.ConnectAsync(AppKey, Secret);
            if (ack.StatusCode != 0 || string.IsNullOrEmpty(client.Token)) problems.Enqueue($"a good client after the run: CONNECTACK {ack.StatusCode} {ack.StatusPhrase}");
            await client.PullAsync();
            await client.Socket.SendCloseAsync();
            if (await client.ClosedAsync() != 1000) problems.Enqueue($"a good client's close answered {client.CloseCode}");
        }

        foreach (var entry in logs.Entries.Where(e => e.Exception is not null || StackTrace.IsMatch(e.Message)).Take(20))
            problems.Enqueue($"log {entry.Level} {entry.Category}: {entry.Message} {entry.Exception?.GetType().Name} {entry.Exception?.Message} " +
                             entry.Exception?.StackTrace?.Split('\n').FirstOrDefault()?.Trim());

        var line = JsonSerializer.Serialize(new
        {
            supplier = "tmc-websocket", seed, connections = n, seconds = Math.Round(clock.Elapsed.TotalSeconds, 1), problems = problems.Count,
            kinds = byKind.OrderBy(k => k.Key).ToDictionary(k => k.Key, k => k.Value),
            closes = byClose.OrderBy(k => k.Key).ToDictionary(k => k.Key, k => k.Value),
            logWarnings = logs.Entries.Count,
        });
        output.WriteLine(line);
        if (ReliabilitySettings.ReportPath is { } path) await File.AppendAllTextAsync(path, line + "\n");
        Assert.True(problems.IsEmpty, $"{problems.Count} problems (seed {seed}):\n" + string.Join("\n", problems.Take(25)));
    }

    /// <summary>Sends the plan, then a probe no state accepts (a SEND with a token nobody has); reads until the server's close.</summary>
    static async Task<(string? Problem, string Close)> RunAsync(Uri server, string path, Plan plan)
    {
        await using var ws = await RawWebSocket.ConnectAsync(server, path);
        if (ws.Status != 101) return ($"upgrade answered {ws.Status}", "none");
        var acks = new List<TmcWire>();
        ushort? closeCode = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        try
        {
            foreach (var frame in plan.Frames) await ws.SendRawAsync(frame);
            if (plan.AfterAck is { } after)
            {
                var f = await ws.ReceiveFrameAsync(TimeSpan.FromSeconds(10));
                if (f is not { Opcode: RawWebSocket.Binary } ackFrame) return ("no CONNECTACK to a valid CONNECT", "none");
                var connectAck = TmcWire.Decode(ackFrame.Payload);
                acks.Add(connectAck);
                foreach (var frame in after(connectAck.Token ?? "")) await ws.SendRawAsync(frame);
            }
            await ws.SendBinaryAsync(new TmcWire { Type = TmcWire.Send, Token = "not-a-token" }.Add("__kind", (sbyte)1).Encode());
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // The server closed while a large or broken message was still being written: read what it said.
        }
        while (DateTime.UtcNow < deadline)
        {
            (byte Opcode, bool Fin, byte[] Payload)? next;
            try
            {
                next = await ws.ReceiveFrameAsync(deadline - DateTime.UtcNow);
            }
            catch (InvalidOperationException e)
            {
                return ("the server broke the framing: " + e.Message, "broken");
            }
            if (next is not { } f) break;
            if (f.Opcode == RawWebSocket.Binary)
            {
                try
                {
                    acks.Add(TmcWire.Decode(f.Payload));
                }
                catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
                {
                    return ("the server sent a message TMC cannot decode: " + e.Message, "n/a");
                }
            }
            else if (f.Opcode == RawWebSocket.Close)
            {
                closeCode = f.Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(f.Payload) : (ushort)1005;
                try
                {
                    await ws.SendCloseAsync(closeCode is 1005 ? (ushort)1000 : closeCode.Value);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                }
                break;
            }
            else if (f.Opcode == RawWebSocket.Ping) await ws.SendAsync(RawWebSocket.Pong, f.Payload);
            else if (f.Opcode != RawWebSocket.Pong) return ($"unexpected opcode {f.Opcode} from the server", "n/a");
        }
        var close = closeCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        if (closeCode is null) return ("no close frame: the connection was dropped or left open", close);
        if (!ProperClose.Contains(closeCode.Value) && !(plan.ClientCloses && closeCode is 1001 or >= 3000 and < 5000)) return ($"closed with {closeCode}", close);
        if (acks.Any(a => a.Type != TmcWire.ConnectAck && a.Type != TmcWire.SendAck && a.Type != TmcWire.Send)) return ("a message of an unknown type from the server", close);
        var ack = acks.FirstOrDefault(a => a.Type == TmcWire.ConnectAck);
        if (plan.AckStatuses is { } statuses && (ack is null || !statuses.Contains(ack.StatusCode)))
            return ($"CONNECTACK {(ack is null ? "missing" : ack.StatusCode + " " + ack.StatusPhrase)}, expected status {string.Join("/", statuses)}", close);
        if (plan.WantsToken && (ack is null || ack.StatusCode != 0 || string.IsNullOrEmpty(ack.Token))) return ("a valid CONNECT got no token", close);
        if (ack is { StatusCode: > 0 } refused && closeCode != 1008) return ($"a refused CONNECT ({refused.StatusCode}) closed with {closeCode}, not 1008", close);
        return (null, close);
    }

    static string Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    static TmcWire Connect(Random rng, string appKey = AppKey, string group = "default", string? timestamp = null, string? sign = null)
    {
        var ts = timestamp ?? Now();
        var flag = rng.Next(2) == 0 ? 0 : rng.Next(1, 1000);
        var w = new TmcWire { Type = TmcWire.Connect, Flag = flag }
            .Add("app_key", appKey).Add("group_name", group).Add("timestamp", ts)
            .Add("sign", sign ?? TmcTestClient.Sign(Secret, appKey, group, ts))
            .Add("sdk", flag > 0 ? "top-sdk-java-20170428" : "TaoMessageConsumer").Add("intranet_ip", null);
        return w;
    }

    static byte[] B(byte[] payload, byte opcode = RawWebSocket.Binary) => RawWebSocket.Frame(opcode, payload);

    static byte[] Random(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    static byte[] Le32(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        return b;
    }

    static byte[] Le16(short v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(b, v);
        return b;
    }

    static byte[] Le64(long v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        return b;
    }

    static byte[] Counted(byte[] utf8) => [.. Le32(utf8.Length), .. utf8];

    static byte[] Counted(string s) => Counted(Encoding.UTF8.GetBytes(s));

    /// <summary>A custom header: name, format byte, value bytes.</summary>
    static byte[] Custom(string name, byte format, byte[] value) => [.. Le16(1), .. Counted(name), format, .. value];

    static readonly byte[][] BadUtf8 = [[0xFF, 0xFE], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x28, 0xA1], [0x80]];

    static Plan Generate(Random rng, string kind)
    {
        var connect = Connect(rng).Encode();
        switch (kind)
        {
            case "truncated":
            {
                var cut = connect[..rng.Next(connect.Length - 1)];
                return new(kind, rng.Next(3) == 0 ? [B(connect), B(connect[..rng.Next(2, connect.Length - 1)])] : [B(cut)]);
            }
            case "wrong-version":
            {
                var bad = (byte[])connect.Clone();
                bad[0] = new byte[] { 0, 1, 3, 255, 0x7F }[rng.Next(5)];
                return new(kind, [B(bad)]);
            }
            case "unknown-type":
            {
                var bad = (byte[])connect.Clone();
                bad[1] = (byte)rng.Next(4, 256);
                return new(kind, rng.Next(2) == 0 ? [B(bad)] : [B(connect), B(bad)]);
            }
            case "huge":
            {
                var size = rng.Next(2) == 0 ? 1024 * 1024 + rng.Next(1, 64 * 1024) : 3 * 1024 * 1024;
                var payload = new byte[size];
                connect.CopyTo(payload, 0);
                if (rng.Next(2) == 0) return new(kind, [B(payload)]);
                // The same bytes as a fragmented message: 64 KB fragments, the last one final.
                var frames = new List<byte[]>();
                for (var at = 0; at < size; at += 64 * 1024)
                {
                    var end = Math.Min(size, at + 64 * 1024);
                    frames.Add(RawWebSocket.Frame(at == 0 ? RawWebSocket.Binary : RawWebSocket.Continuation, payload[at..end], fin: end == size));
                }
                return new(kind, frames);
            }
            case "garbage-after-connect":
                return new(kind, [B(connect), B(Random(rng, rng.Next(1, 2000)))], WantsToken: true);
            case "bad-connect":
                return rng.Next(5) switch
                {
                    0 => new(kind, [B(Connect(rng, sign: new string('0', 32)).Encode())], [403]),
                    1 => new(kind, [B(Connect(rng, sign: TmcTestClient.Sign("not-the-secret", AppKey, "default", Now())).Encode())], [403]),
                    2 => new(kind, [B(Connect(rng, appKey: rng.Next(2) == 0 ? "99999999" : "' OR '1'='1").Encode())], [401]),
                    3 => new(kind, [B(Connect(rng, group: "no-such-group-" + rng.Next(1000)).Encode())], [402]),
                    _ => new(kind, [B(Connect(rng, timestamp: rng.Next(2) == 0 ? "1704081600000" : "abc").Encode())], [408]),
                };
            case "before-connect":
            {
                var token = Guid.NewGuid().ToString();
                var early = rng.Next(4) switch
                {
                    0 => new TmcWire { Type = TmcWire.Send, Token = token }.Add("__kind", (sbyte)1),
                    1 => new TmcWire { Type = TmcWire.Send, Token = token }.Add("__kind", (sbyte)2).Add("id", 900001L),
                    2 => new TmcWire { Type = TmcWire.SendAck, Token = token }.Add("__kind", (sbyte)20).Add("id", 1L).Add("msg", "x"),
                    _ => new TmcWire { Type = TmcWire.ConnectAck, Token = token },
                };
                return new(kind, [B(early.Encode()), B(connect)]);
            }
            case "text-frame":
            {
                var text = RawWebSocket.Frame(RawWebSocket.Text, rng.Next(2) == 0 ? Encoding.UTF8.GetBytes("{\"app_key\":\"12345678\"}") : connect);
                return new(kind, rng.Next(2) == 0 ? [text, B(connect)] : [B(connect), text]);
            }
            case "invalid-utf8":
            {
                var bad = BadUtf8[rng.Next(BadUtf8.Length)];
                var ts = Now();
                byte[] frame = [2, 0, .. Custom("app_key", 1, Counted(rng.Next(3) == 0 ? bad : Encoding.UTF8.GetBytes(AppKey))),
                    .. Custom(rng.Next(2) == 0 ? "group_name" : Encoding.Latin1.GetString(bad), 1, Counted(rng.Next(2) == 0 ? bad : "default"u8.ToArray())),
                    .. Custom("timestamp", 1, Counted(ts)), .. Custom("sign", 1, Counted(rng.Next(2) == 0 ? bad : Encoding.UTF8.GetBytes(TmcTestClient.Sign(Secret, AppKey, "default", ts)))),
                    .. Le16(0)];
                // Raw name bytes too: a header name that is not UTF-8.
                if (rng.Next(3) == 0) frame = [2, 0, .. Le16(1), .. Counted(bad), 1, .. Counted("x"), .. Le16(0)];
                return new(kind, [B(frame)]);
            }
            case "broken-headers":
            {
                byte[] body = rng.Next(10) switch
                {
                    0 => [.. Le16(1), .. Le32(-5)],                                        // negative name length
                    1 => [.. Le16(1), .. Le32(int.MaxValue), 0x41],                         // a length past the end
                    2 => [.. Le16((short)rng.Next(6, short.MaxValue))],                   // unknown header type
                    3 => [.. Custom("x", (byte)rng.Next(8, 256), [1, 2, 3])],           // unknown value format
                    4 => [.. Custom("timestamp", 6, Le64(long.MaxValue)), .. Le16(0)],      // a Date no calendar holds
                    5 => [.. Custom("timestamp", 6, Le64(long.MinValue)), .. Le16(0)],
                    6 => [.. Custom("id", 7, Le32(-1))],                                   // negative byte array length
                    7 => [.. Le16(5), .. Counted("tok"), .. Le16(0), 0xAB, 0xCD],           // bytes after EndOfHeaders
                    8 => [.. Le16(2), 1, 2],                                                // a status cut short
                    _ => [.. Custom("app_key", 5, Le64(12345678)), .. Custom("timestamp", 4, Le32(5)), .. Custom("sign", 2, [7]), .. Le16(0)], // numbers where strings belong
                };
                byte[] frame = [2, (byte)rng.Next(4), .. body];
                return new(kind, rng.Next(3) == 0 ? [B(connect), B(frame)] : [B(frame)]);
            }
            case "broken-framing":
                return new(kind, rng.Next(9) switch
                {
                    0 => [RawWebSocket.Frame(RawWebSocket.Binary, connect, mask: false)],
                    1 => [RawWebSocket.Frame(RawWebSocket.Binary, connect, rsv: (byte)rng.Next(1, 8))],
                    2 => [RawWebSocket.Frame(RawWebSocket.Ping, new byte[126 + rng.Next(200)])],
                    3 => [RawWebSocket.Frame(RawWebSocket.Ping, [1, 2], fin: false)],
                    4 => [RawWebSocket.Frame(RawWebSocket.Continuation, connect)],
                    5 => [RawWebSocket.Frame((byte)new[] { 3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF }[rng.Next(10)], connect)],
                    6 => [RawWebSocket.Frame(RawWebSocket.Close, rng.Next(3) switch { 0 => [3], 1 => [0x03, 0xED], _ => [0x03, 0xE8, 0xFF, 0xFE] })], // 1 byte, 1005, bad UTF-8 reason
                    7 => [RawWebSocket.Frame(RawWebSocket.Close, [.. BigEndian((ushort)new[] { 999, 1004, 1006, 1015, 2999, 5000, 65535, 3000, 4999, 1001 }[rng.Next(10)])])],
                    _ => [RawWebSocket.Frame(RawWebSocket.Binary, connect, declaredLength: (ulong)long.MaxValue + 1)],
                }) { ClientCloses = true };
            case "odd-values-after-connect":
            {
                // A READY connection gets messages with its own token but odd kinds, ids and values; the probe then closes it.
                var pick = rng.Next(8);
                var flag = rng.Next(3);
                return new(kind, [B(connect)], WantsToken: true)
                {
                    AfterAck = token =>
                    {
                        var w = new TmcWire { Type = (byte)(2 + pick % 2), Token = token, Flag = flag };
                        switch (pick)
                        {
                            case 0: w.Add("__kind", (sbyte)2).Add("id", "not-a-number"); break;
                            case 1: w.Add("__kind", (sbyte)2).Add("id", DateTimeOffset.UnixEpoch); break;
                            case 2: w.Add("__kind", (short)999).Add("id", long.MaxValue); break;
                            case 3: w.Add("__kind", (sbyte)20).Add("id", long.MinValue).Add("msg", null); break;
                            case 4: w.Add("__kind", "1"); break;
                            case 5: w.Add("__kind", (sbyte)2).Add("id", new byte[] { 1, 2, 3 }); break;
                            case 6: w.Add("__kind", (sbyte)1).Add("__kind", (sbyte)2).Add("id", -1); break;
                            default: w.Add("__kind", (sbyte)3).Add("topic", "alitrip_flight_TradeNotify").Add("content", new string('c', 50_000)); break;
                        }
                        return [B(w.Encode()), B([2, 2, .. Le16(5), .. Counted(token), .. Le16(1), .. Counted("__kind"), 6, .. Le64(long.MaxValue), .. Le16(0)])];
                    },
                };
            }
            default:
                return new("valid", [B(connect)], WantsToken: true);
        }
    }

    static byte[] BigEndian(ushort v) => [(byte)(v >> 8), (byte)v];
}
