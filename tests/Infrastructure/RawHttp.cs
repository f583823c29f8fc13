using System.Net.Sockets;
using System.Text;

namespace Sandbox.Tests.Infrastructure;

/// <summary>
/// Bytes written to a listener exactly as given — malformed request lines, broken framing, bodies that stop — and the
/// response read back from the socket: what no HTTP client library would send.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string ContentType => Headers.GetValueOrDefault("content-type") ?? "";

        public string Text(Encoding? encoding = null) => (encoding ?? Encoding.UTF8).GetString(Body);
    }

    /// <summary>Sends <paramref name="request"/> and reads one response (a server that never answers fails after <paramref name="wait"/>).</summary>
    public static async Task<Response> SendAsync(string baseUrl, byte[] request, TimeSpan? wait = null) =>
        (await SendAllAsync(baseUrl, request, 1, wait)).Single();

    /// <summary>Sends requests written together (keep-alive) and reads <paramref name="count"/> responses, in order.</summary>
    public static async Task<IReadOnlyList<Response>> SendAllAsync(string baseUrl, byte[] requests, int count, TimeSpan? wait = null)
    {
        var uri = new Uri(baseUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(requests);
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(30));
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var (responses, complete) = Parse(received.ToArray());
            if (responses.Count >= count && complete) return responses;
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{responses.Count} of {count} responses after {wait}: " + Encoding.Latin1.GetString(received.ToArray()));
            }
            if (n == 0)
            {
                Assert.True(responses.Count == count && complete, $"the server closed the connection after {responses.Count} of {count} responses: "
                                                                   + Encoding.Latin1.GetString(received.ToArray()));
                return responses;
            }
            received.Write(buffer, 0, n);
        }
    }

    public static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>The whole responses in <paramref name="bytes"/>; <c>Complete</c> is false while one is partly there.</summary>
    static (List<Response> Responses, bool Complete) Parse(byte[] bytes)
    {
        var responses = new List<Response>();
        var at = 0;
        while (at < bytes.Length)
        {
            var end = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
            if (end < 0) return (responses, false);
            var head = Encoding.Latin1.GetString(bytes, at, end).Split("\r\n");
            var headers = head.Skip(1).Select(h => h.Split(':', 2)).ToDictionary(h => h[0].Trim().ToLowerInvariant(), h => h[1].Trim());
            var status = int.Parse(head[0].Split(' ')[1]);
            Assert.True(headers.ContainsKey("content-length"), "a response without Content-Length: " + head[0]);
            var length = int.Parse(headers["content-length"]);
            if (at + end + 4 + length > bytes.Length) return (responses, false);
            at += end + 4;
            responses.Add(new Response(status, headers, bytes.AsSpan(at, length).ToArray()));
            at += length;
        }
        return (responses, true);
    }
}
