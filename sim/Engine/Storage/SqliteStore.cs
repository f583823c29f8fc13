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

    public string Path { get; }

    public SqliteStore(string path)
    {
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
        using (var c = Open()) Schema.Migrate(c);
        _writerLoop = Task.Run(WriterLoop);
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
            // The writer's page cache holds the hot index pages; checkpoint less often (each one syncs).
            tune.CommandText = "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=4000; PRAGMA temp_store=MEMORY;";
            tune.ExecuteNonQuery();
        }
        var writer = new StoreWriter(conn);
        var batch = new List<PendingWrite>(512);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 2000 && _queue.Reader.TryRead(out var p)) batch.Add(p);
            using (var tx = conn.BeginTransaction())
            {
                writer.Begin(tx);
                foreach (var p in batch)
                {
                    using var sp = new SavepointScope(conn, tx);
                    try
                    {
                        p.Work(writer);
                        sp.Release();
                    }
                    catch (Exception e)
                    {
                        sp.Rollback();
                        p.Failure = e;
                    }
                }
                try
                {
                    tx.Commit();
                }
                catch (Exception e)
                {
                    foreach (var p in batch) p.Failure ??= e;
                }
            }
            foreach (var p in batch)
                if (p.Failure is { } f) p.Done.TrySetException(f);
                else p.Done.TrySetResult();
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

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop;
        SqliteConnection.ClearAllPools();
    }

    sealed class PendingWrite(Action<StoreWriter> work)
    {
        public Action<StoreWriter> Work { get; } = work;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failure { get; set; }
    }

    /// <summary>Isolates one caller's work inside the shared batch transaction, so one failure does not sink the others.</summary>
    readonly struct SavepointScope : IDisposable
    {
        readonly SqliteConnection _c;
        readonly SqliteTransaction _tx;

        public SavepointScope(SqliteConnection c, SqliteTransaction tx)
        {
            _c = c;
            _tx = tx;
            Exec("SAVEPOINT w");
        }

        public void Release() => Exec("RELEASE w");

        public void Rollback()
        {
            Exec("ROLLBACK TO w");
            Exec("RELEASE w");
        }

        void Exec(string sql)
        {
            using var cmd = _c.CreateCommand();
            cmd.Transaction = _tx;
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }

        public void Dispose() { }
    }
}
