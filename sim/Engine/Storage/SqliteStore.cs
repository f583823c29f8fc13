using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Sandbox.Engine.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. All writes go through a single writer that commits
/// whatever is queued in one transaction (group commit), and each caller's task completes only after its
/// transaction committed — so a reply is sent only for state that is on disk.
/// </summary>
public sealed class SqliteStore : IAsyncDisposable
{
    readonly string _connectionString;
    readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    readonly Task _writerLoop;
    readonly CancellationTokenSource _stopCheckpoints = new();
    readonly Thread _checkpointer;

    /// <summary>How often the checkpointer folds the WAL back into the database file.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    public string Path { get; }

    readonly int _writerCacheKib;

    public SqliteStore(string path) : this(path, Schema.MainSteps, writerCacheKib: 32 * 1024)
    {
    }

    /// <summary>A store with its own schema (the request journal lives in a file of its own; it only appends and prunes, so a small page cache does).</summary>
    public static SqliteStore ForJournal(string path) => new(path, Schema.JournalSteps, writerCacheKib: 8 * 1024);

    SqliteStore(string path, string[] schema, int writerCacheKib)
    {
        _writerCacheKib = writerCacheKib;
        Path = path;
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        using (var c = Open()) Schema.Migrate(c, schema);
        _writerLoop = Task.Run(WriterLoop);
        _checkpointer = new Thread(CheckpointLoop) { IsBackground = true, Name = "sqlite checkpointer " + System.IO.Path.GetFileName(path) };
        _checkpointer.Start();
    }

    public SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        // WAL + NORMAL: a process crash loses nothing committed; only an OS crash could lose the last commits.
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=OFF;";
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>Queues work for the writer; completes after the transaction holding it committed.</summary>
    public Task Write(Action<StoreWriter> work)
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
        using var conn = Open();
        using (var tune = conn.CreateCommand())
        {
            // The writer's page cache holds the hot index pages. CheckpointLoop copies committed WAL frames into the
            // database on its own connection (WAL mode lets it run alongside the writer), so the writer's own
            // checkpoint, every 2,000 pages, finds little left to copy and sync; only the writer can complete a
            // checkpoint while writes keep coming, which is what lets the next transaction restart the WAL from its
            // beginning (with the checkpointer alone the WAL grew by gigabytes under load, and the disk throttled
            // every write). journal_size_limit then truncates the WAL file back after a restart.
            tune.CommandText = $"PRAGMA cache_size=-{_writerCacheKib}; PRAGMA wal_autocheckpoint=2000; PRAGMA journal_size_limit={64 * 1024 * 1024}; PRAGMA temp_store=MEMORY;";
            tune.ExecuteNonQuery();
        }
        using var writer = new StoreWriter(conn);
        var batch = new List<PendingWrite>(512);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 2000 && _queue.Reader.TryRead(out var p)) batch.Add(p);
            // One transaction for the whole batch; only if it fails is each caller's work retried alone, so that one
            // bad write fails its own caller and nobody else's.
            if (!TryCommit(conn, writer, batch))
                foreach (var p in batch)
                    if (!TryCommit(conn, writer, [p])) p.Failure ??= new InvalidOperationException("store write failed");
            foreach (var p in batch)
                if (p.Failure is { } f) p.Done.TrySetException(f);
                else p.Done.TrySetResult();
        }
    }

    static bool TryCommit(SqliteConnection conn, StoreWriter writer, IReadOnlyList<PendingWrite> items)
    {
        // The transaction is the connection's (BEGIN on the same handle): the writer's statements run inside it.
        using var tx = conn.BeginTransaction();
        try
        {
            foreach (var p in items) p.Work(writer);
            tx.Commit();
            return true;
        }
        catch (Exception e)
        {
            tx.Rollback();
            if (items.Count == 1) items[0].Failure = e;
            return false;
        }
    }

    /// <summary>
    /// Passive checkpoints once a <see cref="CheckpointInterval"/>: they copy committed WAL frames into the database
    /// and sync it without blocking the writer, whose own checkpoint then has little left to do before the WAL restarts.
    /// </summary>
    void CheckpointLoop()
    {
        try
        {
            using var conn = Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            while (!_stopCheckpoints.Token.WaitHandle.WaitOne(CheckpointInterval))
            {
                try
                {
                    cmd.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Busy or locked for a moment: the next round catches up.
                }
            }
        }
        catch (Exception e)
        {
            // Without checkpoints the WAL only grows; nothing is lost, so say so and keep serving.
            Console.Error.WriteLine($"sqlite checkpointer for {Path} stopped: {e.Message}");
        }
    }

    public IEnumerable<string> LoadTenants()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json FROM tenants ORDER BY id";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    /// <summary>Every TMC message not yet confirmed, oldest first (the queues are rebuilt from them at start).</summary>
    public IReadOnlyList<TmcMessageRow> LoadTmcMessages()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
                          SELECT id, tenant, grp, topic, user_id, user_nick, publisher, content, pub_ms, deliveries, visible_ms, holder, parked
                          FROM tmc_messages ORDER BY id
                          """;
        using var r = cmd.ExecuteReader();
        var list = new List<TmcMessageRow>();
        while (r.Read())
            list.Add(new TmcMessageRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5),
                r.GetString(6), r.GetString(7), r.GetInt64(8), r.GetInt32(9), r.GetInt64(10), r.IsDBNull(11) ? null : r.GetString(11), r.GetInt64(12) != 0));
        return list;
    }

    /// <summary>A tenant's kv documents whose key starts with <paramref name="keyPrefix"/>, as (key, json).</summary>
    public IReadOnlyList<(string Key, string Json)> LoadKv(string tenant, string keyPrefix)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT key, json FROM kv WHERE tenant = $t AND substr(key, 1, length($p)) = $p ORDER BY key";
        cmd.Parameters.AddWithValue("$t", tenant);
        cmd.Parameters.AddWithValue("$p", keyPrefix);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop;
        _stopCheckpoints.Cancel();
        _checkpointer.Join();
        SqliteConnection.ClearAllPools();
    }

    sealed class PendingWrite(Action<StoreWriter> work)
    {
        public Action<StoreWriter> Work { get; } = work;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failure { get; set; }
    }
}
