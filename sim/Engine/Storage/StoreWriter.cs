using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Sandbox.Engine.Storage;

/// <summary>
/// Prepared statements on the writer's connection; only a database's single writer loop ever holds one. Statements are
/// SQLite's own (SQLitePCL.raw), prepared once per SQL text and bound by index: ADO.NET's per-call reader, parameter
/// objects and by-name binding cost more than the insert itself on the journal's and the outbox's hot paths. They run
/// inside the transaction the loop opened on the same connection.
/// </summary>
public abstract class SqliteStatements : IDisposable
{
    readonly SqliteConnection _c;
    readonly Dictionary<string, Prepared> _prepared = new();

    sealed record Prepared(sqlite3_stmt Statement, int[] Index);

    private protected SqliteStatements(SqliteConnection c) => _c = c;

    protected void Exec(string sql, params object?[] args)
    {
        var db = _c.Handle!;
        if (!_prepared.TryGetValue(sql, out var p))
        {
            Check(db, raw.sqlite3_prepare_v2(db, sql, out var stmt));
            var index = new int[args.Length];
            for (var i = 0; i < args.Length; i++) index[i] = raw.sqlite3_bind_parameter_index(stmt, "$" + i);
            _prepared[sql] = p = new Prepared(stmt, index);
        }
        var st = p.Statement;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var at = p.Index[i];
                if (at == 0) continue;
                Check(db, args[i] switch
                {
                    null or DBNull => raw.sqlite3_bind_null(st, at),
                    string text => raw.sqlite3_bind_text(st, at, text),
                    long n => raw.sqlite3_bind_int64(st, at, n),
                    int n => raw.sqlite3_bind_int64(st, at, n),
                    bool b => raw.sqlite3_bind_int64(st, at, b ? 1 : 0),
                    double d => raw.sqlite3_bind_double(st, at, d),
                    byte[] bytes => raw.sqlite3_bind_blob(st, at, bytes),
                    ReadOnlyMemory<byte> bytes => raw.sqlite3_bind_blob(st, at, bytes.Span),
                    IFormattable f => raw.sqlite3_bind_text(st, at, f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)),
                    var other => raw.sqlite3_bind_text(st, at, other.ToString() ?? ""),
                });
            }
            var rc = raw.sqlite3_step(st);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) Check(db, rc);
        }
        finally
        {
            raw.sqlite3_reset(st);
        }
    }

    /// <summary>Rows the last statement changed.</summary>
    protected int Changes() => raw.sqlite3_changes(_c.Handle!);

    /// <summary>
    /// The first column of the first row as text, or null: a read inside the writer's transaction (raw, like
    /// <see cref="Exec"/>: ADO.NET refuses a command without the transaction object the loop holds).
    /// </summary>
    protected string? Query(string sql, params object?[] args)
    {
        var db = _c.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var st));
        using (st)
        {
            for (var i = 0; i < args.Length; i++)
            {
                var at = raw.sqlite3_bind_parameter_index(st, "$" + i);
                if (at != 0) Check(db, raw.sqlite3_bind_text(st, at, args[i]?.ToString() ?? ""));
            }
            var rc = raw.sqlite3_step(st);
            if (rc == raw.SQLITE_ROW) return raw.sqlite3_column_type(st, 0) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(st, 0).utf8_to_string();
            if (rc != raw.SQLITE_DONE) Check(db, rc);
            return null;
        }
    }

    static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string() ?? $"SQLite error {rc}", rc, raw.sqlite3_extended_errcode(db));
    }

    public void Dispose()
    {
        foreach (var p in _prepared.Values) p.Statement.Dispose();
        _prepared.Clear();
    }

}

/// <summary>The main store's statements (<see cref="IStoreWriter"/>).</summary>
public sealed class StoreWriter : SqliteStatements, IStoreWriter
{
    internal StoreWriter(SqliteConnection c) : base(c)
    {
    }

    public void UpsertTenant(string id, string json) =>
        Exec("INSERT INTO tenants (id, json) VALUES ($0, $1) ON CONFLICT(id) DO UPDATE SET json = excluded.json", id, json);

    public void DeleteTenant(string id)
    {
        Exec("DELETE FROM tenants WHERE id = $0", id);
        DeleteTenantState(id);
    }

