using System.Net.Sockets;
using System.Text;

namespace Sandbox.Tests.Reliability.Hostile;

/// <summary>Writes a generated request to a socket exactly as built and reads the one reply.</summary>
public static class HttpWire
{
    public static byte[] Build(string method, string target, string host, IEnumerable<(string Name, string Value)> headers, byte[]? body,
        long? declaredLength = null)
    {
        var sb = new StringBuilder();
        sb.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(host).Append("\r\nConnection: close\r\n");
        foreach (var (n, v) in headers) sb.Append(n).Append(": ").Append(v).Append("\r\n");
        if (body is not null || declaredLength is not null) sb.Append("Content-Length: ").Append(declaredLength ?? body!.Length).Append("\r\n");
        sb.Append("\r\n");
        var head = Encoding.Latin1.GetBytes(sb.ToString());
        return body is null ? head : [.. head, .. body];
    }

    public static async Task<HostileReply> SendAsync(Uri server, HostileRequest request, TimeSpan timeout)
    {
        using var client = new TcpClient { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout);
        await client.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = client.GetStream();
        try
        {
            switch (request.Delivery)
            {
                case Delivery.Slow:
                    var headEnd = request.Bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
                    await stream.WriteAsync(request.Bytes.AsMemory(0, headEnd), cts.Token);
                    for (var at = headEnd; at < request.Bytes.Length; at += 16)
                    {
                        await Task.Delay(40, cts.Token);
                        await stream.WriteAsync(request.Bytes.AsMemory(at, Math.Min(16, request.Bytes.Length - at)), cts.Token);
                    }
                    break;
                default:
                    await stream.WriteAsync(request.Bytes, cts.Token);
                    break;
            }
        }
        catch (IOException)
        {
            // The server may answer and close before a large or refused body is fully written: read what it said.
        }
        catch (SocketException)
        {
        }
        return await ReadAsync(stream, cts.Token);
    }

    static async Task<HostileReply> ReadAsync(NetworkStream stream, CancellationToken ct)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, ct);
            }
            catch (IOException)
            {
                n = 0;
            }
            if (n > 0) received.Write(buffer, 0, n);
            var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
            var end = bytes.IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.Latin1.GetString(bytes[..end]).Split("\r\n");
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in head.Skip(1))
                    if (line.Split(':', 2) is [var name, var value]) headers[name.Trim()] = value.Trim();
                var status = int.TryParse(head[0].Split(' ').ElementAtOrDefault(1), out var s) ? s : (int?)null;
                if (headers.TryGetValue("content-length", out var cl) && long.TryParse(cl, out var length))
                {
                    if (bytes.Length - end - 4 >= length)
                        return new HostileReply(status, headers, bytes.Slice(end + 4, (int)length).ToArray());
                }
                else if (n == 0) return new HostileReply(status, headers, bytes[(end + 4)..].ToArray());
            }
            if (n == 0) return new HostileReply(null, new Dictionary<string, string>(), received.ToArray());
        }
    }
}
