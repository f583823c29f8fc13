using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Sandbox.Engine.Storage;

namespace Sandbox.StoreBench;

/// <summary>The sim's own store: <see cref="SqliteStore"/> (WAL, synchronous=NORMAL, one writer, group commit, checkpointer).</summary>
public sealed class SqliteKind : IStoreKind
{
    public string Name => "sqlite";

    public IOrderStore Open(string folder) => new Store(new SqliteStore(Path.Combine(folder, "sandbox.db")));

    public Recovery Recover(string folder, IReadOnlyCollection<long> acknowledged)
    {
        var started = Stopwatch.GetTimestamp();
        SqliteStore store;
        try
        {
            store = new SqliteStore(Path.Combine(folder, "sandbox.db"));
        }
        catch (Exception e)
        {
            return new Recovery($"open failed: {e.Message}", acknowledged.Count, 0, Stopwatch.GetElapsedTime(started));
        }

        using var checkedStore = new DisposeOnExit(store);
        var openTime = Stopwatch.GetElapsedTime(started);
        try
        {
            // The harness reads the file on its own connection: the store's interface offers no such checks, by design.
            using var c = new SqliteConnection($"Data Source={Path.Combine(folder, "sandbox.db")}");
            c.Open();
            var integrity = Scalar(c, "PRAGMA integrity_check");
            var entities = Strings(c, $"SELECT id FROM entities WHERE tenant = '{OrderWrite.Tenant}'");
            var outbox = Longs(c, "SELECT id FROM outbox");
            var timers = Strings(c, "SELECT id FROM timers");
            var timeline = Strings(c, "SELECT entity FROM timeline");
            var missing = acknowledged.Count(n =>
                !entities.Contains(OrderWrite.EntityIdOf(n)) || !outbox.Contains(n) || !timers.Contains(OrderWrite.TimerIdOf(n)) || !timeline.Contains(OrderWrite.EntityKeyOf(n)));
            if (integrity != "ok") return new Recovery($"integrity_check: {integrity}", missing, entities.Count, openTime);

            var next = (outbox.Count == 0 ? 0 : outbox.Max()) + 1_000_000;
            new Store(store).CommitAsync(OrderWrite.Create(next, new Random(1))).GetAwaiter().GetResult();
            return new Recovery(null, missing, entities.Count, openTime);
        }
        catch (Exception e)
        {
            return new Recovery($"{e.GetType().Name}: {e.Message}", acknowledged.Count, 0, openTime);
        }
    }

    static string Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar()) ?? "";
    }

    static HashSet<string> Strings(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read()) set.Add(r.GetString(0));
        return set;
    }

    static HashSet<long> Longs(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var set = new HashSet<long>();
        while (r.Read()) set.Add(r.GetInt64(0));
        return set;
    }

    sealed class DisposeOnExit(SqliteStore store) : IDisposable
    {
        public void Dispose() => store.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One order is one <see cref="SqliteStore.Write"/>, as a Commit's unit of work is.</summary>
    sealed class Store(SqliteStore store) : IOrderStore
    {
        public Task CommitAsync(OrderWrite o) => store.Write(w =>
        {
            w.UpsertEntity(OrderWrite.Tenant, OrderWrite.Supplier, OrderWrite.Kind, o.EntityId, "PENDING", o.CreatedMs, o.CreatedMs, o.EntityJson);
            w.InsertOutbox(new OutboxRow(o.Sequence, OrderWrite.Tenant, OrderWrite.Supplier, o.EntityKey, "SyncOrderStatus", "http://127.0.0.1:9090/cb", null,
                "POST", "application/json", o.OutboxBody, "pending", 0, o.CreatedMs + 120_000, o.CreatedMs, o.CreatedMs, null));
            w.UpsertTimer(new TimerRow(o.TimerId, OrderWrite.Tenant, "transition", OrderWrite.Supplier, OrderWrite.Kind, o.EntityId, "PENDING", "TICKETED",
                "SyncOrderStatus", o.CreatedMs + 120_000));
            w.AddTimeline(OrderWrite.Tenant, o.EntityKey, o.CreatedMs, o.CreatedMs, "transition", o.TimelineDetail);
        });

        public ValueTask DisposeAsync() => store.DisposeAsync();
    }
}
