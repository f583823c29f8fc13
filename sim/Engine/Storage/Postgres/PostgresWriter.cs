using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Sandbox.Engine.Cluster;

namespace Sandbox.Engine.Storage.Postgres;

/// <summary>
/// The statements of one group commit, collected as one <see cref="NpgsqlBatch"/>: the batch runs in one round trip as one
/// implicit transaction, so a statement that fails (a version check, a timer already fired elsewhere) rolls all of it
/// back. What the transaction changed is signalled to the other replicas by NOTIFYs inside it: they arrive only if it
/// committed, in commit order.
/// </summary>
sealed class PostgresWriter(string replica) : IStoreWriter
{
    /// <summary>NOTIFY payloads must stay under 8000 bytes; signals are packed into arrays below this.</summary>
    const int MaxPayload = 7000;
    public const string Channel = "sandbox";

    readonly List<NpgsqlBatchCommand> _commands = [];
    readonly List<ReplicaSignal> _signals = [];
    // Entity versions this transaction wrote: a second save of the same entity in one group commit builds on the first.
    readonly Dictionary<(string, string, string, string), long> _versions = [];
    readonly List<(IVersioned Target, long Version)> _newVersions = [];

    public bool IsEmpty => _commands.Count == 0;

    /// <summary>What the transaction changed (entities, key-values …), for the other replicas or, when it failed, for this one.</summary>
    public IReadOnlyList<ReplicaSignal> Signals => _signals;

    public NpgsqlBatch Build(NpgsqlConnection c)
    {
        var batch = new NpgsqlBatch(c);
        foreach (var cmd in _commands) batch.BatchCommands.Add(cmd);
        foreach (var payload in Payloads()) batch.BatchCommands.Add(Cmd("SELECT pg_notify($1, $2)", Text(Channel), Text(payload)));
        return batch;
    }

    /// <summary>The transaction committed: versioned objects now carry the versions written.</summary>
    public void Committed()
    {
        foreach (var (target, version) in _newVersions) target.Version = version;
    }

    IEnumerable<string> Payloads()
    {
        var sb = new StringBuilder();
        foreach (var s in _signals)
        {
            var json = JsonSerializer.Serialize(s with { Origin = replica });
            if (sb.Length > 0 && sb.Length + json.Length + 2 > MaxPayload)
            {
                yield return "[" + sb + "]";
                sb.Clear();
            }
            if (sb.Length > 0) sb.Append(',');
            sb.Append(json);
        }
        if (sb.Length > 0) yield return "[" + sb + "]";
    }

    void Add(string sql, params NpgsqlParameter[] args) => _commands.Add(Cmd(sql, args));

