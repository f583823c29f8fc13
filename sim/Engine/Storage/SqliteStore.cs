using System.Text;
using Microsoft.Data.Sqlite;

namespace Sandbox.Engine.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, written by a single writer with group commit
/// (<see cref="SqliteDatabase{TWriter}"/>), read on pooled connections.
/// </summary>
public sealed class SqliteStore : IStore
{
    /// <summary>How often the checkpointer folds the WAL back into the database file.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    readonly SqliteDatabase<StoreWriter> _db;

    public string Path => _db.Path;

    long _lastOutboxId;

    public SqliteStore(string path)
    {
        _db = new SqliteDatabase<StoreWriter>(path, Schema.MainSteps, 32 * 1024, c => new StoreWriter(c));
        _lastOutboxId = _db.Read(c => Convert.ToInt64(Scalar(c, "SELECT COALESCE(MAX(id), 0) FROM outbox")));
    }

    public Task Write(Action<IStoreWriter> work) => _db.Write(work);

    public void Ping() => _db.Read(c => Scalar(c, "SELECT 1"));

    public IReadOnlyList<string> LoadTenants() => _db.Read(c => List(c, "SELECT json FROM tenants ORDER BY id", r => r.GetString(0)));

    public string? FindTenant(string id) => _db.Read(c => Scalar(c, "SELECT json FROM tenants WHERE id = $0", id) as string);

