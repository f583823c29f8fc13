using System.Collections.Concurrent;
using System.Globalization;

namespace Sandbox.LoadTests;

public sealed record ReceivedNotify(string Page, string OrderId, string Status, long ReceivedUnixMicros, long? EmittedAtUnixMs);

/// <summary>
/// The integrator's callback folder for Yobaoxing: GET cb/yobaoxing/{Page}.aspx?orderid=…&amp;status=… answered with
/// &lt;root&gt;&lt;retcode&gt;0&lt;/retcode&gt;… (the supplier's success). A flow waits for its order's delivery
/// (Notify_OrderChanged with status 3); earlier notifications of the order (created, authorised) are counted only.
/// </summary>
public sealed class YobaoxingCallbackListener : IAsyncDisposable
{
    private const string Folder = "cb/yobaoxing";
    private const string Delivered = "3";

    private static readonly byte[] SuccessReply = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><root><retcode>0</retcode><retmsg></retmsg></root>"u8.ToArray();
    private static readonly byte[] MalformedReply = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><root><retcode>-1</retcode><retmsg>no orderid</retmsg></root>"u8.ToArray();

    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReceivedNotify>> _delivered = new();
    private WebApplication? _app;
    private long _received;
    private long _duplicates;
    private long _malformed;

    private YobaoxingCallbackListener()
    {
    }

    /// <summary>The folder to register as the tenant's callbacks.yobaoxing (page names are appended to it).</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<YobaoxingCallbackListener> StartAsync(int port)
    {
        var listener = new YobaoxingCallbackListener();
        var (app, baseUrl) = await LocalWebApp.StartAsync(port, app => app.MapGet(Folder + "/{page}", listener.HandleAsync));
        listener._app = app;
        listener.Url = new Uri(baseUrl, Folder);
        return listener;
    }

    /// <summary>The delivery notification of <paramref name="orderId"/>, or null if none arrived within <paramref name="timeout"/>.</summary>
    public async Task<ReceivedNotify?> WaitDeliveredAsync(string orderId, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await _delivered.GetOrAdd(orderId, NewSlot).Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _delivered.TryRemove(orderId, out _);
        }
    }

    public IEnumerable<(string Name, string Value)> Facts() =>
    [
        ("notifications received", Interlocked.Read(ref _received).ToString(CultureInfo.InvariantCulture)),
        ("duplicate delivery notifications", Interlocked.Read(ref _duplicates).ToString(CultureInfo.InvariantCulture)),
        ("unclaimed delivery notifications", _delivered.Count.ToString(CultureInfo.InvariantCulture)),
        ("malformed notifications", Interlocked.Read(ref _malformed).ToString(CultureInfo.InvariantCulture)),
    ];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static TaskCompletionSource<ReceivedNotify> NewSlot(string orderId) => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext http, string page)
    {
        var received = CallbackListener.UnixMicrosNow();
        var query = http.Request.Query;
        http.Response.ContentType = "text/xml; charset=utf-8";
        if (query["orderid"].ToString() is not { Length: > 0 } orderId)
        {
            Interlocked.Increment(ref _malformed);
            await http.Response.Body.WriteAsync(MalformedReply, http.RequestAborted);
            return;
        }

        Interlocked.Increment(ref _received);
        var status = query["status"].ToString();
        if (page == "Notify_OrderChanged.aspx" && status == Delivered)
        {
            long? emittedAt = double.TryParse(http.Request.Headers[CallbackListener.EmittedAtHeader], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                ? (long)ms
                : null;
            if (!_delivered.GetOrAdd(orderId, NewSlot).TrySetResult(new ReceivedNotify(page, orderId, status, received, emittedAt)))
            {
                Interlocked.Increment(ref _duplicates);
            }
        }

        await http.Response.Body.WriteAsync(SuccessReply, http.RequestAborted);
    }
}
