using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Top.Tmc.Protocol;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// One TMC WebSocket connection and its state machine (spec §3.3.7): OPEN until a valid CONNECT, then READY for
/// pulls, confirms, failed reports and publishes; closed with 1008 on anything a TMC client would not send. Every
/// message goes out whole, in one binary frame, from a single send loop.
/// </summary>
public sealed class TmcConnection
{
    const int MaxMessageBytes = 1024 * 1024;

    abstract record Outgoing;
    sealed record FrameOut(byte[] Bytes) : Outgoing;
    sealed record CloseOut(WebSocketCloseStatus Status, string Reason) : Outgoing;

    readonly WebSocket _ws;
    readonly TmcConnectionServices _s;
    readonly Channel<Outgoing> _out = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    volatile bool _ready;
    volatile bool _closing;
    volatile bool _peerClosed;
    volatile bool _finished;
    byte _version = 2;

    public string Token { get; } = Guid.NewGuid().ToString();
    public Tenant? Tenant { get; private set; }
    public string Group { get; private set; } = TmcSettings.DefaultGroup;
    public TmcQueue? Queue { get; private set; }
    public string? Sdk { get; private set; }
    public string Remote { get; }
    public string Path { get; }
    public DateTimeOffset ConnectedAt { get; }
    public bool IsReady => _ready && !_closing;

    internal TmcConnection(WebSocket ws, TmcConnectionServices services, string remote, string path)
    {
        _ws = ws;
        _s = services;
        Remote = remote;
        Path = path;
        ConnectedAt = services.Clock.RealNow;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var sending = Task.Run(SendLoop, CancellationToken.None);
        // Receives are never cancelled: cancelling one aborts the WebSocket, and a close frame could no longer be sent.
        using var stop = stopping.Register(() => Close(WebSocketCloseStatus.EndpointUnavailable, "server stopping"));
        try
        {
            if (await HandshakeAsync())
            {
                _ready = true;
                _s.Dispatcher.Add(this);
                while (!_closing)
                {
                    var data = await ReceiveAsync();
                    if (data is null) break;
                    Handle(data);
                }
            }
            if (_closing && !_peerClosed) await DrainAsync();
        }
        catch (WebSocketException e)
        {
            // The client went away without a close handshake (or never answered ours): what it held is released below.
            // A frame breaking RFC 6455 (unmasked, reserved bits or opcodes, an oversized or fragmented control frame,
            // invalid UTF-8 in a text frame) made the WebSocket send its close (1002, 1007) and give up; the bytes it did
            // not read would turn the socket's close into a reset that can overtake that close frame at the client, so
            // the client gets a moment to read it (and to close first, as it should).
            if (e.WebSocketErrorCode != WebSocketError.ConnectionClosedPrematurely && !_peerClosed)
            {
                _s.Log.LogInformation("TMC connection from {Remote} broke the WebSocket protocol: {Reason}", Remote, e.Message);
                await Task.Delay(ProtocolErrorLinger, CancellationToken.None);
            }
        }
        finally
        {
            _finished = true;
            _ready = false;
            _s.Dispatcher.Remove(this);
            _out.Writer.TryComplete();
            await sending;
            _ws.Abort();
        }
    }

    /// <summary>OPEN state: the first message must be a valid CONNECT, within the connect timeout.</summary>
    async Task<bool> HandshakeAsync()
    {
        byte[]? first;
        await using (new Timer(_ => Close(WebSocketCloseStatus.PolicyViolation, "no CONNECT received"), null, _s.Options.ConnectTimeout, Timeout.InfiniteTimeSpan))
            first = await ReceiveAsync();
        if (first is null || _closing) return false;
        if (Decode(first) is not { } connect) return false;
        if (connect.Type != TmcMessageType.Connect)
        {
            Close(WebSocketCloseStatus.PolicyViolation, "the first message must be CONNECT");
            return false;
        }
        _version = connect.Version;
        var check = _s.Validator.Check(connect, _s.Clock.RealNow);
        _s.Validator.Journal(connect, check, Remote, Path);
        if (check.Refusal is { } refusal)
        {
            Send(TmcFrames.Refusal(_version, refusal.Status, refusal.Phrase, connect.Flag));
            Close(WebSocketCloseStatus.PolicyViolation, refusal.Phrase);
            return false;
        }
        Tenant = check.Tenant;
        Group = check.Group!;
        Sdk = connect.Text("sdk");
        Queue = _s.Queues.Queue(Tenant!.Id, Group);
        Send(TmcFrames.ConnectAck(_version, Token, connect.Flag));
        return true;
    }

