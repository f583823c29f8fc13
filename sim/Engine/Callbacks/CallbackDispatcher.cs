using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Callbacks;

/// <summary>
/// Delivers callbacks from the durable outbox: at least once, in order per entity (the next callback of an
/// entity waits until the previous one was acknowledged or given up), with the supplier's acknowledgement
/// contract and retry schedule on the tenant's virtual clock. Every attempt goes to the delivery log.
/// </summary>
public sealed class CallbackDispatcher : IAsyncDisposable
{
    readonly SqliteStore _store;
    readonly VirtualClock _clock;
    readonly VirtualScheduler _scheduler;
    readonly TenantRegistry _tenants;
    readonly ScenarioCatalog _scenarios;
    readonly ILogger _log;
    readonly HttpClient _http;
    readonly ConcurrentDictionary<string, CallbackContract> _contracts = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<(string Tenant, string Entity), LinkedList<OutboxItem>> _queues = new();
    readonly Lock _gate = new();
    readonly SemaphoreSlim _inFlight = new(512);
    long _nextId;

    public CallbackDispatcher(SqliteStore store, VirtualClock clock, VirtualScheduler scheduler, TenantRegistry tenants,
        ScenarioCatalog scenarios, ILogger<CallbackDispatcher> log)
    {
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
        }) { Timeout = Timeout.InfiniteTimeSpan };
        using var c = store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(id), 0) FROM outbox";
        _nextId = Convert.ToInt64(cmd.ExecuteScalar());
    }

    public void RegisterContract(string supplier, CallbackContract contract) => _contracts[supplier] = contract;

    /// <summary>Writes the callback to the outbox in the caller's transaction; delivery starts once it committed.</summary>
    public long Enqueue(UnitOfWork uow, CallbackMessage m)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tenant = _tenants.Find(m.Tenant);
        var url = m.Url ?? tenant?.CallbackUrl(m.Supplier);
        var now = _clock.NowMs(m.Tenant);
        var item = new OutboxItem(id, m.Tenant, m.Supplier, m.EntityKey, m.Name, url, m.Method, m.ContentType, m.Body,
            _clock.RealNow.ToUnixTimeMilliseconds()) { NextDueVirtualMs = now };
        uow.Add(w => w.InsertOutbox(id, m.Tenant, m.Supplier, m.EntityKey, m.Name, url, m.Method, m.ContentType, m.Body, "pending", now, item.CreatedMs));
        uow.AfterCommit(() => Admit(item));
        return id;
    }

    /// <summary>Rebuilds the queues from the outbox after a restart: every pending callback is still owed.</summary>
    public void Recover()
    {
        using var c = _store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, tenant, supplier, entity, name, url, method, content_type, body, attempts, next_due_virtual_ms, created_ms FROM outbox WHERE status = 'pending' ORDER BY id";
        using var r = cmd.ExecuteReader();
        var count = 0;
        while (r.Read())
        {
            var item = new OutboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetString(7), (byte[])r[8], r.GetInt64(11))
            {
                Attempts = r.GetInt32(9),
                NextDueVirtualMs = r.GetInt64(10),
            };
            Admit(item);
            count++;
        }
        if (count > 0) _log.LogInformation("recovered {Count} pending callbacks", count);
    }

    void Admit(OutboxItem item)
    {
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

    void Schedule(OutboxItem item) => _scheduler.At(item.Tenant, item.NextDueVirtualMs, () => DeliverAsync(item));

    /// <summary>Removes a finished callback from its entity queue and starts the next one.</summary>
    void Finish(OutboxItem item)
    {
        OutboxItem? next = null;
        lock (_gate)
        {
            var key = (item.Tenant, item.EntityKey);
            if (_queues.TryGetValue(key, out var q))
            {
                q.Remove(item);
                if (q.Count == 0) _queues.Remove(key);
                else next = q.First!.Value;
            }
        }
        if (next is not null) Schedule(next);
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

    async Task DeliverAsync(OutboxItem item)
    {
        if (_tenants.Find(item.Tenant) is null) return;
        var contract = _contracts.GetValueOrDefault(item.Supplier)
                       ?? new CallbackContract((s, _) => s is >= 200 and < 300, [TimeSpan.FromMinutes(1)], TimeSpan.FromSeconds(10));
        var chaos = ChaosFor(item.Tenant, item.Supplier);
        await _inFlight.WaitAsync();
        try
        {
            if (item.ChaosHold > TimeSpan.Zero) await Task.Delay(item.ChaosHold);
            if (chaos.Delay > TimeSpan.Zero) await Task.Delay(chaos.Delay);
            item.Attempts++;
            Attempt result;
            if (chaos.DropFirst && item.Attempts == 1)
                result = new Attempt(null, null, 0, "dropped by scenario chaos (dropFirst)", false);
            else
            {
                result = await SendAsync(item, contract);
                if (result.Acknowledged && chaos.Duplicate > 0 && Random.Shared.NextDouble() < chaos.Duplicate)
                    await SendAsync(item, contract);
            }
            await RecordAsync(item, contract, result);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    async Task<Attempt> SendAsync(OutboxItem item, CallbackContract contract)
    {
        if (string.IsNullOrEmpty(item.Url))
            return new Attempt(null, null, 0, $"no callback URL configured for {item.Supplier} (tenant callbacks.{item.Supplier})", false);
        var sw = Stopwatch.StartNew();
        try
        {
            using var req = new HttpRequestMessage(new HttpMethod(item.Method), item.Url);
            if (item.Method != "GET")
            {
                req.Content = new ByteArrayContent(item.Body);
                req.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(item.ContentType);
            }
            req.Headers.TryAddWithoutValidation("X-Sandbox-Callback-Id", item.Id.ToString());
            req.Headers.TryAddWithoutValidation("X-Sandbox-Attempt", item.Attempts.ToString());
            req.Headers.TryAddWithoutValidation("X-Sandbox-Emitted-At", item.CreatedMs.ToString());
            using var cts = new CancellationTokenSource(contract.Timeout);
            using var resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var body = await ReadLimitedAsync(resp, cts.Token);
            var status = (int)resp.StatusCode;
            return new Attempt(status, body, sw.Elapsed.TotalMilliseconds, null, contract.IsAcknowledged(status, body));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or InvalidOperationException)
        {
            var reason = e is TaskCanceledException or OperationCanceledException ? $"timeout after {contract.Timeout.TotalSeconds}s" : e.Message;
            return new Attempt(null, null, sw.Elapsed.TotalMilliseconds, reason, false);
        }
    }

    static async Task<string> ReadLimitedAsync(HttpResponseMessage resp, CancellationToken ct)
    {
        var bytes = await resp.Content.ReadAsByteArrayAsync(ct);
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        return text;
    }

    async Task RecordAsync(OutboxItem item, CallbackContract contract, Attempt a)
    {
        var schedule = RetrySchedule(item, contract);
        var nowV = _clock.NowMs(item.Tenant);
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
            item.NextDueVirtualMs = nowV + (long)schedule[item.Attempts - 1].TotalMilliseconds;
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
            w.InsertDelivery(item.Id, item.Tenant, attempts, realMs, nowV, item.Url, a.HttpStatus, a.Body, a.LatencyMs, error, outcome);
            w.UpdateOutbox(item.Id, status, attempts, next, error);
        });
        item.Status = status;
        if (status == "pending") Schedule(item);
        else Finish(item);
    }

    /// <summary>Sends a logged callback once more, now, outside its queue; the attempt goes to the delivery log.</summary>
    public async Task<JsonObject?> RedeliverAsync(long id)
    {
        var row = Get(id);
        if (row is null) return null;
        string tenant = row["tenant"]!.GetValue<string>(), supplier = row["supplier"]!.GetValue<string>();
        // A callback first logged without a URL goes to the URL the tenant has configured since.
        var url = row["url"]?.GetValue<string>() ?? _tenants.Find(tenant)?.CallbackUrl(supplier);
        var item = new OutboxItem(id, tenant, supplier, row["entity"]!.GetValue<string>(), row["name"]!.GetValue<string>(), url,
            row["method"]!.GetValue<string>(), row["contentType"]!.GetValue<string>(), LoadBody(id), 0)
        {
            Attempts = row["attempts"]!.GetValue<int>() + 1,
        };
        var contract = _contracts.GetValueOrDefault(item.Supplier)
                       ?? new CallbackContract((s, _) => s is >= 200 and < 300, [], TimeSpan.FromSeconds(10));
        var a = await SendAsync(item, contract);
        var nowV = _clock.NowMs(item.Tenant);
        var realMs = _clock.RealNow.ToUnixTimeMilliseconds();
        var previous = row["status"]!.GetValue<string>();
        var status = a.Acknowledged && previous != "pending" ? "delivered" : previous;
        var error = a.Error ?? (a.Acknowledged ? null : $"not acknowledged (HTTP {a.HttpStatus})");
        await _store.Write(w =>
        {
            w.InsertDelivery(id, item.Tenant, item.Attempts, realMs, nowV, item.Url,
                a.HttpStatus, a.Body, a.LatencyMs, error, a.Acknowledged ? "redelivered" : "redelivery-failed");
            w.UpdateOutbox(id, status, item.Attempts, row["nextDueVirtualMs"]!.GetValue<long>(), error);
        });
        return Get(id);
    }

    byte[] LoadBody(long id)
    {
        using var c = _store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT body FROM outbox WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return (byte[])cmd.ExecuteScalar()!;
    }

    public JsonObject? Get(long id) => Query(null, null, null, id, 1).FirstOrDefault() as JsonObject;

    /// <summary>The delivery log: callbacks with every attempt.</summary>
    public JsonArray Query(string? tenant, string? status, string? entity, long? id, int limit)
    {
        using var c = _store.Open();
        using var cmd = c.CreateCommand();
        var where = new List<string>();
        if (tenant is not null) { where.Add("tenant = $t"); cmd.Parameters.AddWithValue("$t", tenant); }
        if (status is not null) { where.Add("status = $s"); cmd.Parameters.AddWithValue("$s", status); }
        if (entity is not null) { where.Add("entity = $e"); cmd.Parameters.AddWithValue("$e", entity); }
        if (id is not null) { where.Add("id = $id"); cmd.Parameters.AddWithValue("$id", id); }
        cmd.CommandText = "SELECT id, tenant, supplier, entity, name, url, method, content_type, body, status, attempts, next_due_virtual_ms, created_ms, last_error FROM outbox"
                          + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 1000));
        var list = new JsonArray();
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                list.Add(new JsonObject
                {
                    ["id"] = r.GetInt64(0), ["tenant"] = r.GetString(1), ["supplier"] = r.GetString(2), ["entity"] = r.GetString(3),
                    ["name"] = r.GetString(4), ["url"] = r.IsDBNull(5) ? null : r.GetString(5), ["method"] = r.GetString(6),
                    ["contentType"] = r.GetString(7), ["body"] = Encoding.UTF8.GetString((byte[])r[8]), ["status"] = r.GetString(9),
                    ["attempts"] = r.GetInt32(10), ["nextDueVirtualMs"] = r.GetInt64(11),
                    ["createdAt"] = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)).ToString("O"),
                    ["lastError"] = r.IsDBNull(13) ? null : r.GetString(13),
                });
        foreach (var o in list.Cast<JsonObject>()) o["deliveries"] = Deliveries(c, o["id"]!.GetValue<long>());
        return list;
    }

    static JsonArray Deliveries(Microsoft.Data.Sqlite.SqliteConnection c, long outboxId)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT attempt, at_ms, virtual_ms, url, http_status, response_body, latency_ms, error, outcome FROM deliveries WHERE outbox_id = $id ORDER BY id";
        cmd.Parameters.AddWithValue("$id", outboxId);
        using var r = cmd.ExecuteReader();
        var list = new JsonArray();
        while (r.Read())
            list.Add(new JsonObject
            {
                ["attempt"] = r.GetInt32(0),
                ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)).ToString("O"),
                ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)).ToString("O"),
                ["url"] = r.IsDBNull(3) ? null : r.GetString(3),
                ["httpStatus"] = r.IsDBNull(4) ? null : r.GetInt32(4),
                ["response"] = r.IsDBNull(5) ? null : r.GetString(5),
                ["latencyMs"] = Math.Round(r.GetDouble(6), 2),
                ["error"] = r.IsDBNull(7) ? null : r.GetString(7),
                ["outcome"] = r.GetString(8),
            });
        return list;
    }

    public void ForgetTenant(string tenant)
    {
        lock (_gate)
            foreach (var k in _queues.Keys.Where(k => k.Tenant == tenant).ToList())
                _queues.Remove(k);
    }

    static string? Truncate(string? s, int n) => s is null || s.Length <= n ? s : s[..n] + "…";

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    sealed record Attempt(int? HttpStatus, string? Body, double LatencyMs, string? Error, bool Acknowledged);

    sealed class OutboxItem(long id, string tenant, string supplier, string entityKey, string name, string? url, string method,
        string contentType, byte[] body, long createdMs)
    {
        public long Id { get; } = id;
        public string Tenant { get; } = tenant;
        public string Supplier { get; } = supplier;
        public string EntityKey { get; } = entityKey;
        public string Name { get; } = name;
        public string? Url { get; } = url;
        public string Method { get; } = method;
        public string ContentType { get; } = contentType;
        public byte[] Body { get; } = body;
        public long CreatedMs { get; } = createdMs;
        public int Attempts { get; set; }
        public long NextDueVirtualMs { get; set; }
        public string Status { get; set; } = "pending";
        public TimeSpan ChaosHold { get; set; }
    }
}
