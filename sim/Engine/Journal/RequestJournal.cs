using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Sandbox.Engine.Storage;

namespace Sandbox.Engine.Journal;

/// <summary>
/// One request as the journal keeps it. Bodies travel as bytes or text and are decoded and clipped by the
/// background writer, not on the request path.
/// </summary>
public sealed record JournalEntry(
    long AtMs, string? Tenant, string Supplier, string? Operation, string Method, string Path, string? Query, int HttpStatus,
    string? ResultCode, string Signature, long DurationUs, string? Entity,
    string? RequestText, byte[]? RequestBytes, string? ResponseText, byte[]? ResponseBytes, string? Diagnostic);

public sealed class JournalOptions
{
    public long MaxRows { get; set; } = 200_000;
    public int MaxBodyChars { get; set; } = 4096;
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// The request journal. Requests hand their entry to a bounded channel and move on; one background loop
/// writes entries to the store in batches and keeps the table bounded. When the channel is full, entries are
/// dropped and counted rather than slowing the supplier API down.
/// </summary>
public sealed class RequestJournal : IAsyncDisposable
{
    readonly IJournalStore _store;
    readonly JournalOptions _options;
    readonly Channel<JournalEntry> _channel = Channel.CreateBounded<JournalEntry>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    readonly Task _loop;
    readonly ConcurrentDictionary<(string Tenant, string Supplier, string Operation), Counters> _counters = new();
    readonly ConcurrentDictionary<string, IReadOnlyCollection<string>> _successCodes = new(StringComparer.OrdinalIgnoreCase);
    static readonly IReadOnlyCollection<string> DefaultSuccess = ["0"];
    long _dropped;

    public RequestJournal(IJournalStore store, JournalOptions options)
    {
        _store = store;
        _options = options;
        _loop = Task.Run(Loop);
    }

    /// <summary>The result codes that mean success in <paramref name="supplier"/>'s replies (default "0").</summary>
    public void RegisterSuccessCodes(string supplier, IReadOnlyCollection<string> codes) => _successCodes[supplier] = codes;

    /// <summary>An error is an HTTP 5xx, no answer at all, or a result code the supplier does not count as success.</summary>
    public bool IsError(string supplier, int httpStatus, string? resultCode) =>
        httpStatus is >= 500 or 0 || (resultCode is not null && !_successCodes.GetValueOrDefault(supplier, DefaultSuccess).Contains(resultCode));

    public void Record(JournalEntry e)
    {
        var c = _counters.GetOrAdd((e.Tenant ?? "-", e.Supplier, e.Operation ?? "-"), _ => new Counters());
        Interlocked.Increment(ref c.Requests);
        if (e.Signature == "failed") Interlocked.Increment(ref c.SignatureFailures);
        if (e.Signature == "ok") Interlocked.Increment(ref c.SignatureVerified);
        if (IsError(e.Supplier, e.HttpStatus, e.ResultCode)) Interlocked.Increment(ref c.Errors);
        if (!_options.Enabled) return;
        if (!_channel.Writer.TryWrite(e)) Interlocked.Increment(ref _dropped);
    }

    async Task Loop()
    {
        var batch = new List<JournalEntry>(1024);
        while (await _channel.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 5000 && _channel.Reader.TryRead(out var e)) batch.Add(e);
            var rows = batch.Select(Row).ToArray();
            try
            {
                // Every batch trims what it pushed past the bound, in the same transaction: the table stays at MaxRows by
                // deleting as many rows as it inserts. Pruning 20,000 rows at once stalled the two cores the requests
                // share with it (a p99 of 286 ms on GetBalance once the journal first reached its bound); an empty
                // range costs one index seek.
                await _store.Append(rows, _options.MaxRows);
            }
            catch (Exception)
            {
                Interlocked.Add(ref _dropped, rows.Length);
            }
        }
    }

    JournalRecord Row(JournalEntry e) => new(
        e.AtMs, e.Tenant, e.Supplier, e.Operation, e.Method, e.Path + e.Query, e.HttpStatus, e.ResultCode, IsError(e.Supplier, e.HttpStatus, e.ResultCode),
        e.Signature, e.DurationUs, e.Entity, Body(e.RequestText, e.RequestBytes), Body(e.ResponseText, e.ResponseBytes),
        e.Diagnostic is { } d && d.Length > _options.MaxBodyChars ? d[.._options.MaxBodyChars] + "…" : e.Diagnostic);

    /// <summary>Bodies are stored as UTF-8 bytes, clipped: no decoding on the way in, only when someone reads them.</summary>
    byte[]? Body(string? text, byte[]? bytes)
    {
        var max = _options.MaxBodyChars;
        if (text is not null) return Encoding.UTF8.GetBytes(text.Length <= max ? text : text[..max] + "…");
        if (bytes is null || bytes.Length <= max) return bytes;
        return [.. bytes.AsSpan(0, max), .. "…"u8];
    }

    public JsonObject Counts(string? tenant)
    {
        var list = new JsonArray();
        foreach (var ((t, s, o), c) in _counters.OrderBy(k => k.Key.Tenant).ThenBy(k => k.Key.Supplier).ThenBy(k => k.Key.Operation))
        {
            if (tenant is not null && t != tenant) continue;
            list.Add(new JsonObject
            {
                ["tenant"] = t, ["supplier"] = s, ["operation"] = o, ["requests"] = c.Requests,
                ["signatureVerified"] = c.SignatureVerified, ["signatureFailures"] = c.SignatureFailures, ["errors"] = c.Errors,
            });
        }
        return new JsonObject { ["operations"] = list, ["dropped"] = Interlocked.Read(ref _dropped) };
    }

    public JsonArray Query(string? tenant, string? supplier, string? operation, string? entity, int limit) =>
        Query(new JournalFilter(tenant, supplier, operation, entity, Limit: limit));

    public JsonArray Query(JournalFilter filter) =>
        new(_store.Query(filter).Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs).ToString("O"),
            ["tenant"] = r.Tenant,
            ["supplier"] = r.Supplier,
            ["operation"] = r.Operation,
            ["method"] = r.Method,
            ["path"] = r.Path,
            ["httpStatus"] = r.HttpStatus,
            ["resultCode"] = r.ResultCode,
            ["result"] = r.Error ? "error" : "ok",
            ["signature"] = r.Signature,
            ["durationMs"] = r.DurationUs / 1000.0,
            ["entity"] = r.Entity,
            ["request"] = r.Request,
            ["response"] = r.Response,
            ["diagnostic"] = r.Diagnostic,
        }).ToArray());

    /// <summary>Waits until everything recorded so far is in the store (tests and the admin API read it back).</summary>
    public async Task FlushAsync()
    {
        while (_channel.Reader.Count > 0) await Task.Delay(5);
        await _store.Flush();
    }

    public async Task ForgetTenantAsync(string tenant)
    {
        foreach (var k in _counters.Keys.Where(k => k.Tenant == tenant)) _counters.TryRemove(k, out _);
        await _store.DeleteTenant(tenant);
    }

    /// <summary>The journal owns its file: closing the journal closes it.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop;
        await _store.DisposeAsync();
    }

    sealed class Counters
    {
        public long Requests, SignatureVerified, SignatureFailures, Errors;
    }
}
