using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>
/// Calls a merchant's Qimen endpoint as Fliggy does and records the call. One attempt per call: retries and their
/// delays (spec §3) belong to the caller, which runs them on the tenant's clock.
/// </summary>
public sealed class QimenClient(HttpClient http, TimeProvider time)
{
    /// <summary>The largest reply read; a merchant answering more is cut off as a parse error, never buffered whole.</summary>
    public const int MaxReplyBytes = 4 * 1024 * 1024;

    public QimenClient(HttpClient http) : this(http, TimeProvider.System)
    {
    }

    /// <summary>Signs and sends <paramref name="body"/> as <paramref name="method"/>; the timestamp is real time (the merchant checks it against its own clock).</summary>
    public Task<QimenCall> CallAsync(QimenEndpoint endpoint, string method, JsonObject body, TimeSpan timeout, string? traceId = null,
        CancellationToken ct = default) =>
        SendAsync(QimenRequest.Build(endpoint, method, body, time.GetUtcNow(), endpoint.SignedTrace ? traceId ?? NewTraceId() : null), timeout, ct);

    public async Task<QimenCall> SendAsync(QimenRequest request, TimeSpan timeout, CancellationToken ct = default)
    {
        var sentAt = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) content.Headers.TryAddWithoutValidation(name, value);
            else message.Headers.TryAddWithoutValidation(name, value);
        }
        message.Content = content;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        int? status = null;
        string? replyBody = null;
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            status = (int)response.StatusCode;
            replyBody = await ReadLimitedAsync(response.Content, Charset(response.Content.Headers.ContentType), cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Record(request, sentAt, watch, status, replyBody, QimenOutcome.Timeout, $"no complete reply within {timeout.TotalMilliseconds:0} ms", null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // Refused, reset, or cut off in the middle of the reply.
            return Record(request, sentAt, watch, status, replyBody, QimenOutcome.ConnectionError, e.Message, null);
        }
        catch (ReplyTooLargeException)
        {
            return Record(request, sentAt, watch, status, null, QimenOutcome.ResponseBodyParseError, $"reply larger than {MaxReplyBytes} bytes", null);
        }
        var reply = QimenReply.Parse(status.Value, replyBody);
        return Record(request, sentAt, watch, status, replyBody, reply.Outcome, reply.Error, reply);
    }

    static QimenCall Record(QimenRequest request, DateTimeOffset sentAt, Stopwatch watch, int? status, string? replyBody, string outcome,
        string? error, QimenReply? reply) => new()
    {
        Method = request.Method,
        Url = request.Url,
        Headers = request.Headers,
        Body = request.Body,
        StringToSign = request.StringToSign,
        Sign = request.Sign,
        SentAt = sentAt,
        LatencyMs = watch.ElapsedMilliseconds,
        LatencyMicros = watch.Elapsed.Ticks / TimeSpan.TicksPerMicrosecond,
        HttpStatus = status,
        ReplyBody = replyBody,
        Outcome = outcome,
        RetCode = reply?.RetCode,
        RetDesc = reply?.RetDesc,
        Error = error,
        Reply = reply,
    };

    /// <summary>A trace id of letters and digits only, so the merchant's URL-decoding of the header leaves it unchanged.</summary>
    public static string NewTraceId() => Guid.NewGuid().ToString("N");

    static Encoding Charset(MediaTypeHeaderValue? type)
    {
        try
        {
            return type?.CharSet is { Length: > 0 } cs ? Encoding.GetEncoding(cs.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    static async Task<string> ReadLimitedAsync(HttpContent content, Encoding encoding, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxReplyBytes) throw new ReplyTooLargeException();
            buffer.Write(chunk, 0, read);
        }
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    sealed class ReplyTooLargeException : Exception;
}