    /// <summary>Wipes everything one tenant did, keeping the tenant itself.</summary>
    public void DeleteTenantState(string tenant)
    {
        foreach (var table in new[] { "entities", "timeline", "timers", "outbox", "deliveries", "kv", "clocks", "messages", "tmc_messages", "inbox", "tenant_events" })
            Exec($"DELETE FROM {table} WHERE tenant = $0", tenant);
    }

    public void SetClock(string tenant, long offsetMs, long? frozenAtMs) =>
        Exec("INSERT INTO clocks (tenant, offset_ms, frozen_at_ms) VALUES ($0, $1, $2) ON CONFLICT(tenant) DO UPDATE SET offset_ms = excluded.offset_ms, frozen_at_ms = excluded.frozen_at_ms",
            tenant, offsetMs, frozenAtMs);

    /// <summary>The file has one writer process, which serialises each entity's writes itself: the version is not checked.</summary>
    public void UpsertEntity(string tenant, string supplier, string kind, string id, string status, long createdMs, long updatedMs, string json,
        IVersioned? version = null) =>
        Exec("""
             INSERT INTO entities (tenant, supplier, kind, id, status, created_ms, updated_ms, json) VALUES ($0, $1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT(tenant, supplier, kind, id) DO UPDATE SET status = excluded.status, updated_ms = excluded.updated_ms, json = excluded.json
             """, tenant, supplier, kind, id, status, createdMs, updatedMs, json);

    public void AddTimeline(string tenant, string entity, long atMs, long virtualMs, string kind, string detail) =>
        Exec("INSERT INTO timeline (tenant, entity, at_ms, virtual_ms, kind, detail) VALUES ($0, $1, $2, $3, $4, $5)",
            tenant, entity, atMs, virtualMs, kind, detail);

    public void UpsertTimer(TimerRow t) =>
        Exec("""
             INSERT INTO timers (id, tenant, handler, supplier, kind, entity_id, from_state, to_state, emit, due_virtual_ms)
             VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT(id) DO UPDATE SET handler = excluded.handler, from_state = excluded.from_state, to_state = excluded.to_state,
                 emit = excluded.emit, due_virtual_ms = excluded.due_virtual_ms
             """, t.Id, t.Tenant, t.Handler, t.Supplier, t.Kind, t.EntityId, t.From, t.To, t.Emit, t.DueVirtualMs);

    public void DeleteTimer(string id, long? dueVirtualMs = null)
    {
        if (dueVirtualMs is { } due) Exec("DELETE FROM timers WHERE id = $0 AND due_virtual_ms = $1", id, due);
        else Exec("DELETE FROM timers WHERE id = $0", id);
    }

    public void ClaimTimer(string id, long dueVirtualMs)
    {
        Exec("DELETE FROM timers WHERE id = $0 AND due_virtual_ms = $1", id, dueVirtualMs);
        if (Changes() == 0) throw new StoreConflictException($"timer {id} due at {dueVirtualMs} is gone");
    }

    public void InsertOutbox(OutboxRow o) =>
        Exec("""
             INSERT INTO outbox (id, tenant, supplier, entity, name, url, tenant_suffix, method, content_type, body, status, attempts,
                 next_due_virtual_ms, created_ms, emitted_virtual_ms, last_error)
             VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             """, o.Id, o.Tenant, o.Supplier, o.Entity, o.Name, o.Url, o.TenantSuffix, o.Method, o.ContentType, o.Body, o.Status, o.Attempts,
            o.NextDueVirtualMs, o.CreatedMs, o.EmittedVirtualMs, o.LastError);

    public void UpdateOutbox(long id, string status, int attempts, long nextDueVirtualMs, string? url, string? lastError) =>
        Exec("UPDATE outbox SET status = $1, attempts = $2, next_due_virtual_ms = $3, url = COALESCE($4, url), last_error = $5 WHERE id = $0",
            id, status, attempts, nextDueVirtualMs, url, lastError);

