using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// A connection's transport as Kestrel sees it, so that a request Kestrel refuses before the application sees it — a
/// malformed request line (raw non-ASCII bytes, a missing version), an invalid header, a request line over 8 KB (414),
/// a header block over 32 KB (431), an unsupported HTTP version (505) — is answered in its supplier's format instead
/// of with Kestrel's empty body. Kestrel's limits stay: they are those of Tomcat, which fronts the real systems.
/// <para>
/// Reading, it notes the path of the request line at each request boundary (what Kestrel reads starts there). Writing,
/// it passes the application's responses straight through; what is written while no request is in the application —
/// <see cref="FrontDoorMiddleware"/> counts requests in and out — is Kestrel's own, held until flushed and, when it is
/// Kestrel's bodiless refusal, replaced by the supplier's reply to that status, with one warning line in the log.
/// </para>
/// </summary>
sealed class RefusalPipe : IDuplexPipe
{
    const string ItemKey = "sandbox.refusals";

    readonly string _listener;
    readonly FrontDoor _doors;
    readonly ILogger _log;
    int _requestsSeen;
    int _requestsCompleted;
    Sighting? _sighting;

    /// <summary>A request line as read: where it starts, its path (null if it has none yet), and how many requests the application had seen then.</summary>
    sealed record Sighting(long Offset, string? Path, bool Complete, int SeenBefore);

    RefusalPipe(IDuplexPipe transport, string listener, FrontDoor doors, ILogger log)
    {
        _listener = listener;
        _doors = doors;
        _log = log;
        Input = new Reader(transport.Input, this);
        Output = new Writer(transport.Output, this);
    }

    public PipeReader Input { get; }
    public PipeWriter Output { get; }

    public static void Attach(ConnectionContext connection, string listener, FrontDoor doors, ILogger log)
    {
        var pipe = new RefusalPipe(connection.Transport, listener, doors, log);
        connection.Transport = pipe;
        connection.Items[ItemKey] = pipe;
    }

    public static RefusalPipe? Of(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var pipe) == true ? pipe as RefusalPipe : null;

    /// <summary>A request entered the application: its response is the application's until <see cref="Completed"/> runs.</summary>
    public void RequestReachedApplication(HttpResponse response)
    {
        Interlocked.Increment(ref _requestsSeen);
        response.OnCompleted(Completed, this);
    }

    /// <summary>Runs once Kestrel has written the whole response, before it reads the next request.</summary>
    static Task Completed(object pipe)
    {
        Interlocked.Increment(ref ((RefusalPipe)pipe)._requestsCompleted);
        return Task.CompletedTask;
    }

    /// <summary>No request is in the application: whatever is written now is Kestrel's own.</summary>
    bool Idle => Volatile.Read(ref _requestsCompleted) == Volatile.Read(ref _requestsSeen);

    void Sight(in ReadOnlySequence<byte> buffer, long offset)
    {
        var last = _sighting;
        if (buffer.IsEmpty || (last is not null && last.Offset == offset && last.Complete)) return;
        var line = RequestLine.Peek(buffer);
        if (line.IsLine) _sighting = new Sighting(offset, line.Path, line.Complete, Volatile.Read(ref _requestsSeen));
        else if (last is not null && last.Offset == offset) _sighting = null;
    }

    /// <summary>What to write instead of <paramref name="written"/>, Kestrel's own output, when it is its refusal of a request.</summary>
    byte[]? Replacement(ReadOnlySpan<byte> written)
    {
        if (written.Length < 16 || !written.StartsWith("HTTP/1."u8) || written[8] != (byte)' ') return null;
        var status = (written[9] - '0') * 100 + (written[10] - '0') * 10 + (written[11] - '0');
        if (status is < 400 or > 599) return null;
        var end = written.IndexOf("\r\n\r\n"u8);
        if (end < 0 || end + 4 != written.Length) return null;
        var head = Encoding.Latin1.GetString(written[..(end + 2)]);
        if (!head.Contains("\r\nContent-Length: 0\r\n", StringComparison.OrdinalIgnoreCase)) return null;

        var sighting = _sighting;
        var path = sighting is not null && sighting.SeenBefore == Volatile.Read(ref _requestsSeen) ? sighting.Path : null;
        var reason = FrontDoor.Reason(status);
        var protocol = _doors.Find(_listener, path);
        // The client's mistake, not the server's: one line, no stack trace (Kestrel's own account is at Debug level).
        _log.LogWarning("Refused a request on listener {Listener} before routing ({Reason}); answered {Answer}",
            _listener, reason, protocol is null ? "with an empty body" : "in the " + protocol.Supplier + " format");
        if (protocol is null) return null;

        var reply = protocol.Refusal(status, reason);
        var sb = new StringBuilder(head.Length + 64);
        var lines = head.Split("\r\n");
        sb.Append(lines[0]).Append("\r\nContent-Type: ").Append(reply.ContentType).Append("\r\nContent-Length: ").Append(reply.Body.Length).Append("\r\n");
        foreach (var header in lines.AsSpan(1))
            if (header.Length > 0 && !header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                && !header.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))
                sb.Append(header).Append("\r\n");
        sb.Append("\r\n");
        var replacement = new byte[Encoding.Latin1.GetByteCount(sb.ToString()) + reply.Body.Length];
        var n = Encoding.Latin1.GetBytes(sb.ToString(), replacement);
        reply.Body.CopyTo(replacement, n);
        return replacement;
    }

    sealed class Reader(PipeReader inner, RefusalPipe owner) : PipeReader
    {
        ReadOnlySequence<byte> _buffer;
        long _offset;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var pending = inner.ReadAsync(cancellationToken);
            if (!pending.IsCompletedSuccessfully) return Awaited(pending);
            var result = pending.Result;
            Observe(result.Buffer);
            return new(result);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        async ValueTask<ReadResult> Awaited(ValueTask<ReadResult> pending)
        {
            var result = await pending;
            Observe(result.Buffer);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result)) return false;
            Observe(result.Buffer);
            return true;
        }

        void Observe(in ReadOnlySequence<byte> buffer)
        {
            _buffer = buffer;
            owner.Sight(buffer, _offset);
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _offset += _buffer.Slice(_buffer.Start, consumed).Length;
            _buffer = default;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }

    sealed class Writer(PipeWriter inner, RefusalPipe owner) : PipeWriter
    {
        readonly ArrayBufferWriter<byte> _held = new(256);
        bool _holding;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            _holding = _held.WrittenCount > 0 || owner.Idle;
            return _holding ? _held.GetMemory(sizeHint) : inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (_holding) _held.Advance(bytes);
            else inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        /// <summary>Writes what was held (Kestrel's own output), or the supplier's reply in place of Kestrel's refusal.</summary>
        void Release()
        {
            if (_held.WrittenCount == 0) return;
            var written = _held.WrittenSpan;
            if (owner.Replacement(written) is { } replacement) written = replacement;
            written.CopyTo(inner.GetSpan(written.Length));
            inner.Advance(written.Length);
            _held.ResetWrittenCount();
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            return inner.CompleteAsync(exception);
        }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + _held.WrittenCount;
    }
}
