using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Callbacks;

/// <summary>
/// Delivers callbacks from the durable outbox: at least once, in order per entity (the next callback of an
/// entity waits until the previous one was acknowledged or given up), with the supplier's acknowledgement
/// contract and retry schedule on the tenant's virtual clock. Every attempt goes to the delivery log, with the URL it
/// went to and the virtual instant it was due at.
/// </summary>
public sealed class CallbackDispatcher : IAsyncDisposable
{
    readonly IStore _store;
    readonly VirtualClock _clock;
    readonly VirtualScheduler _scheduler;
    readonly TenantRegistry _tenants;
    readonly ScenarioCatalog _scenarios;
    readonly HttpClient _http;
    readonly Dictionary<string, CallbackContract> _contracts = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<(string Tenant, string Entity), LinkedList<OutboxItem>> _queues = new();
    // Ids in the queues: a callback heard of twice (from the store on becoming a tenant's home, and from the replica that
    // wrote it) is queued once.
    readonly HashSet<long> _queued = [];
    readonly IReplicas _replicas;
    readonly Lock _gate = new();
    readonly SemaphoreSlim _inFlight = new(512);
    readonly ILogger _log;

    static readonly CallbackContract Http2xx = new((s, _) => s is >= 200 and < 300, [TimeSpan.FromMinutes(1)], TimeSpan.FromSeconds(10));

    public CallbackDispatcher(IStore store, VirtualClock clock, VirtualScheduler scheduler, TenantRegistry tenants,
        ScenarioCatalog scenarios, CallbackHosts hosts, IReplicas replicas, ILogger<CallbackDispatcher> log)
    {
        _replicas = replicas;
        _store = store;
        _clock = clock;
        _scheduler = scheduler;
        _tenants = tenants;
        _scenarios = scenarios;
        _log = log;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 256,
            AllowAutoRedirect = false,
            ConnectCallback = hosts.ConnectAsync,
        }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void RegisterContract(string supplier, CallbackContract contract) => _contracts[supplier] = contract;

    /// <summary>Writes the callback to the outbox in the caller's transaction; delivery starts once it committed.</summary>
    public long Enqueue(UnitOfWork uow, CallbackMessage m)
    {
        var id = _store.NextOutboxId();
        var now = _clock.NowMs(m.Tenant);
        var item = new OutboxItem(new OutboxRow(id, m.Tenant, m.Supplier, m.EntityKey, m.Name, m.Target.Url ?? ResolveTenantUrl(m.Tenant, m.Supplier, m.Target.TenantSuffix),
            m.Target.TenantSuffix, m.Method, m.ContentType, m.Body, "pending", 0, now, _clock.RealNow.ToUnixTimeMilliseconds(), now, null));
        var row = item.Row;
        uow.Add(w => w.InsertOutbox(row));
        uow.AfterCommit(() => Admit(item));
        return id;
    }

    string? ResolveTenantUrl(string tenant, string supplier, string? suffix) =>
        suffix is not null && _tenants.Find(tenant)?.CallbackUrl(supplier) is { Length: > 0 } url ? CallbackTarget.Join(url, suffix) : null;

    /// <summary>
    /// Rebuilds the queues from the outbox after a restart (or, with <paramref name="tenant"/>, when this replica became the
    /// tenant's home): every pending callback is still owed.
    /// </summary>
    public void Recover(string? tenant = null)
    {
        var pending = _store.PendingOutbox(tenant);
        foreach (var row in pending) AdmitRow(row);
        if (pending.Count > 0) _log.LogInformation("recovered {Count} pending callbacks", pending.Count);
    }

    /// <summary>A callback another replica wrote for a tenant this replica is home of.</summary>
    public void AdmitStored(long id)
    {
        if (_store.QueryOutbox(new OutboxFilter(Id: id, Limit: 1)) is [{ Status: "pending" } row]) AdmitRow(row);
    }

    void AdmitRow(OutboxRow row) => Admit(new OutboxItem(row) { Attempts = row.Attempts, NextDueVirtualMs = row.NextDueVirtualMs });

