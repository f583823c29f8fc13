using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sandbox.Engine.Cluster;

namespace Sandbox.Engine.Storage.Postgres;

/// <summary>
/// The store several sim replicas share: PostgreSQL through Npgsql. Writes keep the embedded store's behaviour — one
/// writer loop per replica commits whatever is queued as one transaction (group commit), each caller's task completes
/// once it committed, and a failing caller is retried alone so that it fails by itself — and the whole group goes in one
/// round trip (<see cref="PostgresWriter"/>). Reads run on pooled connections.
/// </summary>
public sealed class PostgresStore : IStore, ISharedTmcQueues
{
    readonly NpgsqlDataSource _source;
    readonly ILogger _log;
    readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    readonly Task _writerLoop;
    long _roundTrips;

    public string ReplicaId { get; }
    internal NpgsqlDataSource DataSource => _source;

    /// <summary>Round trips to the server so far (statements, batches, id allocations), for the benchmarks.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>What a unit of work that failed had changed in memory: this replica must drop it (a cache now stale).</summary>
    public event Action<IReadOnlyList<ReplicaSignal>>? Stale;

    public PostgresStore(string connectionString, string replicaId, ILogger<PostgresStore> log)
    {
        ReplicaId = replicaId;
        _log = log;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Statements repeat: prepared once per connection, the server skips parsing and planning them.
        builder.ConnectionStringBuilder.MaxAutoPrepare = Math.Max(builder.ConnectionStringBuilder.MaxAutoPrepare, 100);
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        _source = builder.Build();
        var applied = PostgresSchema.Migrate(_source);
        if (applied > 0) log.LogInformation("PostgreSQL schema: {Applied} migration step(s) applied", applied);
        _writerLoop = Task.Run(WriterLoop);
    }

    internal void Counted() => Interlocked.Increment(ref _roundTrips);

    public Task Write(Action<IStoreWriter> work)
    {
        var p = new PendingWrite(work);
        if (!_queue.Writer.TryWrite(p)) return WriteSlow(p);
        return p.Done.Task;
    }

    async Task WriteSlow(PendingWrite p)
    {
        await _queue.Writer.WriteAsync(p);
        await p.Done.Task;
    }

