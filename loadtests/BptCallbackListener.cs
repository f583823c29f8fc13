using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests;

public sealed record ReceivedNotice(BptReply Notice, long ReceivedUnixMicros, long? EmittedAtUnixMs);

/// <summary>
/// Receives the sim's BPT ticketnoinfo notices the way the public receiver (BPB) does — form field, then a GB2312
/// URL-decode — answers "true", and hands each notice to the flow waiting for its pnrsrcid.
/// </summary>
public sealed class BptCallbackListener : IAsyncDisposable
{
    private const string Path = "cb/bpt";
    private static readonly byte[] Ack = "true"u8.ToArray();
    private static readonly byte[] Nack = "false"u8.ToArray();

    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReceivedNotice>> _notices = new();
    private WebApplication? _app;
    private long _received;
    private long _duplicates;
    private long _malformed;

    private BptCallbackListener()
    {
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<BptCallbackListener> StartAsync(int port)
    {
        var listener = new BptCallbackListener();
        var (app, baseUrl) = await LocalWebApp.StartAsync(port, app => app.MapPost(Path, listener.HandleAsync));
        listener._app = app;
        listener.Url = new Uri(baseUrl, Path);
        return listener;
    }

    public async Task<ReceivedNotice?> WaitAsync(string pnrSrcId, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await _notices.GetOrAdd(pnrSrcId, NewSlot).Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _notices.TryRemove(pnrSrcId, out _);
        }
    }

    public IEnumerable<(string Name, string Value)> Facts() =>
    [
        ("notices received", Interlocked.Read(ref _received).ToString(CultureInfo.InvariantCulture)),
        ("duplicate notices", Interlocked.Read(ref _duplicates).ToString(CultureInfo.InvariantCulture)),
        ("unclaimed notices", _notices.Count.ToString(CultureInfo.InvariantCulture)),
        ("malformed notices", Interlocked.Read(ref _malformed).ToString(CultureInfo.InvariantCulture)),
    ];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static TaskCompletionSource<ReceivedNotice> NewSlot(string key) => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext http)
    {
        var received = CallbackListener.UnixMicrosNow();
        using var reader = new StreamReader(http.Request.Body, Encoding.ASCII);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var notice = Decode(body);
        if (notice?["pnrsrcid"] is not { Length: > 0 } srcId)
        {
            Interlocked.Increment(ref _malformed);
            await http.Response.Body.WriteAsync(Nack, http.RequestAborted);
            return;
        }

        long? emittedAt = long.TryParse(http.Request.Headers[CallbackListener.EmittedAtHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null;
        Interlocked.Increment(ref _received);
        if (!_notices.GetOrAdd(srcId, NewSlot).TrySetResult(new ReceivedNotice(notice, received, emittedAt)))
        {
            Interlocked.Increment(ref _duplicates);
        }

        await http.Response.Body.WriteAsync(Ack, http.RequestAborted);
    }

    /// <summary>ticketnoinfo=F: form-decoding gives V, URL-decoding V's bytes as GB2312 gives the XML (spec §6.1).</summary>
    private static BptReply? Decode(string body)
    {
        const string field = "ticketnoinfo=";
        if (!body.StartsWith(field, StringComparison.Ordinal))
        {
            return null;
        }

        var v = Encoding.ASCII.GetString(UrlDecodeBytes(body.AsSpan(field.Length)));
        return new BptReply(BptClient.Gbk.GetString(UrlDecodeBytes(v)));
    }

    private static byte[] UrlDecodeBytes(ReadOnlySpan<char> s)
    {
        var bytes = new byte[s.Length];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '+')
            {
                bytes[n++] = (byte)' ';
            }
            else if (c == '%' && i + 2 < s.Length && byte.TryParse(s.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes[n++] = b;
                i += 2;
            }
            else
            {
                bytes[n++] = (byte)c;
            }
        }

        return bytes[..n];
    }
}
