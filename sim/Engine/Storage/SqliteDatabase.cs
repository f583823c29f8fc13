using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Sandbox.Engine.Storage;

/// <summary>
/// One SQLite file in WAL mode with a single writer that commits whatever is queued in one transaction (group commit);
/// each caller's task completes only after its transaction committed, so a reply is sent only for state on disk.
/// <typeparamref name="TWriter"/> holds the file's prepared statements (the main store's, the journal's).
/// </summary>
sealed class SqliteDatabase<TWriter> : IAsyncDisposable where TWriter : IDisposable
{
    readonly string _connectionString;
    readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    readonly Func<SqliteConnection, TWriter> _writerFactory;
    readonly int _writerCacheKib;
    readonly Task _writerLoop;
    // The writer sleeps on this when the queue is empty. No spinning: a Task waited on synchronously spins before it
    // blocks, and a writer woken a few thousand times a second spent a tenth of the process's CPU spinning.
    readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    readonly CancellationTokenSource _stopCheckpoints = new();
    readonly Thread _checkpointer;

    public string Path { get; }

    public SqliteDatabase(string path, string[] schema, int writerCacheKib, Func<SqliteConnection, TWriter> writerFactory)
    {
        _writerCacheKib = writerCacheKib;
        _writerFactory = writerFactory;
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
        // The writer blocks in SQLite for as long as a batch takes (a checkpoint's fsync, a journal prune): on its own
        // thread, not a thread-pool worker. On two cores the pool starts with two workers; the store's and the journal's
        // writers holding them left requests queued until the pool grew, the 286 ms p99 of a second wrk round.
        _writerLoop = Task.Factory.StartNew(WriterLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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

    /// <summary>Runs a read on a pooled connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        using var c = Open();
        return read(c);
    }

    public Task Write(Action<TWriter> work)
    {
        var p = new PendingWrite(work);
        if (!_queue.Writer.TryWrite(p)) return WriteSlow(p);
        Wake();
        return p.Done.Task;
    }

    async Task WriteSlow(PendingWrite p)
    {
        await _queue.Writer.WriteAsync(p);
        Wake();
        await p.Done.Task;
    }

    /// <summary>After a write is queued: the writer resets the event before it looks at the queue, so none is missed.</summary>
    void Wake()
    {
        if (!_wake.IsSet) _wake.Set();
    }

    /// <summary>Blocks until the queue has work (true) or is completed and empty (false).</summary>
    bool WaitForWork()
    {
        while (true)
        {
            if (_queue.Reader.TryPeek(out _)) return true;
            if (_queue.Reader.Completion.IsCompleted) return false;
            _wake.Reset();
            if (_queue.Reader.TryPeek(out _)) return true;
            if (_queue.Reader.Completion.IsCompleted) return false;
            _wake.Wait();
        }
    }

    void WriterLoop()
    {
        Thread.CurrentThread.Name = "sqlite writer " + System.IO.Path.GetFileName(Path);
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
        using var writer = _writerFactory(conn);
        var batch = new List<PendingWrite>(512);
        while (WaitForWork())
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

    static bool TryCommit(SqliteConnection conn, TWriter writer, IReadOnlyList<PendingWrite> items)
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
    /// Passive checkpoints once a <see cref="SqliteStore.CheckpointInterval"/>: they copy committed WAL frames into the
    /// database and sync it without blocking the writer, whose own checkpoint then has little left to do before the WAL
    /// restarts.
    /// </summary>
    void CheckpointLoop()
    {
        try
        {
            using var conn = Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            while (!_stopCheckpoints.Token.WaitHandle.WaitOne(SqliteStore.CheckpointInterval))
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

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _wake.Set();
        await _writerLoop;
        _stopCheckpoints.Cancel();
        _checkpointer.Join();
        SqliteConnection.ClearAllPools();
    }

    sealed class PendingWrite(Action<TWriter> work)
    {
        public Action<TWriter> Work { get; } = work;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failure { get; set; }
    }
}