    public IReadOnlyList<StoredClock> LoadClocks() => _db.Read(c => List(c, "SELECT tenant, offset_ms, frozen_at_ms FROM clocks",
        r => new StoredClock(r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2))));

    /// <summary>One process owns the file and serialises writes to an entity itself: no versions are kept.</summary>
    public StoredDocument? FindEntity(string tenant, string supplier, string kind, string id) => _db.Read(c =>
        Scalar(c, "SELECT json FROM entities WHERE tenant = $0 AND supplier = $1 AND kind = $2 AND id = $3", tenant, supplier, kind, id) is string json
            ? new StoredDocument(json, 0)
            : null);

    public IReadOnlyList<(string Id, string Json)> QueryEntities(string tenant, string supplier, string kind, long fromMs, long toMs, int limit) =>
        _db.Read(c => List(c, """
                              SELECT id, json FROM entities WHERE tenant = $0 AND supplier = $1 AND kind = $2 AND created_ms BETWEEN $3 AND $4
                              ORDER BY created_ms DESC LIMIT $5
                              """, r => (r.GetString(0), r.GetString(1)), tenant, supplier, kind, fromMs, toMs, limit));

    public IReadOnlyList<TimelineRow> Timeline(string tenant, string entity) =>
        _db.Read(c => List(c, "SELECT at_ms, virtual_ms, kind, detail FROM timeline WHERE tenant = $0 AND entity = $1 ORDER BY seq",
            r => new TimelineRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3)), tenant, entity));

    public IReadOnlyList<TimerRow> LoadTimers(string? tenant = null, long? dueAfterMs = null, long? dueThroughMs = null) =>
        _db.Read(c => List(c, """
                              SELECT id, tenant, handler, supplier, kind, entity_id, from_state, to_state, emit, due_virtual_ms FROM timers
                              WHERE ($0 IS NULL OR tenant = $0) AND due_virtual_ms > $1 AND due_virtual_ms <= $2 ORDER BY due_virtual_ms
                              """,
            r => new TimerRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetInt64(9)), tenant, dueAfterMs ?? long.MinValue, dueThroughMs ?? long.MaxValue));

    public IReadOnlyList<string> TimerTenants() => _db.Read(c => List(c, "SELECT DISTINCT tenant FROM timers", r => r.GetString(0)));

    public long NextOutboxId() => Interlocked.Increment(ref _lastOutboxId);

    const string OutboxColumns = "id, tenant, supplier, entity, name, url, tenant_suffix, method, content_type, body, status, attempts, " +
                                 "next_due_virtual_ms, created_ms, emitted_virtual_ms, last_error";

    static OutboxRow ReadOutbox(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), r.GetString(8), (byte[])r[9], r.GetString(10), r.GetInt32(11), r.GetInt64(12),
        r.GetInt64(13), r.GetInt64(14), r.IsDBNull(15) ? null : r.GetString(15));

    public IReadOnlyList<OutboxRow> PendingOutbox(string? tenant = null) =>
        _db.Read(c => List(c, $"SELECT {OutboxColumns} FROM outbox WHERE status = 'pending' AND ($0 IS NULL OR tenant = $0) ORDER BY id", ReadOutbox, tenant));

    public IReadOnlyList<OutboxRow> QueryOutbox(OutboxFilter f) => _db.Read(c =>
    {
        var where = new List<string>();
        var args = new List<object?>();
        void Add(string column, object? value)
        {
            if (value is null) return;
            where.Add($"{column} = ${args.Count}");
            args.Add(value);
        }
        Add("tenant", f.Tenant);
        Add("status", f.Status);
        Add("entity", f.Entity);
        Add("id", f.Id);
        args.Add(Math.Clamp(f.Limit, 1, 1000));
        var sql = $"SELECT {OutboxColumns} FROM outbox" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                  + $" ORDER BY id DESC LIMIT ${args.Count - 1}";
        return List(c, sql, ReadOutbox, args.ToArray());
    });

    public IReadOnlyList<DeliveryRow> Deliveries(long outboxId) => _db.Read(c => List(c,
        "SELECT attempt, at_ms, virtual_ms, url, http_status, response_body, latency_ms, error, outcome FROM deliveries WHERE outbox_id = $0 ORDER BY id",
        r => new DeliveryRow(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetInt32(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.GetDouble(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8)), outboxId));

    public string? GetKv(string tenant, string key) =>
        _db.Read(c => Scalar(c, "SELECT json FROM kv WHERE tenant = $0 AND key = $1", tenant, key) as string);

    public StoredDocument? FindKv(string tenant, string key) => GetKv(tenant, key) is { } json ? new StoredDocument(json, 0) : null;

    public IReadOnlyList<(string Key, string Json)> ListKv(string tenant, string keyPrefix) =>
        // A range on the primary key (tenant, key) rather than LIKE, which SQLite would not serve from the index.
        _db.Read(c => List(c, "SELECT key, json FROM kv WHERE tenant = $0 AND key >= $1 AND key < $2 ORDER BY key",
            r => (r.GetString(0), r.GetString(1)), tenant, keyPrefix, keyPrefix + '\uffff'));

    public IReadOnlyList<MessageRow> QueryMessages(string tenant, string? supplier, string? recipient, string? purpose, int limit) =>
        _db.Read(c => List(c, """
                              SELECT id, supplier, channel, recipient, purpose, body, entity, at_ms, virtual_ms FROM messages
                              WHERE tenant = $0 AND ($1 IS NULL OR supplier = $1) AND ($2 IS NULL OR recipient = $2) AND ($3 IS NULL OR purpose = $3)
                              ORDER BY id DESC LIMIT $4
                              """,
            r => new MessageRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetInt64(7), r.GetInt64(8)),
            tenant, supplier, recipient, purpose, Math.Clamp(limit, 1, 1000)));

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    static SqliteCommand Command(SqliteConnection c, string sql, object?[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++) cmd.Parameters.AddWithValue("$" + i, args[i] ?? DBNull.Value);
        return cmd;
    }

    internal static object? Scalar(SqliteConnection c, string sql, params object?[] args)
    {
        using var cmd = Command(c, sql, args);
        return cmd.ExecuteScalar();
    }

    internal static List<T> List<T>(SqliteConnection c, string sql, Func<SqliteDataReader, T> read, params object?[] args)
    {
        using var cmd = Command(c, sql, args);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }

    public IReadOnlyList<TmcMessageRow> LoadTmcMessages() => _db.Read(c => List(c, """
        SELECT id, tenant, grp, topic, user_id, user_nick, publisher, content, pub_ms, deliveries, visible_ms, holder, parked
        FROM tmc_messages ORDER BY id
        """, r => new TmcMessageRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5),
        r.GetString(6), r.GetString(7), r.GetInt64(8), r.GetInt32(9), r.GetInt64(10), r.IsDBNull(11) ? null : r.GetString(11), r.GetInt64(12) != 0)));

    public IReadOnlyList<InboxRow> QueryInbox(string tenant, string? supplier, int limit) => _db.Read(c => List(c, """
        SELECT id, tenant, supplier, at_ms, virtual_ms, method, path, query, headers, body, mode, status, answer FROM inbox
        WHERE tenant = $0 AND ($1 IS NULL OR supplier = $1) ORDER BY id DESC LIMIT $2
        """, r => new InboxRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5), r.GetString(6),
        r.GetString(7), r.GetString(8), (byte[])r[9], r.GetString(10), r.GetInt32(11), r.GetString(12)), tenant, supplier, Math.Clamp(limit, 1, 1000)));

    public IReadOnlyList<TenantEventRow> TenantEvents(string tenant, string? kind, long sinceMs, int limit) => _db.Read(c => List(c, """
        SELECT id, at_ms, virtual_ms, kind, detail FROM tenant_events
        WHERE tenant = $0 AND ($1 IS NULL OR kind = $1) AND at_ms >= $2 ORDER BY id DESC LIMIT $3
        """, r => new TenantEventRow(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4)),
        tenant, kind, sinceMs, Math.Clamp(limit, 1, 1000)));

    public long? NextTmcMessageId() => null;

    /// <summary>Text columns written as UTF-8 bytes (journal bodies) or as text by older versions.</summary>
    internal static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        byte[] b => Encoding.UTF8.GetString(b),
        var v => v.ToString(),
    };
}