    async Task WriterLoop()
    {
        NpgsqlConnection? conn = null;
        var batch = new List<PendingWrite>(512);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 1000 && _queue.Reader.TryRead(out var p)) batch.Add(p);
            try
            {
                conn ??= await _source.OpenConnectionAsync();
                if (!await TryCommit(conn, batch))
                    foreach (var p in batch)
                        if (!await TryCommit(conn, [p]))
                            p.Failure ??= new InvalidOperationException("store write failed");
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or ObjectDisposedException)
            {
                // The connection broke (the server restarted, the network failed): whether the batch committed is unknown
                // to its callers, who get an error; the next batch opens a new connection.
                _log.LogError(e, "PostgreSQL writer: connection lost");
                foreach (var p in batch) p.Failure ??= e;
                if (conn is not null) await conn.DisposeAsync();
                conn = null;
                await Task.Delay(200);
            }
            foreach (var p in batch)
                if (p.Failure is { } f) p.Done.TrySetException(f);
                else p.Done.TrySetResult();
        }
        if (conn is not null) await conn.DisposeAsync();
    }

    async Task<bool> TryCommit(NpgsqlConnection conn, IReadOnlyList<PendingWrite> items)
    {
        var writer = new PostgresWriter(ReplicaId);
        foreach (var p in items)
        {
            try
            {
                p.Work(writer);
            }
            catch (Exception e) when (items.Count == 1)
            {
                p.Failure = e;
                return false;
            }
            catch (Exception)
            {
                return false;
            }
        }
        if (writer.IsEmpty) return true;
        await using var cmd = writer.Build(conn);
        try
        {
            Counted();
            await cmd.ExecuteNonQueryAsync();
        }
        catch (PostgresException e)
        {
            if (items.Count == 1)
            {
                items[0].Failure = e.SqlState is "SX001" or PostgresErrorCodes.UniqueViolation
                    ? new StoreConflictException(e.MessageText, e)
                    : e;
                // What this caller changed in memory was not written: whoever caches it must read it again.
                Stale?.Invoke(writer.Signals);
            }
            return false;
        }
        writer.Committed();
        return true;
    }

    public void Ping() => Scalar("SELECT 1");

    // ---- reads ----

    internal T Read<T>(Func<NpgsqlConnection, T> read)
    {
        using var c = _source.OpenConnection();
        Counted();
        return read(c);
    }

    object? Scalar(string sql, params NpgsqlParameter[] args) => Read(c =>
    {
        using var cmd = Command(c, sql, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    });

    List<T> List<T>(string sql, Func<DbDataReader, T> map, params NpgsqlParameter[] args) => Read(c =>
    {
        using var cmd = Command(c, sql, args);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(map(r));
        return list;
    });

    static NpgsqlCommand Command(NpgsqlConnection c, string sql, NpgsqlParameter[] args)
    {
        var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args) cmd.Parameters.Add(a);
        return cmd;
    }

    static NpgsqlParameter Text(string? v) => PostgresWriter.Text(v);
    static NpgsqlParameter Big(long? v) => PostgresWriter.Big(v);
    static NpgsqlParameter Int(int? v) => PostgresWriter.Int(v);
    static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public IReadOnlyList<string> LoadTenants() => List("SELECT json FROM tenants ORDER BY id", r => r.GetString(0));

    public string? FindTenant(string id) => Scalar("SELECT json FROM tenants WHERE id = $1", Text(id)) as string;

    public IReadOnlyList<StoredClock> LoadClocks() => List("SELECT tenant, offset_ms, frozen_at_ms FROM clocks",
        r => new StoredClock(r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2)));

    public StoredDocument? FindEntity(string tenant, string supplier, string kind, string id) =>
        List("SELECT json, version FROM entities WHERE tenant = $1 AND supplier = $2 AND kind = $3 AND id = $4",
            r => new StoredDocument(r.GetString(0), r.GetInt64(1)), Text(tenant), Text(supplier), Text(kind), Text(id)) is [var doc] ? doc : null;

    public IReadOnlyList<(string Id, string Json)> QueryEntities(string tenant, string supplier, string kind, long fromMs, long toMs, int limit) =>
        List("""
             SELECT id, json FROM entities WHERE tenant = $1 AND supplier = $2 AND kind = $3 AND created_ms BETWEEN $4 AND $5
             ORDER BY created_ms DESC LIMIT $6
             """, r => (r.GetString(0), r.GetString(1)), Text(tenant), Text(supplier), Text(kind), Big(fromMs), Big(toMs), Int(limit));

    public IReadOnlyList<TimelineRow> Timeline(string tenant, string entity) =>
        List("SELECT at_ms, virtual_ms, kind, detail FROM timeline WHERE tenant = $1 AND entity = $2 ORDER BY seq",
            r => new TimelineRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3)), Text(tenant), Text(entity));

    public IReadOnlyList<TimerRow> LoadTimers(string? tenant = null, long? dueAfterMs = null, long? dueThroughMs = null) =>
        List("""
             SELECT id, tenant, handler, supplier, kind, entity_id, from_state, to_state, emit, due_virtual_ms FROM timers
             WHERE ($1::text IS NULL OR tenant = $1) AND due_virtual_ms > $2 AND due_virtual_ms <= $3 ORDER BY due_virtual_ms
             """, r => new TimerRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            r.GetString(6), r.GetString(7), Str(r, 8), r.GetInt64(9)), Text(tenant), Big(dueAfterMs ?? long.MinValue), Big(dueThroughMs ?? long.MaxValue));

    public IReadOnlyList<string> TimerTenants() => List("SELECT DISTINCT tenant FROM timers", r => r.GetString(0));

    /// <summary>From a sequence, one at a time: an entity's callbacks get increasing ids whichever replica wrote them.</summary>
    public long NextOutboxId() => Convert.ToInt64(Scalar("SELECT nextval('outbox_ids')"));

    const string OutboxColumns = "id, tenant, supplier, entity, name, url, tenant_suffix, method, content_type, body, status, attempts, " +
                                 "next_due_virtual_ms, created_ms, emitted_virtual_ms, last_error";

    static OutboxRow ReadOutbox(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Str(r, 5), Str(r, 6), r.GetString(7), r.GetString(8),
        (byte[])r[9], r.GetString(10), r.GetInt32(11), r.GetInt64(12), r.GetInt64(13), r.GetInt64(14), Str(r, 15));

    public IReadOnlyList<OutboxRow> PendingOutbox(string? tenant = null) =>
        List($"SELECT {OutboxColumns} FROM outbox WHERE status = 'pending' AND ($1::text IS NULL OR tenant = $1) ORDER BY id", ReadOutbox, Text(tenant));

    public IReadOnlyList<OutboxRow> QueryOutbox(OutboxFilter f) =>
        List($"""
              SELECT {OutboxColumns} FROM outbox
              WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR entity = $3)
                AND ($4::bigint IS NULL OR id = $4)
              ORDER BY id DESC LIMIT $5
              """, ReadOutbox, Text(f.Tenant), Text(f.Status), Text(f.Entity), Big(f.Id), Int(Math.Clamp(f.Limit, 1, 1000)));

    public IReadOnlyList<DeliveryRow> Deliveries(long outboxId) =>
        List("SELECT attempt, at_ms, virtual_ms, url, http_status, response_body, latency_ms, error, outcome FROM deliveries WHERE outbox_id = $1 ORDER BY id",
            r => new DeliveryRow(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), Str(r, 3), r.IsDBNull(4) ? null : r.GetInt32(4), Str(r, 5),
                r.GetDouble(6), Str(r, 7), r.GetString(8)), Big(outboxId));

    public string? GetKv(string tenant, string key) => Scalar("SELECT json FROM kv WHERE tenant = $1 AND key = $2", Text(tenant), Text(key)) as string;

    public StoredDocument? FindKv(string tenant, string key) =>
        List("SELECT json, version FROM kv WHERE tenant = $1 AND key = $2", r => new StoredDocument(r.GetString(0), r.GetInt64(1)),
            Text(tenant), Text(key)) is [var doc] ? doc : null;

    public IReadOnlyList<(string Key, string Json)> ListKv(string tenant, string keyPrefix) =>
        List("SELECT key, json FROM kv WHERE tenant = $1 AND key >= $2 AND key < $3 ORDER BY key",
            r => (r.GetString(0), r.GetString(1)), Text(tenant), Text(keyPrefix), Text(keyPrefix + '\uffff'));

    public IReadOnlyList<MessageRow> QueryMessages(string tenant, string? supplier, string? recipient, string? purpose, int limit) =>
        List("""
             SELECT id, supplier, channel, recipient, purpose, body, entity, at_ms, virtual_ms FROM messages
             WHERE tenant = $1 AND ($2::text IS NULL OR supplier = $2) AND ($3::text IS NULL OR recipient = $3) AND ($4::text IS NULL OR purpose = $4)
             ORDER BY id DESC LIMIT $5
             """, r => new MessageRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Str(r, 6),
            r.GetInt64(7), r.GetInt64(8)), Text(tenant), Text(supplier), Text(recipient), Text(purpose), Int(Math.Clamp(limit, 1, 1000)));

    public IReadOnlyList<InboxRow> QueryInbox(string tenant, string? supplier, int limit) =>
        List("""
             SELECT id, tenant, supplier, at_ms, virtual_ms, method, path, query, headers, body, mode, status, answer FROM inbox
             WHERE tenant = $1 AND ($2::text IS NULL OR supplier = $2) ORDER BY id DESC LIMIT $3
             """, r => new InboxRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5), r.GetString(6),
            r.GetString(7), r.GetString(8), (byte[])r[9], r.GetString(10), r.GetInt32(11), r.GetString(12)), Text(tenant), Text(supplier),
            Int(Math.Clamp(limit, 1, 1000)));

    public IReadOnlyList<TenantEventRow> TenantEvents(string tenant, string? kind, long sinceMs, int limit) =>
        List("""
             SELECT id, at_ms, virtual_ms, kind, detail FROM tenant_events
             WHERE tenant = $1 AND ($2::text IS NULL OR kind = $2) AND at_ms >= $3 ORDER BY id DESC LIMIT $4
             """, r => new TenantEventRow(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4)), Text(tenant), Text(kind),
            Big(sinceMs), Int(Math.Clamp(limit, 1, 1000)));

    const string TmcColumns = "id, tenant, grp, topic, user_id, user_nick, publisher, content, pub_ms, deliveries, visible_ms, holder, parked";

    internal static TmcMessageRow ReadTmc(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4),
        r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt64(8), r.GetInt32(9), r.GetInt64(10), Str(r, 11), r.GetBoolean(12));

    public IReadOnlyList<TmcMessageRow> LoadTmcMessages() => List($"SELECT {TmcColumns} FROM tmc_messages ORDER BY id", ReadTmc);

    public long? NextTmcMessageId() => Convert.ToInt64(Scalar("SELECT nextval('tmc_message_ids')"));

    // ---- TMC queues (ISharedTmcQueues) ----

    public IReadOnlyList<TmcMessageRow> TakeTmc(string tenant, string group, long nowMs, int max, string holder, long leaseMs, int maxDeliveries) =>
        List($"""
              WITH parked AS (
                  UPDATE tmc_messages SET parked = true, holder = NULL
                  WHERE tenant = $1 AND grp = $2 AND NOT parked AND visible_ms <= $3 AND deliveries >= $7
                  RETURNING id),
              picked AS (
                  SELECT id FROM tmc_messages
                  WHERE tenant = $1 AND grp = $2 AND NOT parked AND visible_ms <= $3 AND deliveries < $7
                  ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
              UPDATE tmc_messages m SET deliveries = m.deliveries + 1, holder = $5, visible_ms = $3 + $6
              FROM picked WHERE m.id = picked.id
              RETURNING {string.Join(", ", TmcColumns.Split(", ").Select(c => "m." + c))}
              """, ReadTmc, Text(tenant), Text(group), Big(nowMs), Int(max), Text(holder), Big(leaseMs), Int(maxDeliveries))
            .OrderBy(m => m.Id).ToList();

    public bool ConfirmTmc(string tenant, string group, long id) =>
        Exec("DELETE FROM tmc_messages WHERE id = $1 AND tenant = $2 AND grp = $3", Big(id), Text(tenant), Text(group)) > 0;

    public TmcMessageRow? FailTmc(string tenant, string group, long id, long nowMs, long delayMs, int maxDeliveries) =>
        List($"""
              UPDATE tmc_messages SET holder = NULL, visible_ms = $4 + $5, parked = deliveries >= $6
              WHERE id = $1 AND tenant = $2 AND grp = $3 AND holder IS NOT NULL AND NOT parked
              RETURNING {TmcColumns}
              """, ReadTmc, Big(id), Text(tenant), Text(group), Big(nowMs), Big(delayMs), Int(maxDeliveries)) is [var row] ? row : null;

    public int ReleaseTmc(string tenant, string group, string holder, long nowMs, int maxDeliveries) =>
        Exec("""
             UPDATE tmc_messages SET holder = NULL, visible_ms = $4, parked = deliveries >= $5
             WHERE tenant = $1 AND grp = $2 AND holder = $3 AND NOT parked
             """, Text(tenant), Text(group), Text(holder), Big(nowMs), Int(maxDeliveries));

    public int HeldTmc(string holder, long nowMs) =>
        Convert.ToInt32(Scalar("SELECT count(*) FROM tmc_messages WHERE holder = $1 AND visible_ms > $2 AND NOT parked", Text(holder), Big(nowMs)));

    public bool HasDeliverableTmc(string tenant, string group, long nowMs, int maxDeliveries) =>
        Scalar("""
               SELECT EXISTS (SELECT 1 FROM tmc_messages
                              WHERE tenant = $1 AND grp = $2 AND NOT parked AND visible_ms <= $3 AND deliveries < $4)
               """, Text(tenant), Text(group), Big(nowMs), Int(maxDeliveries)) is true;

    public IReadOnlyList<TmcMessageRow> TmcQueue(string tenant, string group, int limit) =>
        List($"SELECT {TmcColumns} FROM tmc_messages WHERE tenant = $1 AND grp = $2 ORDER BY id LIMIT $3", ReadTmc, Text(tenant), Text(group), Int(limit));

    public IReadOnlyList<string> TmcGroups(string tenant) =>
        List("SELECT DISTINCT grp FROM tmc_messages WHERE tenant = $1 ORDER BY grp", r => r.GetString(0), Text(tenant));

    int Exec(string sql, params NpgsqlParameter[] args) => Read(c =>
    {
        using var cmd = Command(c, sql, args);
        return cmd.ExecuteNonQuery();
    });

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop;
        await _source.DisposeAsync();
    }

    sealed class PendingWrite(Action<IStoreWriter> work)
    {
        public Action<IStoreWriter> Work { get; } = work;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failure { get; set; }
    }
}
