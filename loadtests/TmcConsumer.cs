using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests;

/// <summary>
/// An agency's TMC consumer as the load generator runs it: connections to the sandbox's TMC channel (<c>/tmc</c>)
/// that CONNECT with the app key, group and md5 sign, pull every few seconds, confirm every message they receive, and
/// hand each <c>alitrip_flight_TradeNotify</c> to the flow waiting for its order. Several connections of one group
/// compete for the messages, as the channel's consumers do.
/// </summary>
public sealed class TmcConsumer : IAsyncDisposable
{
    public sealed record Notice(string Type, long ReceivedUnixMicros, long PublishedUnixMillis);

    // One completion per awaited notice, made by whichever side comes first: the flow waiting, or the notice arriving.
    readonly ConcurrentDictionary<string, TaskCompletionSource<Notice>> _notices = new();
    readonly List<Connection> _connections = [];
    readonly CancellationTokenSource _stop = new();
    long _received, _confirmed;

    public long Received => Interlocked.Read(ref _received);
    public long Confirmed => Interlocked.Read(ref _confirmed);

    readonly string _awaited;
    readonly Action<string, string>? _onMessage;

    TmcConsumer(string awaitedType, Action<string, string>? onMessage)
    {
        _awaited = awaitedType;
        _onMessage = onMessage;
    }

    /// <summary>Completes when a connection's channel ended (the server closed it or went away); the consumer does not reconnect.</summary>
    public Task Closed => Task.WhenAny(_connections.Select(c => c.Receiving));

    /// <param name="awaitedType">the TradeNotify type flows wait for (1 paid, 3 ticketed): one that arrives before its flow
    /// asks is kept until asked for; other types are confirmed and counted only</param>
    /// <param name="onMessage">sees every message (topic, content) before it is confirmed</param>
    public static async Task<TmcConsumer> ConnectAsync(string baseUrl, string appKey, string secret, string awaitedType = "1", int connections = 2,
        string group = "default", Action<string, string>? onMessage = null)
    {
        var consumer = new TmcConsumer(awaitedType, onMessage);
        var uri = new Uri(baseUrl.Replace("http://", "ws://").Replace("https://", "wss://").TrimEnd('/') + "/tmc");
        for (var i = 0; i < connections; i++) consumer._connections.Add(await Connection.OpenAsync(consumer, uri, appKey, secret, group));
        return consumer;
    }

    /// <summary>The awaited TradeNotify for the order; null after the timeout.</summary>
    public async Task<Notice?> WaitAsync(string orderNo, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await Completion(orderNo).Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _notices.TryRemove(orderNo, out _);
        }
    }

    TaskCompletionSource<Notice> Completion(string orderNo) =>
        _notices.GetOrAdd(orderNo, _ => new TaskCompletionSource<Notice>(TaskCreationOptions.RunContinuationsAsynchronously));

    void Deliver(string topic, string content, long publishedMs)
    {
        Interlocked.Increment(ref _received);
        _onMessage?.Invoke(topic, content);
        if (topic != "alitrip_flight_TradeNotify") return;
        using var doc = JsonDocument.Parse(content);
        if (doc.RootElement.GetProperty("type").GetString() != _awaited) return;
        Completion(doc.RootElement.GetProperty("order_no").GetString()!).TrySetResult(new Notice(_awaited, CallbackListener.UnixMicrosNow(), publishedMs));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var c in _connections) await c.DisposeAsync();
    }

    sealed class Connection : IAsyncDisposable
    {
        readonly TmcConsumer _owner;
        readonly ClientWebSocket _socket = new();
        readonly SemaphoreSlim _sendLock = new(1, 1);
        string? _token;
        Task _receive = Task.CompletedTask, _pull = Task.CompletedTask;

        Connection(TmcConsumer owner) => _owner = owner;

        public Task Receiving => _receive;

        public static async Task<Connection> OpenAsync(TmcConsumer owner, Uri uri, string appKey, string secret, string group)
        {
            var c = new Connection(owner);
            await c._socket.ConnectAsync(uri, owner._stop.Token);
            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
            var sign = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes($"{secret}app_key{appKey}group_name{group}timestamp{ts}{secret}")));
            await c.SendAsync(new TmcWire { Type = TmcWire.Connect }
                .Add("app_key", appKey).Add("group_name", group).Add("timestamp", ts).Add("sign", sign).Add("sdk", "sandbox-loadtests"));
            var ack = await c.ReceiveAsync(owner._stop.Token) ?? throw new InvalidOperationException("TMC closed the connection before CONNECTACK");
            if (ack.Type != TmcWire.ConnectAck || ack.StatusCode != 0)
                throw new InvalidOperationException($"TMC CONNECT refused: {ack.StatusCode} {ack.StatusPhrase}");
            c._token = ack.Token;
            c._receive = Task.Run(c.ReceiveLoop);
            c._pull = Task.Run(c.PullLoop);
            return c;
        }

        async Task SendAsync(TmcWire message)
        {
            var bytes = message.Encode();
            await _sendLock.WaitAsync();
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        async Task<TmcWire?> ReceiveAsync(CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            using var whole = new MemoryStream();
            while (true)
            {
                var r = await _socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) return null;
                whole.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                if (r.MessageType != WebSocketMessageType.Binary)
                {
                    whole.SetLength(0);
                    continue;
                }
                return TmcWire.Decode(whole.ToArray());
            }
        }

        async Task ReceiveLoop()
        {
            try
            {
                while (await ReceiveAsync(_owner._stop.Token) is { } m)
                {
                    if (m.Type != TmcWire.Send || m["id"] is not long id) continue;
                    _owner.Deliver((string)m["topic"]!, (string)m["content"]!, m["time"] is DateTimeOffset t ? t.ToUnixTimeMilliseconds() : 0);
                    await SendAsync(new TmcWire { Type = TmcWire.Send, Token = _token }.Add("__kind", (sbyte)2).Add("id", id));
                    Interlocked.Increment(ref _owner._confirmed);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
            {
            }
        }

        /// <summary>tmc.js asks for messages every 5 s; the channel also pushes without being asked.</summary>
        async Task PullLoop()
        {
            try
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
                do await SendAsync(new TmcWire { Type = TmcWire.Send, Token = _token }.Add("__kind", (sbyte)1));
                while (await timer.WaitForNextTickAsync(_owner._stop.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
            await Task.WhenAll(_receive, _pull);
            _socket.Dispose();
        }
    }
}
