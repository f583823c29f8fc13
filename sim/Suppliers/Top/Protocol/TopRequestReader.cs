using System.Text;
using System.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// Reads a gateway request the way every public client sends one (spec §1.1): GET with everything in the query; POST
/// with system parameters in the query and business parameters in a form body (Java, PHP), everything in a form body
/// (Go, the JavaScript clients, which send no charset: UTF-8 is assumed), or everything as multipart/form-data (the
/// official Node SDK, and any client uploading a file). Query and body are merged; the same name with two different
/// values is refused (code 41).
/// </summary>
public static class TopRequestReader
{
    /// <summary>The upload API takes files of up to 5 MB; the form around one stays well below this.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary><c>gzip</c> (or <c>*</c>) in Accept-Encoding without <c>q=0</c>.</summary>
    static bool AcceptsGzip(Microsoft.Extensions.Primitives.StringValues header)
    {
        if (header.Count == 0) return false;
        return StringWithQualityHeaderValue.TryParseList(header, out var values)
               && values.Any(v => (v.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || v.Value.Equals("*", StringComparison.Ordinal))
                                  && (v.Quality ?? 1) > 0);
    }

    public static async ValueTask<TopRequest> ReadAsync(HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        var request = new TopRequest(http.Request.Method, (ip is { IsIPv4MappedToIPv6: true } ? ip.MapToIPv4() : ip)?.ToString() ?? "");
        foreach (var (k, v) in http.Request.Query)
            request.Params.TryAdd(k, v.Count > 0 ? v[0] ?? "" : "");
        request.AcceptsGzip = AcceptsGzip(http.Request.Headers.AcceptEncoding);
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsPost(http.Request.Method))
        {
            request.Failure = TopError.HttpActionNotAllowed(http.Request.Method);
            return request;
        }
        if (!HttpMethods.IsPost(http.Request.Method)) return request;

        byte[]? body;
        try
        {
            body = await RequestBodies.ReadLimitedAsync(http, MaxBodyBytes);
        }
        catch (BadHttpRequestException)
        {
            request.Failure = TopError.InvalidArgument("body", "unreadable request body");
            return request;
        }
        if (body is null)
        {
            request.Failure = TopError.InvalidArgument("body", $"request body larger than {MaxBodyBytes / (1024 * 1024)} MB");
            return request;
        }
        if (body.Length == 0) return request;
        MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type);
        var mediaType = type?.MediaType.Value?.ToLowerInvariant();
        var charset = Charset(type?.Charset.Value);
        if (charset is null)
        {
            request.Failure = TopError.InvalidArgument("charset", $"unsupported charset '{type?.Charset.Value}'");
            return request;
        }
        var fromBody = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mediaType == "multipart/form-data")
        {
            var boundary = HeaderUtilities.RemoveQuotes(type!.Boundary).Value;
            // The parts read before a malformed one are merged all the same, so that the refusal is in the format they asked for.
            if (string.IsNullOrEmpty(boundary) || !await ReadMultipartAsync(body, boundary, charset, fromBody, request))
                request.Failure ??= TopError.InvalidArgument("body", "malformed multipart/form-data body");
        }
        else if (mediaType is null or "application/x-www-form-urlencoded")
        {
            ReadForm(charset.GetString(body), charset, fromBody);
            request.JournalBody = body;
        }
        else return request;

        // Every non-conflicting parameter is merged, so that the refusal is answered in the format the request asked for.
        foreach (var (k, v) in fromBody)
        {
            if (request.Params.TryGetValue(k, out var fromQuery) && fromQuery != v)
                request.Failure ??= TopError.InvalidArgument(k, $"parameter {k} is in the query string and in the body with different values");
            else request.Params[k] = v;
        }
        return request;
    }

    /// <summary>No charset means UTF-8 (what the JavaScript clients send and what TOP signs); GBK senders name it.</summary>
    static Encoding? Charset(string? name)
    {
        if (string.IsNullOrEmpty(name)) return Encoding.UTF8;
        try
        {
            return Encoding.GetEncoding(name.Trim('"'));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    static void ReadForm(string text, Encoding charset, Dictionary<string, string> into)
    {
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = HttpUtility.UrlDecode(eq < 0 ? pair : pair[..eq], charset);
            var value = eq < 0 ? "" : HttpUtility.UrlDecode(pair[(eq + 1)..], charset);
            into.TryAdd(name, value);
        }
    }

    static async Task<bool> ReadMultipartAsync(byte[] body, string boundary, Encoding charset, Dictionary<string, string> into, TopRequest request)
    {
        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false)) { BodyLengthLimit = MaxBodyBytes };
        var journal = new StringBuilder();
        try
        {
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name) return false;
                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer);
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                if (journal.Length > 0) journal.Append('&');
                if (fileName is not null)
                {
                    request.Files[name] = new TopFile(fileName, section.ContentType, buffer.ToArray());
                    journal.Append(name).Append("=<file ").Append(fileName).Append(", ").Append(buffer.Length).Append(" bytes>");
                    continue;
                }
                MediaTypeHeaderValue.TryParse(section.ContentType, out var partType);
                var value = (Charset(partType?.Charset.Value) ?? charset).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                into.TryAdd(name, value);
                journal.Append(name).Append('=').Append(value);
            }
        }
        catch (IOException)
        {
            return false;
        }
        catch (InvalidDataException)
        {
            return false;
        }
        request.JournalText = journal.ToString();
        return true;
    }
}