    /// <summary>Only a tenant's home delivers its callbacks (in order per entity); elsewhere the row waits in the outbox.</summary>
    void Admit(OutboxItem item)
    {
        if (!_replicas.IsHome(item.Tenant)) return;
        lock (_gate)
            if (!_queued.Add(item.Id))
                return;
        var chaos = ChaosFor(item.Tenant, item.Supplier);
        if (chaos.Reorder)
        {
            // Chaos: no head-of-line ordering, and a random hold so that callbacks overtake each other.
            item.ChaosHold = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 500));
            Schedule(item);
            return;
        }
        bool head;
        lock (_gate)
        {
            var key = (item.Tenant, item.EntityKey);
            if (!_queues.TryGetValue(key, out var q)) _queues[key] = q = new LinkedList<OutboxItem>();
            q.AddLast(item);
            head = q.Count == 1;
        }
        if (head) Schedule(item);
    }

    void Schedule(OutboxItem item)
    {
        if (_replicas.IsHome(item.Tenant)) _scheduler.At(item.Tenant, item.NextDueVirtualMs, WorkKind.Callback, () => DeliverAsync(item));
    }

    /// <summary>Removes a finished callback from its entity queue and starts the next one.</summary>
    void Finish(OutboxItem item)
    {
        OutboxItem? next = null;
        lock (_gate)
        {
            var key = (item.Tenant, item.EntityKey);
            _queued.Remove(item.Id);
            if (_queues.TryGetValue(key, out var q))
            {
                q.Remove(item);
                if (q.Count == 0) _queues.Remove(key);
                else next = q.First!.Value;
            }
        }
        if (next is not null)
        {
            // The next callback of the entity was due no earlier than the one before it finished.
            next.NextDueVirtualMs = Math.Max(next.NextDueVirtualMs, _clock.NowMs(next.Tenant));
            Schedule(next);
        }
    }

    CallbackChaos ChaosFor(string tenant, string supplier)
    {
        var t = _tenants.Find(tenant);
        return t is null ? CallbackChaos.None : _scenarios.Find(supplier, t.ScenarioSet(supplier))?.Chaos ?? CallbackChaos.None;
    }

    IReadOnlyList<TimeSpan> RetrySchedule(OutboxItem item, CallbackContract contract)
    {
        var t = _tenants.Find(item.Tenant);
        return (t is null ? null : _scenarios.Find(item.Supplier, t.ScenarioSet(item.Supplier))?.RetrySchedule) ?? contract.RetrySchedule;
    }

    CallbackContract ContractOf(string supplier) => _contracts.GetValueOrDefault(supplier) ?? Http2xx;

    /// <summary>The URL an attempt goes to: the request's own, or the tenant's callback URL as configured now.</summary>
    string? UrlNow(OutboxItem item) => item.Row.TenantSuffix is { } suffix ? ResolveTenantUrl(item.Tenant, item.Supplier, suffix) : item.Row.Url;

    async Task DeliverAsync(OutboxItem item)
    {
        if (_tenants.Find(item.Tenant) is null) return;
        // The attempt's instant: the retry schedule counts from it, the delivery log records it.
        var dueV = _clock.NowMs(item.Tenant);
        var contract = ContractOf(item.Supplier);
        var chaos = ChaosFor(item.Tenant, item.Supplier);
        await _inFlight.WaitAsync();
        try
        {
            if (item.ChaosHold > TimeSpan.Zero) await Task.Delay(item.ChaosHold);
            if (chaos.Delay > TimeSpan.Zero) await Task.Delay(chaos.Delay);
            item.Attempts++;
            var url = UrlNow(item);
            Attempt result;
            if (chaos.DropFirst && item.Attempts == 1)
                result = new Attempt(url, null, null, 0, "dropped by scenario chaos (dropFirst)", false);
            else
            {
                result = await SendAsync(item, url, item.Attempts, contract);
                if (result.Acknowledged && chaos.Duplicate > 0 && Random.Shared.NextDouble() < chaos.Duplicate)
                    await SendAsync(item, url, item.Attempts, contract);
            }
            await RecordAsync(item, contract, result, dueV);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    async Task<Attempt> SendAsync(OutboxItem item, string? url, int attempt, CallbackContract contract)
    {
        if (string.IsNullOrEmpty(url))
            return new Attempt(url, null, null, 0, $"no callback URL configured for {item.Supplier} (tenant callbacks.{item.Supplier})", false);
        var sw = Stopwatch.StartNew();
        try
        {
            using var req = new HttpRequestMessage(new HttpMethod(item.Row.Method), url);
            if (item.Row.Method != "GET")
            {
                req.Content = new ByteArrayContent(item.Row.Body);
                req.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(item.Row.ContentType);
            }
            req.Headers.TryAddWithoutValidation("X-Sandbox-Callback-Id", item.Id.ToString());
            req.Headers.TryAddWithoutValidation("X-Sandbox-Attempt", attempt.ToString());
            req.Headers.TryAddWithoutValidation("X-Sandbox-Emitted-At", item.Row.EmittedVirtualMs.ToString());
            using var cts = new CancellationTokenSource(contract.Timeout);
            using var resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var body = await ReadLimitedAsync(resp, cts.Token);
            var status = (int)resp.StatusCode;
            return new Attempt(url, status, body, sw.Elapsed.TotalMilliseconds, null, contract.IsAcknowledged(status, body));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or InvalidOperationException
                                      or UriFormatException or IOException)
        {
            var reason = e is TaskCanceledException or OperationCanceledException ? $"timeout after {contract.Timeout.TotalSeconds}s" : e.Message;
            return new Attempt(url, null, null, sw.Elapsed.TotalMilliseconds, reason, false);
        }
    }

    static async Task<string> ReadLimitedAsync(HttpResponseMessage resp, CancellationToken ct)
    {
        var bytes = await resp.Content.ReadAsByteArrayAsync(ct);
        return Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
    }

    async Task RecordAsync(OutboxItem item, CallbackContract contract, Attempt a, long dueV)
    {
        var schedule = RetrySchedule(item, contract);
        string status, outcome;
        if (a.Acknowledged)
        {
            status = "delivered";
            outcome = "acknowledged";
        }
        else if (item.Attempts <= schedule.Count)
        {
            status = "pending";
            outcome = "retry";
            item.NextDueVirtualMs = dueV + (long)schedule[item.Attempts - 1].TotalMilliseconds;
        }
        else
        {
            status = "abandoned";
            outcome = "gave-up";
        }
        var error = a.Error ?? (a.Acknowledged ? null : $"not acknowledged (HTTP {a.HttpStatus}): {Truncate(a.Body, 200)}");
        var realMs = _clock.RealNow.ToUnixTimeMilliseconds();
        var attempts = item.Attempts;
        var next = item.NextDueVirtualMs;
        await _store.Write(w =>
        {
            w.InsertDelivery(item.Id, item.Tenant, attempts, realMs, dueV, a.Url, a.HttpStatus, a.Body, a.LatencyMs, error, outcome);
            w.UpdateOutbox(item.Id, status, attempts, next, a.Url, error);
        });
        if (status == "pending") Schedule(item);
        else Finish(item);
    }

    /// <summary>Sends a logged callback once more, now, outside its queue; the attempt goes to the delivery log.</summary>
    public async Task<JsonObject?> RedeliverAsync(long id)
    {
        if (_store.QueryOutbox(new OutboxFilter(Id: id, Limit: 1)) is not [var row]) return null;
        var item = new OutboxItem(row);
        var attempt = row.Attempts + 1;
        var url = UrlNow(item);
        // A callback first logged without a URL goes to the URL the tenant has configured since.
        url ??= _tenants.Find(row.Tenant)?.CallbackUrl(row.Supplier);
        var a = await SendAsync(item, url, attempt, ContractOf(row.Supplier));
        var nowV = _clock.NowMs(row.Tenant);
        var realMs = _clock.RealNow.ToUnixTimeMilliseconds();
        var status = a.Acknowledged && row.Status != "pending" ? "delivered" : row.Status;
        var error = a.Error ?? (a.Acknowledged ? null : $"not acknowledged (HTTP {a.HttpStatus})");
        await _store.Write(w =>
        {
            w.InsertDelivery(id, row.Tenant, attempt, realMs, nowV, a.Url, a.HttpStatus, a.Body, a.LatencyMs, error,
                a.Acknowledged ? "redelivered" : "redelivery-failed");
            w.UpdateOutbox(id, status, attempt, row.NextDueVirtualMs, a.Url, error);
        });
        return Get(id);
    }

    public JsonObject? Get(long id) => Query(null, null, null, id, 1).FirstOrDefault() as JsonObject;

    /// <summary>The delivery log: callbacks with every attempt.</summary>
    public JsonArray Query(string? tenant, string? status, string? entity, long? id, int limit) =>
        new(_store.QueryOutbox(new OutboxFilter(tenant, status, entity, id, limit)).Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id, ["tenant"] = r.Tenant, ["supplier"] = r.Supplier, ["entity"] = r.Entity, ["name"] = r.Name, ["url"] = r.Url,
            ["target"] = r.TenantSuffix is null ? "request" : "tenant",
            ["method"] = r.Method, ["contentType"] = r.ContentType, ["body"] = Encoding.UTF8.GetString(r.Body), ["status"] = r.Status,
            ["attempts"] = r.Attempts, ["nextDueVirtualMs"] = r.NextDueVirtualMs,
            ["createdAt"] = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedMs).ToString("O"),
            ["emittedAt"] = DateTimeOffset.FromUnixTimeMilliseconds(r.EmittedVirtualMs).ToString("O"),
            ["lastError"] = r.LastError,
            ["deliveries"] = new JsonArray(_store.Deliveries(r.Id).Select(d => (JsonNode)new JsonObject
            {
                ["attempt"] = d.Attempt,
                ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(d.AtMs).ToString("O"),
                ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(d.VirtualMs).ToString("O"),
                ["url"] = d.Url,
                ["httpStatus"] = d.HttpStatus,
                ["response"] = d.Response,
                ["latencyMs"] = Math.Round(d.LatencyMs, 2),
                ["error"] = d.Error,
                ["outcome"] = d.Outcome,
            }).ToArray()),
        }).ToArray());

    public void ForgetTenant(string tenant)
    {
        lock (_gate)
            foreach (var k in _queues.Keys.Where(k => k.Tenant == tenant).ToList())
            {
                foreach (var item in _queues[k]) _queued.Remove(item.Id);
                _queues.Remove(k);
            }
    }

    static string? Truncate(string? s, int n) => s is null || s.Length <= n ? s : s[..n] + "…";

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    sealed record Attempt(string? Url, int? HttpStatus, string? Body, double LatencyMs, string? Error, bool Acknowledged);

    sealed class OutboxItem(OutboxRow row)
    {
        public OutboxRow Row { get; } = row;
        public long Id => Row.Id;
        public string Tenant => Row.Tenant;
        public string Supplier => Row.Supplier;
        public string EntityKey => Row.Entity;
        public int Attempts { get; set; }
        public long NextDueVirtualMs { get; set; } = row.NextDueVirtualMs;
        public TimeSpan ChaosHold { get; set; }
    }
}
