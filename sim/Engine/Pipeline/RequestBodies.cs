using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sandbox.Engine.Pipeline;

public static class RequestBodies
{
    /// <summary>Upper bound of what the sandbox reads and throws away to answer an oversized request politely.</summary>
    public const long DrainLimit = 64L * 1024 * 1024;

    /// <summary>
    /// Lifts the server-wide body limit for this request before anything reads the body (it is fixed once reading
    /// starts): the protocol then buffers only what it accepts and drains the rest, see <see cref="DrainAsync"/>.
    /// </summary>
    public static void AllowDrain(HttpContext http)
    {
        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false }) limit.MaxRequestBodySize = DrainLimit;
    }

    /// <summary>
    /// The whole body if it is at most <paramref name="max"/> bytes (declared or chunked); otherwise null, with the
    /// body drained so that the supplier's refusal reaches the client. Call it before anything else reads the body.
    /// </summary>
    public static async ValueTask<byte[]?> ReadLimitedAsync(HttpContext http, long max)
    {
        AllowDrain(http);
        if (http.Request.ContentLength is not { } declared || declared <= max)
        {
            var reader = http.Request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (buffer.Length > max)
                {
                    reader.AdvanceTo(buffer.End);
                    break;
                }
                if (result.IsCompleted)
                {
                    var bytes = buffer.ToArray();
                    reader.AdvanceTo(buffer.End);
                    return bytes;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        await DrainAsync(http);
        return null;
    }

    /// <summary>
    /// Reads and discards the rest of an oversized body so that a client still uploading receives the supplier's
    /// error reply instead of a reset connection; beyond <see cref="DrainLimit"/> the connection is closed anyway.
    /// </summary>
    public static async Task DrainAsync(HttpContext http)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int n;
            while ((n = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
                if ((total += n) > DrainLimit) return;
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
        }
    }
}
