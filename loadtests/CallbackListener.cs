using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests;

public sealed record ReceivedPush(OrderStatusPush Body, long ReceivedUnixMicros, long? EmittedAtUnixMs);

/// <summary>
/// Receives the sim's SyncOrderStatus pushes and hands each to the flow waiting for that order. A push can arrive before
/// the flow has read Commit's reply, so whichever side comes first creates the order's completion source.
/// </summary>
public sealed class CallbackListener : IAsyncDisposable
{
    public const string EmittedAtHeader = "X-Sandbox-Emitted-At";
    private const string Path = "cb/techhouse";

    private static readonly byte[] SuccessReply = """{"status":0,"msg":"success"}"""u8.ToArray();
    private static readonly byte[] MalformedReply = """{"status":1,"msg":"push without orderNo"}"""u8.ToArray();

    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReceivedPush>> _pushes = new();
    private WebApplication? _app;
    private long _received;
    private long _duplicates;
    private long _malformed;

    private CallbackListener()
    {
    }

    /// <summary>The URL to register as the tenant's callback.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<CallbackListener> StartAsync(int port)
    {
        var listener = new CallbackListener();
        var (app, baseUrl) = await LocalWebApp.StartAsync(port, app => app.MapPost(Path, listener.HandleAsync));
        listener._app = app;
        listener.Url = new Uri(baseUrl, Path);
        return listener;
    }

    /// <summary>The push for <paramref name="orderNo"/>, or null if none arrived within <paramref name="timeout"/>.</summary>
    public async Task<ReceivedPush?> WaitAsync(string orderNo, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await _pushes.GetOrAdd(orderNo, NewSlot).Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pushes.TryRemove(orderNo, out _);
        }
    }

    /// <summary>Report rows; "unclaimed" are pushes no flow waited for (late duplicates, or orders whose flow had given up).</summary>
    public IEnumerable<(string Name, string Value)> Facts() =>
    [
        ("pushes received", Interlocked.Read(ref _received).ToString(CultureInfo.InvariantCulture)),
        ("duplicate pushes", Interlocked.Read(ref _duplicates).ToString(CultureInfo.InvariantCulture)),
        ("unclaimed pushes", _pushes.Count.ToString(CultureInfo.InvariantCulture)),
        ("malformed pushes", Interlocked.Read(ref _malformed).ToString(CultureInfo.InvariantCulture)),
    ];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static TaskCompletionSource<ReceivedPush> NewSlot(string orderNo) =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal static long UnixMicrosNow() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    private async Task HandleAsync(HttpContext http)
    {
        var received = UnixMicrosNow();
        OrderStatusPush? push;
        try
        {
            push = await JsonSerializer.DeserializeAsync(http.Request.Body, TechHouseJson.Default.OrderStatusPush, http.RequestAborted);
        }
        catch (JsonException)
        {
            push = null;
        }

        http.Response.ContentType = "application/json";
        if (push?.OrderNo is not { Length: > 0 } orderNo)
        {
            Interlocked.Increment(ref _malformed);
            await http.Response.Body.WriteAsync(MalformedReply, http.RequestAborted);
            return;
        }

        long? emittedAt = double.TryParse(http.Request.Headers[EmittedAtHeader], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            ? (long)ms
            : null;
        Interlocked.Increment(ref _received);
        if (!_pushes.GetOrAdd(orderNo, NewSlot).TrySetResult(new ReceivedPush(push, received, emittedAt)))
        {
            Interlocked.Increment(ref _duplicates);
        }

        await http.Response.Body.WriteAsync(SuccessReply, http.RequestAborted);
    }
}