    /// <summary>READY state.</summary>
    void Handle(byte[] data)
    {
        if (Decode(data) is not { } f) return;
        if (f.Type is TmcMessageType.Connect or TmcMessageType.ConnectAck)
        {
            Close(WebSocketCloseStatus.PolicyViolation, "already connected");
            return;
        }
        if (f.Token != Token)
        {
            Close(WebSocketCloseStatus.PolicyViolation, "unknown token");
            return;
        }
        var kind = f.Integer(TmcKind.Header);
        var settings = TmcSettings.For(Tenant!);
        switch (f.Type, kind)
        {
            case (TmcMessageType.Send, TmcKind.PullRequest):
                _s.Dispatcher.Schedule(Queue!);
                break;
            case (TmcMessageType.Send, TmcKind.Confirm):
                if (f.Integer("id") is { } confirmed) _s.Queues.Confirm(Queue!, confirmed);
                break;
            case (TmcMessageType.SendAck, TmcKind.Failed):
                if (f.Integer("id") is { } failed) _s.Queues.Fail(Queue!, failed, settings.FailedRetryDelay);
                break;
            case (TmcMessageType.Send, TmcKind.Data):
                // A client publish (Java TmcClient.send waits 2 s for this reply); the sandbox produces its own messages.
                Send(TmcFrames.SendAck(_version, Token, f.Flag));
                break;
            default:
                // Java's toplink answers a message its handler failed on with a status SENDACK and no kind: nothing to do.
                _s.Log.LogDebug("TMC {Tenant}/{Group}: ignored {Type} kind {Kind} status {Status} {Phrase}", Tenant!.Id, Group, f.Type, kind, f.StatusCode, f.StatusPhrase);
                break;
        }
    }

    TmcFrame? Decode(byte[] data)
    {
        try
        {
            return TmcCodec.Decode(data);
        }
        catch (TmcFormatException e)
        {
            Close(WebSocketCloseStatus.PolicyViolation, "malformed TMC message: " + e.Message);
            return null;
        }
    }

    /// <summary>Queues pushes of messages the dispatcher handed to this connection.</summary>
    internal void Push(List<TmcMessage> messages, long nowMs)
    {
        foreach (var m in messages) Send(TmcFrames.Data(_version, Token, m, m.Retried, nowMs));
    }

    void Send(TmcFrame frame) => _out.Writer.TryWrite(new FrameOut(TmcCodec.Encode(frame)));

    /// <summary>
    /// Sends a close frame after what is queued; the connection ends when the client answers, or is dropped when it has
    /// not answered within <see cref="CloseGrace"/>.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (_closing) return;
        _closing = true;
        // A close reason is at most 123 bytes of UTF-8.
        var text = reason.Length > 60 ? reason[..60] : reason;
        _out.Writer.TryWrite(new CloseOut(status, text));
        _ = Task.Delay(CloseGrace).ContinueWith(_ =>
        {
            if (_peerClosed || _finished) return;
            try
            {
                _ws.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The connection ended meanwhile.
            }
        }, TaskScheduler.Default);
    }

    static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    static readonly TimeSpan ProtocolErrorLinger = TimeSpan.FromSeconds(1);

    async Task SendLoop()
    {
        try
        {
            await foreach (var o in _out.Reader.ReadAllAsync())
            {
                if (o is FrameOut f) await _ws.SendAsync(f.Bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                else if (o is CloseOut c)
                {
                    if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await _ws.CloseOutputAsync(c.Status, c.Reason, CancellationToken.None);
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _closing = true;
        }
    }

    /// <summary>One whole message; null when the client closed. A text message or an oversized one closes the connection.</summary>
    async Task<byte[]?> ReceiveAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            // Most messages (pulls, confirms) fit one read: the stream is only for the rare large or fragmented one.
            MemoryStream? whole = null;
            while (true)
            {
                var r = await _ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    _peerClosed = true;
                    if (!_closing) Close(_ws.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "bye");
                    return null;
                }
                if (r.EndOfMessage && whole is null)
                {
                    if (r.MessageType == WebSocketMessageType.Text) return TextRefused();
                    return buffer.AsSpan(0, r.Count).ToArray();
                }
                whole ??= new MemoryStream();
                whole.Write(buffer, 0, r.Count);
                if (whole.Length > MaxMessageBytes)
                {
                    Close(WebSocketCloseStatus.MessageTooBig, "message over 1 MB");
                    return null;
                }
                if (!r.EndOfMessage) continue;
                if (r.MessageType == WebSocketMessageType.Text) return TextRefused();
                return whole.ToArray();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// After our close frame: reads and discards whatever the client still sends (the rest of an oversized message, a
    /// text frame) until its close, or until <see cref="CloseGrace"/> aborts. Aborting with unread bytes would reset the
    /// TCP connection, and the client could lose the close frame explaining why.
    /// </summary>
    async Task DrainAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var r = await _ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    _peerClosed = true;
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    byte[]? TextRefused()
    {
        Close(WebSocketCloseStatus.PolicyViolation, "TMC messages are binary");
        return null;
    }
}

/// <summary>What a connection needs from the server.</summary>
internal sealed record TmcConnectionServices(
    TmcQueues Queues, TmcDispatcher Dispatcher, TmcConnectValidator Validator, VirtualClock Clock, TmcOptions Options, ILogger Log);
