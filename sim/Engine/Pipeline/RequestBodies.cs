using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sandbox.Engine.Pipeline;

public static class RequestBodies
{
    /// <summary>Upper bound of what the sandbox reads and throws away to answer an oversized request politely.</summary>
    public const long DrainLimit = 64L * 1024 * 1024;

    /// <summary>
    /// Reads and discards the rest of an oversized body so that a client still uploading receives the supplier's
    /// error reply instead of a reset connection; beyond <see cref="DrainLimit"/> the connection is closed anyway.
    /// </summary>
    public static async Task DrainAsync(HttpContext http)
    {
        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false }) limit.MaxRequestBodySize = DrainLimit;
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