    static NpgsqlBatchCommand Cmd(string sql, params NpgsqlParameter[] args)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(a);
        return cmd;
    }

    internal static NpgsqlParameter Text(string? v) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)v ?? DBNull.Value };
    internal static NpgsqlParameter Big(long? v) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)v ?? DBNull.Value };
    internal static NpgsqlParameter Int(int? v) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)v ?? DBNull.Value };
    internal static NpgsqlParameter Bool(bool v) => new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = v };
    internal static NpgsqlParameter Double(double v) => new() { NpgsqlDbType = NpgsqlDbType.Double, Value = v };
    internal static NpgsqlParameter Bytes(byte[]? v) => new() { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)v ?? DBNull.Value };
    internal static NpgsqlParameter Number(decimal v) => new() { NpgsqlDbType = NpgsqlDbType.Numeric, Value = v };

    public void UpsertTenant(string id, string json)
    {
        Add("INSERT INTO tenants (id, json) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET json = excluded.json", Text(id), Text(json));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Tenant, id));
    }

    public void DeleteTenant(string id)
    {
        Add("DELETE FROM tenants WHERE id = $1", Text(id));
        Add("DELETE FROM homes WHERE tenant = $1", Text(id));
        DeleteTenantState(id);
        _signals.Add(new ReplicaSignal(ReplicaSignals.Tenant, id));
    }

    public void DeleteTenantState(string tenant)
    {
        foreach (var table in new[] { "entities", "timeline", "timers", "outbox", "deliveries", "kv", "clocks", "messages", "tmc_messages", "inbox", "tenant_events" })
            Add($"DELETE FROM {table} WHERE tenant = $1", Text(tenant));
    }

    public void SetClock(string tenant, long offsetMs, long? frozenAtMs)
    {
        Add("""
            INSERT INTO clocks (tenant, offset_ms, frozen_at_ms) VALUES ($1, $2, $3)
            ON CONFLICT (tenant) DO UPDATE SET offset_ms = excluded.offset_ms, frozen_at_ms = excluded.frozen_at_ms
            """, Text(tenant), Big(offsetMs), Big(frozenAtMs));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Clock, tenant, Number: offsetMs, Data: frozenAtMs?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void UpsertEntity(string tenant, string supplier, string kind, string id, string status, long createdMs, long updatedMs, string json,
        IVersioned? version = null)
    {
        var key = EntityCatalog.Key(supplier, kind, id);
        if (version is null)
        {
            Add("""
                INSERT INTO entities (tenant, supplier, kind, id, status, created_ms, updated_ms, json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (tenant, supplier, kind, id)
                DO UPDATE SET status = excluded.status, updated_ms = excluded.updated_ms, json = excluded.json, version = entities.version + 1
                """, Text(tenant), Text(supplier), Text(kind), Text(id), Text(status), Big(createdMs), Big(updatedMs), Text(json));
            _signals.Add(new ReplicaSignal(ReplicaSignals.Entity, tenant, key));
            return;
        }
        var expected = _versions.TryGetValue((tenant, supplier, kind, id), out var written) ? written : version.Version;
        if (expected == 0)
            // A new entity: a row of the same key means another replica created it first (the insert fails).
            Add("""
                INSERT INTO entities (tenant, supplier, kind, id, status, created_ms, updated_ms, json, version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
                """, Text(tenant), Text(supplier), Text(kind), Text(id), Text(status), Big(createdMs), Big(updatedMs), Text(json));
        else
            Add("""
                WITH u AS (
                    UPDATE entities SET status = $5, updated_ms = $6, json = $7, version = $8 + 1
                    WHERE tenant = $1 AND supplier = $2 AND kind = $3 AND id = $4 AND version = $8 RETURNING 1)
                SELECT sandbox_expect(count(*), $9) FROM u
                """, Text(tenant), Text(supplier), Text(kind), Text(id), Text(status), Big(updatedMs), Text(json), Big(expected),
                Text($"entity {tenant}/{key} changed since version {expected}"));
        _versions[(tenant, supplier, kind, id)] = expected + 1;
        _newVersions.Add((version, expected + 1));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Entity, tenant, key, expected + 1));
    }

    public void AddTimeline(string tenant, string entity, long atMs, long virtualMs, string kind, string detail) =>
        Add("INSERT INTO timeline (tenant, entity, at_ms, virtual_ms, kind, detail) VALUES ($1, $2, $3, $4, $5, $6)",
            Text(tenant), Text(entity), Big(atMs), Big(virtualMs), Text(kind), Text(detail));

    public void UpsertTimer(TimerRow t)
    {
        Add("""
            INSERT INTO timers (id, tenant, handler, supplier, kind, entity_id, from_state, to_state, emit, due_virtual_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (id) DO UPDATE SET handler = excluded.handler, from_state = excluded.from_state, to_state = excluded.to_state,
                emit = excluded.emit, due_virtual_ms = excluded.due_virtual_ms
            """, Text(t.Id), Text(t.Tenant), Text(t.Handler), Text(t.Supplier), Text(t.Kind), Text(t.EntityId), Text(t.From), Text(t.To),
            Text(t.Emit), Big(t.DueVirtualMs));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Timer, t.Tenant, Data: JsonSerializer.Serialize(t)));
    }

    public void DeleteTimer(string id, long? dueVirtualMs = null)
    {
        if (dueVirtualMs is { } due) Add("DELETE FROM timers WHERE id = $1 AND due_virtual_ms = $2", Text(id), Big(due));
        else Add("DELETE FROM timers WHERE id = $1", Text(id));
    }

    public void ClaimTimer(string id, long dueVirtualMs) =>
        Add("""
            WITH d AS (DELETE FROM timers WHERE id = $1 AND due_virtual_ms = $2 RETURNING 1)
            SELECT sandbox_expect(count(*), $3) FROM d
            """, Text(id), Big(dueVirtualMs), Text($"timer {id} due at {dueVirtualMs} is gone"));

    public void InsertOutbox(OutboxRow o)
    {
        Add("""
            INSERT INTO outbox (id, tenant, supplier, entity, name, url, tenant_suffix, method, content_type, body, status, attempts,
                next_due_virtual_ms, created_ms, emitted_virtual_ms, last_error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """, Big(o.Id), Text(o.Tenant), Text(o.Supplier), Text(o.Entity), Text(o.Name), Text(o.Url), Text(o.TenantSuffix), Text(o.Method),
            Text(o.ContentType), Bytes(o.Body), Text(o.Status), Int(o.Attempts), Big(o.NextDueVirtualMs), Big(o.CreatedMs),
            Big(o.EmittedVirtualMs), Text(o.LastError));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Outbox, o.Tenant, Number: o.Id));
    }

    public void UpdateOutbox(long id, string status, int attempts, long nextDueVirtualMs, string? url, string? lastError) =>
        Add("UPDATE outbox SET status = $2, attempts = $3, next_due_virtual_ms = $4, url = COALESCE($5, url), last_error = $6 WHERE id = $1",
            Big(id), Text(status), Int(attempts), Big(nextDueVirtualMs), Text(url), Text(lastError));

    public void InsertDelivery(long outboxId, string tenant, int attempt, long atMs, long virtualMs, string? url,
        int? httpStatus, string? responseBody, double latencyMs, string? error, string outcome) =>
        Add("""
            INSERT INTO deliveries (outbox_id, tenant, attempt, at_ms, virtual_ms, url, http_status, response_body, latency_ms, error, outcome)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """, Big(outboxId), Text(tenant), Int(attempt), Big(atMs), Big(virtualMs), Text(url), Int(httpStatus), Text(responseBody),
            Double(latencyMs), Text(error), Text(outcome));

    public void PutKv(string tenant, string key, string json, long? expiresMs = null, IVersioned? version = null)
    {
        if (version is not null)
        {
            PutVersionedKv(tenant, key, json, expiresMs, version);
            return;
        }
        Add("""
            INSERT INTO kv (tenant, key, json, expires_ms) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant, key) DO UPDATE SET json = excluded.json, expires_ms = excluded.expires_ms, version = kv.version + 1
            """, Text(tenant), Text(key), Text(json), Big(expiresMs));
        // A short-lived key-value is read from the store each time, never cached: nobody needs to hear of it.
        if (expiresMs is null) _signals.Add(new ReplicaSignal(ReplicaSignals.Kv, tenant, key));
    }

    void PutVersionedKv(string tenant, string key, string json, long? expiresMs, IVersioned version)
    {
        var expected = _versions.TryGetValue(("kv", tenant, key, ""), out var written) ? written : version.Version;
        if (expected == 0)
            Add("INSERT INTO kv (tenant, key, json, expires_ms, version) VALUES ($1, $2, $3, $4, 1)", Text(tenant), Text(key), Text(json), Big(expiresMs));
        else
            Add("""
                WITH u AS (UPDATE kv SET json = $3, expires_ms = $4, version = $5 + 1 WHERE tenant = $1 AND key = $2 AND version = $5 RETURNING 1)
                SELECT sandbox_expect(count(*), $6) FROM u
                """, Text(tenant), Text(key), Text(json), Big(expiresMs), Big(expected), Text($"key-value {tenant}/{key} changed since version {expected}"));
        _versions[("kv", tenant, key, "")] = expected + 1;
        _newVersions.Add((version, expected + 1));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Kv, tenant, key, expected + 1));
    }

    public void PurgeExpiredKv(long nowMs) => Add("DELETE FROM kv WHERE expires_ms < $1", Big(nowMs));

    /// <summary>jsonb arithmetic on numeric: exact, and applied to whatever the row holds when the transaction reaches it.</summary>
    public void AddToKvNumber(string tenant, string key, string field, decimal delta, string initialJson)
    {
        Add("INSERT INTO kv (tenant, key, json) VALUES ($1, $2, $3) ON CONFLICT (tenant, key) DO NOTHING", Text(tenant), Text(key), Text(initialJson));
        Add("""
            UPDATE kv SET json = jsonb_set(json::jsonb, ARRAY[$3], to_jsonb(COALESCE((json::jsonb ->> $3)::numeric, 0) + $4), true)::text,
                version = version + 1
            WHERE tenant = $1 AND key = $2
            """, Text(tenant), Text(key), Text(field), Number(delta));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Kv, tenant, key));
    }

    public void DeleteKv(string tenant, string key)
    {
        Add("DELETE FROM kv WHERE tenant = $1 AND key = $2", Text(tenant), Text(key));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Kv, tenant, key));
    }

    public void InsertMessage(string tenant, string supplier, string channel, string recipient, string purpose, string body, string? entity,
        long atMs, long virtualMs) =>
        Add("""
            INSERT INTO messages (tenant, supplier, channel, recipient, purpose, body, entity, at_ms, virtual_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, Text(tenant), Text(supplier), Text(channel), Text(recipient), Text(purpose), Text(body), Text(entity), Big(atMs), Big(virtualMs));

    public void InsertInbox(InboxRow r, int keep)
    {
        Add("""
            INSERT INTO inbox (tenant, supplier, at_ms, virtual_ms, method, path, query, headers, body, mode, status, answer)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, Text(r.Tenant), Text(r.Supplier), Big(r.AtMs), Big(r.VirtualMs), Text(r.Method), Text(r.Path), Text(r.Query), Text(r.Headers),
            Bytes(r.Body), Text(r.Mode), Int(r.Status), Text(r.Answer));
        Add("DELETE FROM inbox WHERE tenant = $1 AND id <= (SELECT id FROM inbox WHERE tenant = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
            Text(r.Tenant), Int(keep));
    }

    public void DeleteInbox(string tenant, string? supplier) =>
        Add("DELETE FROM inbox WHERE tenant = $1 AND ($2::text IS NULL OR supplier = $2)", Text(tenant), Text(supplier));

    public void AddTenantEvent(string tenant, long atMs, long virtualMs, string kind, string detail) =>
        Add("INSERT INTO tenant_events (tenant, at_ms, virtual_ms, kind, detail) VALUES ($1, $2, $3, $4, $5)",
            Text(tenant), Big(atMs), Big(virtualMs), Text(kind), Text(detail));

    public void InsertTmcMessage(TmcMessageRow m)
    {
        Add("""
            INSERT INTO tmc_messages (id, tenant, grp, topic, user_id, user_nick, publisher, content, pub_ms, deliveries, visible_ms, holder, parked)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """, Big(m.Id), Text(m.Tenant), Text(m.Group), Text(m.Topic), Big(m.UserId), Text(m.UserNick), Text(m.Publisher), Text(m.Content),
            Big(m.PubMs), Int(m.Deliveries), Big(m.VisibleMs), Text(m.Holder), Bool(m.Parked));
        _signals.Add(new ReplicaSignal(ReplicaSignals.Tmc, m.Tenant, m.Group));
    }

    public void UpdateTmcDelivery(long id, int deliveries, long visibleMs, string? holder, bool parked) =>
        Add("UPDATE tmc_messages SET deliveries = $2, visible_ms = $3, holder = $4, parked = $5 WHERE id = $1",
            Big(id), Int(deliveries), Big(visibleMs), Text(holder), Bool(parked));

    public void DeleteTmcMessage(long id) => Add("DELETE FROM tmc_messages WHERE id = $1", Big(id));
}
