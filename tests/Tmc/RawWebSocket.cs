using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Tests.Tmc;

/// <summary>
/// A WebSocket client written from RFC 6455 for the TMC tests: it sends exactly the frames a test asks for (masked,
/// as clients must), including pongs nobody asked for, and shows every frame the server sends, control frames too.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    readonly TcpClient _tcp;
    readonly NetworkStream _stream;
    Task? _reader;

    public int Status { get; private set; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Opens a connection and sends the upgrade request; <see cref="Status"/> is 101 when the server accepted it.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri baseAddress, string path, params (string Name, string Value)[] extraHeaders)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var ws = new RawWebSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = new StringBuilder()
            .Append($"GET {path} HTTP/1.1\r\nHost: {baseAddress.Host}:{baseAddress.Port}\r\n")
            .Append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
            .Append($"Sec-WebSocket-Key: {key}\r\n");
        foreach (var (n, v) in extraHeaders) request.Append($"{n}: {v}\r\n");
        request.Append("\r\n");
        await ws._stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        await ws.ReadResponseHeadAsync();
        if (ws.Status == 101)
        {
            ws._reader = Task.Run(ws.ReadLoop);
            var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            if (ws.Headers.GetValueOrDefault("Sec-WebSocket-Accept") != expected) throw new InvalidOperationException("bad Sec-WebSocket-Accept");
        }
        return ws;
    }

    async Task ReadResponseHeadAsync()
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one) == 0) throw new EndOfStreamException("connection closed during the handshake");
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Status = int.Parse(lines[0].Split(' ')[1]);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            Headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
    }

    public Task SendAsync(byte opcode, byte[] payload, bool fin = true)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126) header.Add((byte)(0x80 | payload.Length));
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            var len = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(len, (ulong)payload.Length);
            header.AddRange(len);
        }
        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        var masked = new byte[payload.Length];
        for (var i = 0; i < payload.Length; i++) masked[i] = (byte)(payload[i] ^ mask[i % 4]);
        return _stream.WriteAsync(header.Concat(masked).ToArray()).AsTask();
    }

    public Task SendBinaryAsync(byte[] payload) => SendAsync(Binary, payload);

    /// <summary>Bytes exactly as given: a frame built by <see cref="Frame"/> (unmasked, reserved bits …) or anything else.</summary>
    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>One frame with every bit chosen by the caller, for tests of what a server does with broken ones.</summary>
    public static byte[] Frame(byte opcode, byte[] payload, bool fin = true, bool mask = true, byte rsv = 0, ulong? declaredLength = null)
    {
        var length = declaredLength ?? (ulong)payload.Length;
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0x0F) };
        var m = mask ? 0x80 : 0;
        if (length < 126) header.Add((byte)(m | (int)length));
        else if (length <= ushort.MaxValue)
        {
            header.Add((byte)(m | 126));
            header.Add((byte)(length >> 8));
            header.Add((byte)length);
        }
        else
        {
            header.Add((byte)(m | 127));
            var len = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(len, length);
            header.AddRange(len);
        }
        if (!mask) return [.. header, .. payload];
        var key = RandomNumberGenerator.GetBytes(4);
        header.AddRange(key);
        var masked = new byte[payload.Length];
        for (var i = 0; i < payload.Length; i++) masked[i] = (byte)(payload[i] ^ key[i % 4]);
        return [.. header, .. masked];
    }

    public Task SendCloseAsync(ushort code = 1000)
    {
        var p = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(p, code);
        return SendAsync(Close, p);
    }

    readonly System.Threading.Channels.Channel<(byte Opcode, bool Fin, byte[] Payload)> _frames =
        System.Threading.Channels.Channel.CreateUnbounded<(byte, bool, byte[])>();

    /// <summary>Reads frames in the background, so that a test waiting with a timeout never cuts a frame in half.</summary>
    async Task ReadLoop()
    {
        try
        {
            while (true)
            {
                var h = new byte[2];
                if (!await ReadExactlyAsync(h)) break;
                if ((h[1] & 0x80) != 0) throw new InvalidOperationException("the server masked a frame (RFC 6455 forbids it)");
                if ((h[0] & 0x70) != 0) throw new InvalidOperationException("RSV bits set: an extension was used although none was agreed");
                long len = h[1] & 0x7F;
                if (len == 126)
                {
                    var l = new byte[2];
                    await ReadExactlyAsync(l);
                    len = BinaryPrimitives.ReadUInt16BigEndian(l);
                }
                else if (len == 127)
                {
                    var l = new byte[8];
                    await ReadExactlyAsync(l);
                    len = (long)BinaryPrimitives.ReadUInt64BigEndian(l);
                }
                var payload = new byte[len];
                if (!await ReadExactlyAsync(payload)) break;
                _frames.Writer.TryWrite(((byte)(h[0] & 0x0F), (h[0] & 0x80) != 0, payload));
            }
            _frames.Writer.TryComplete();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            _frames.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _frames.Writer.TryComplete(e);
        }
    }

    /// <summary>The next frame from the server (opcode, fin, payload), or null when the connection ended or nothing came in time.</summary>
    public async Task<(byte Opcode, bool Fin, byte[] Payload)?> ReceiveFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (!await _frames.Reader.WaitToReadAsync(cts.Token)) return null;
            return _frames.Reader.TryRead(out var f) ? f : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    async Task<bool> ReadExactlyAsync(byte[] buffer)
    {
        var at = 0;
        while (at < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(at));
            if (n == 0) return false;
            at += n;
        }
        return true;
    }

    /// <summary>Drops the TCP connection without a close handshake, as a killed client does.</summary>
    public void Drop() => _tcp.Client.Close(0);

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        if (_reader is not null) await _reader;
    }
}