    public void InsertDelivery(long outboxId, string tenant, int attempt, long atMs, long virtualMs, string? url,
        int? httpStatus, string? responseBody, double latencyMs, string? error, string outcome) =>
        Exec("""
             INSERT INTO deliveries (outbox_id, tenant, attempt, at_ms, virtual_ms, url, http_status, response_body, latency_ms, error, outcome)
             VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             """, outboxId, tenant, attempt, atMs, virtualMs, url, httpStatus, responseBody, latencyMs, error, outcome);

    /// <summary>One writer process: the version is not checked (as for entities).</summary>
    public void PutKv(string tenant, string key, string json, long? expiresMs = null, IVersioned? version = null) =>
        Exec("INSERT INTO kv (tenant, key, json, expires_ms) VALUES ($0, $1, $2, $3) ON CONFLICT(tenant, key) DO UPDATE SET json = excluded.json, expires_ms = excluded.expires_ms",
            tenant, key, json, expiresMs);

    public void PurgeExpiredKv(long nowMs) => Exec("DELETE FROM kv WHERE expires_ms < $0", nowMs);

    /// <summary>Read, added and written back on the writer's connection, inside its transaction: decimals stay exact.</summary>
    public void AddToKvNumber(string tenant, string key, string field, decimal delta, string initialJson)
    {
        var current = Query("SELECT json FROM kv WHERE tenant = $0 AND key = $1", tenant, key) ?? initialJson;
        var doc = System.Text.Json.Nodes.JsonNode.Parse(current) as System.Text.Json.Nodes.JsonObject ?? [];
        var have = doc[field] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<decimal>(out var d) ? d : 0m;
        doc[field] = have + delta;
        PutKv(tenant, key, doc.ToJsonString());
    }

    public void DeleteKv(string tenant, string key) => Exec("DELETE FROM kv WHERE tenant = $0 AND key = $1", tenant, key);

    public void InsertTmcMessage(TmcMessageRow m) =>
        Exec("""
             INSERT INTO tmc_messages (id, tenant, grp, topic, user_id, user_nick, publisher, content, pub_ms, deliveries, visible_ms, holder, parked)
             VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             """, m.Id, m.Tenant, m.Group, m.Topic, m.UserId, m.UserNick, m.Publisher, m.Content, m.PubMs, m.Deliveries, m.VisibleMs, m.Holder, m.Parked);

    /// <summary>A TMC message's delivery state changed (handed out, given back, parked); a confirmed message is already gone.</summary>
    public void UpdateTmcDelivery(long id, int deliveries, long visibleMs, string? holder, bool parked) =>
        Exec("UPDATE tmc_messages SET deliveries = $1, visible_ms = $2, holder = $3, parked = $4 WHERE id = $0",
            id, deliveries, visibleMs, holder, parked);

    public void DeleteTmcMessage(long id) => Exec("DELETE FROM tmc_messages WHERE id = $0", id);

    public void InsertInbox(InboxRow r, int keep)
    {
        Exec("""
             INSERT INTO inbox (tenant, supplier, at_ms, virtual_ms, method, path, query, headers, body, mode, status, answer)
             VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             """, r.Tenant, r.Supplier, r.AtMs, r.VirtualMs, r.Method, r.Path, r.Query, r.Headers, r.Body, r.Mode, r.Status, r.Answer);
        Exec("DELETE FROM inbox WHERE tenant = $0 AND id <= (SELECT id FROM inbox WHERE tenant = $0 ORDER BY id DESC LIMIT 1 OFFSET $1)", r.Tenant, keep);
    }

    public void DeleteInbox(string tenant, string? supplier) =>
        Exec("DELETE FROM inbox WHERE tenant = $0 AND ($1 IS NULL OR supplier = $1)", tenant, supplier);

    public void AddTenantEvent(string tenant, long atMs, long virtualMs, string kind, string detail) =>
        Exec("INSERT INTO tenant_events (tenant, at_ms, virtual_ms, kind, detail) VALUES ($0, $1, $2, $3, $4)", tenant, atMs, virtualMs, kind, detail);

    public void InsertMessage(string tenant, string supplier, string channel, string recipient, string purpose, string body, string? entity,
        long atMs, long virtualMs) =>
        Exec("""
             INSERT INTO messages (tenant, supplier, channel, recipient, purpose, body, entity, at_ms, virtual_ms)
             VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8)
             """, tenant, supplier, channel, recipient, purpose, body, entity, atMs, virtualMs);
}
