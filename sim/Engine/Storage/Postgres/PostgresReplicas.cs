using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sandbox.Engine.Cluster;

namespace Sandbox.Engine.Storage.Postgres;

/// <summary>
/// The replicas sharing one PostgreSQL database. Each one LISTENs on the <c>sandbox</c> channel (what the others changed),
/// beats its heart in <c>replicas</c> once a second, and owns the tenants whose row in <c>homes</c> names it. A replica
/// whose heartbeat is older than <see cref="DeadAfter"/> is dead: the first survivor to notice takes its homes (row locks
/// with SKIP LOCKED, so each home is taken by one survivor) and recovers their timers and callbacks from the store.
/// </summary>
public sealed class PostgresReplicas : IReplicas, IAsyncDisposable
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(3);
    static readonly TimeSpan ReleaseWait = TimeSpan.FromSeconds(5);

    readonly PostgresStore _store;
    readonly TimeProvider _time;
    readonly ILogger _log;
    readonly HashSet<string> _homes = new(StringComparer.Ordinal);
    readonly Lock _gate = new();
    readonly Dictionary<string, TaskCompletionSource> _awaitingRelease = new(StringComparer.Ordinal);
    readonly CancellationTokenSource _stop = new();
    readonly System.Threading.Channels.Channel<ReplicaSignal> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<ReplicaSignal>(
        new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });
    readonly Task _publisher;
    Task? _listener, _heart;

    public PostgresReplicas(PostgresStore store, TimeProvider time, ILogger<PostgresReplicas> log)
    {
        _store = store;
        _time = time;
        _log = log;
        _publisher = Task.Run(PublishLoop);
        store.Stale += signals =>
        {
            foreach (var s in signals) Received?.Invoke(s with { Origin = Id });
        };
    }

    public bool Shared => true;
    public string Id => _store.ReplicaId;

    public event Action<ReplicaSignal>? Received;
    public event Action<IReadOnlyList<string>>? HomesGained;
    public event Func<string, Task>? HomeLost;

    public bool IsHome(string tenant)
    {
        lock (_gate) return _homes.Contains(tenant);
    }

    long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task StartAsync()
    {
        Exec("INSERT INTO replicas (id, started_ms, heartbeat_ms) VALUES ($1, $2, $2) ON CONFLICT (id) DO UPDATE SET heartbeat_ms = $2",
            PostgresWriter.Text(Id), PostgresWriter.Big(Now));
        // The homes taken now are recovered by the engine's start (it loads every timer and callback this replica is home of).
        var taken = TakeOrphans();
        lock (_gate)
            foreach (var t in taken.Concat(MyHomes())) _homes.Add(t);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _listener = Task.Run(() => ListenLoop(listening));
        await listening.Task;
        _heart = Task.Run(HeartLoop);
    }

    /// <summary>Tenants nobody runs (new, or homed on a replica that stopped beating): this replica takes them.</summary>
    List<string> TakeOrphans()
    {
        var cutoff = Now - (long)DeadAfter.TotalMilliseconds;
        var taken = List("""
                         INSERT INTO homes (tenant, replica, epoch)
                         SELECT t.id, $1, 1 FROM tenants t WHERE NOT EXISTS (SELECT 1 FROM homes h WHERE h.tenant = t.id)
                         ON CONFLICT (tenant) DO NOTHING
                         RETURNING tenant
                         """, PostgresWriter.Text(Id));
        taken.AddRange(List("""
                            UPDATE homes h SET replica = $1, epoch = h.epoch + 1
                            WHERE h.tenant IN (
                                SELECT x.tenant FROM homes x
                                WHERE x.replica <> $1
                                  AND NOT EXISTS (SELECT 1 FROM replicas r WHERE r.id = x.replica AND r.heartbeat_ms >= $2)
                                FOR UPDATE SKIP LOCKED)
                            RETURNING h.tenant
                            """, PostgresWriter.Text(Id), PostgresWriter.Big(cutoff)));
        // TMC messages the dead replicas' connections held are deliverable again at once (their clients reconnect elsewhere).
        var dead = List("DELETE FROM replicas WHERE heartbeat_ms < $1 RETURNING id", PostgresWriter.Big(cutoff));
        foreach (var d in dead)
        {
            Exec("UPDATE tmc_messages SET holder = NULL, visible_ms = 0 WHERE holder LIKE $1", PostgresWriter.Text(d + "/%"));
            _log.LogWarning("replica {Replica} stopped beating: its tenants and TMC deliveries are taken over", d);
        }
        return taken;
    }

    List<string> MyHomes() => List("SELECT tenant FROM homes WHERE replica = $1", PostgresWriter.Text(Id));

    async Task HeartLoop()
    {
        using var timer = new PeriodicTimer(Heartbeat, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await BeatAsync();
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
                {
                    _log.LogWarning("replica heartbeat failed: {Reason}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task BeatAsync()
    {
        var alive = Exec("UPDATE replicas SET heartbeat_ms = $2 WHERE id = $1", PostgresWriter.Text(Id), PostgresWriter.Big(Now));
        if (alive == 0)
        {
            // The others took this replica for dead (it stalled longer than DeadAfter) and took its homes: join again.
            _log.LogWarning("replica {Replica} was taken for dead; joining again", Id);
            Exec("INSERT INTO replicas (id, started_ms, heartbeat_ms) VALUES ($1, $2, $2) ON CONFLICT (id) DO NOTHING",
                PostgresWriter.Text(Id), PostgresWriter.Big(Now));
        }
        var gained = TakeOrphans();
        var mine = MyHomes().ToHashSet(StringComparer.Ordinal);
        List<string> lost;
        lock (_gate)
        {
            lost = _homes.Where(t => !mine.Contains(t)).ToList();
            gained = gained.Concat(mine).Where(t => !_homes.Contains(t)).Distinct().ToList();
            foreach (var t in lost) _homes.Remove(t);
            foreach (var t in gained) _homes.Add(t);
        }
        foreach (var t in lost) await LoseAsync(t, announce: false);
        if (gained.Count > 0)
        {
            _log.LogInformation("replica {Replica} is now home of {Tenants}", Id, string.Join(", ", gained));
            HomesGained?.Invoke(gained);
        }
    }

    public async Task TakeHomeAsync(string tenant)
    {
        if (IsHome(tenant)) return;
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _awaitingRelease[tenant] = released;
        var previous = List("""
                            WITH old AS (SELECT replica FROM homes WHERE tenant = $1 FOR UPDATE)
                            INSERT INTO homes (tenant, replica, epoch) VALUES ($1, $2, 1)
                            ON CONFLICT (tenant) DO UPDATE SET replica = excluded.replica, epoch = homes.epoch + 1
                            RETURNING (SELECT replica FROM old)
                            """, PostgresWriter.Text(tenant), PostgresWriter.Text(Id)).FirstOrDefault();
        if (previous is not null && previous != Id)
        {
            Publish(new ReplicaSignal(ReplicaSignals.Home, tenant, Id, Data: previous));
            // The previous home finishes what it had started for the tenant (a callback in flight) before this one
            // loads the tenant's work; a dead one never answers.
            await Task.WhenAny(released.Task, Task.Delay(ReleaseWait));
        }
        lock (_gate)
        {
            _awaitingRelease.Remove(tenant);
            _homes.Add(tenant);
        }
        HomesGained?.Invoke([tenant]);
    }

    async Task LoseAsync(string tenant, bool announce)
    {
        if (HomeLost is { } lost)
            foreach (var h in lost.GetInvocationList().Cast<Func<string, Task>>())
                await h(tenant);
        if (announce) Publish(new ReplicaSignal(ReplicaSignals.Released, tenant));
    }

    /// <summary>Queued and sent by one loop, in order: an advance's holds must arrive in the order they were taken.</summary>
    public void Publish(ReplicaSignal signal)
    {
        _outgoing.Writer.TryWrite(signal with { Origin = Id });
    }

    async Task PublishLoop()
    {
        while (await _outgoing.Reader.WaitToReadAsync())
            while (_outgoing.Reader.TryRead(out var signal))
            {
                try
                {
                    await using var c = await _store.DataSource.OpenConnectionAsync();
                    _store.Counted();
                    await using var cmd = new NpgsqlCommand("SELECT pg_notify($1, $2)", c);
                    cmd.Parameters.Add(PostgresWriter.Text(PostgresWriter.Channel));
                    cmd.Parameters.Add(PostgresWriter.Text("[" + JsonSerializer.Serialize(signal) + "]"));
                    await cmd.ExecuteNonQueryAsync();
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or ObjectDisposedException)
                {
                    _log.LogWarning("could not signal {Kind} to the other replicas: {Reason}", signal.Kind, e.Message);
                }
            }
    }

    /// <summary>Listens on its own connection; after a lost connection it listens again and tells the engine to resync.</summary>
    async Task ListenLoop(TaskCompletionSource listening)
    {
        var first = true;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var c = await _store.DataSource.OpenConnectionAsync(_stop.Token);
                c.Notification += (_, e) => OnNotification(e.Payload);
                await using (var cmd = new NpgsqlCommand("LISTEN " + PostgresWriter.Channel, c)) await cmd.ExecuteNonQueryAsync(_stop.Token);
                if (first) listening.TrySetResult();
                else Received?.Invoke(new ReplicaSignal(ReplicaSignals.Resync) { Origin = Id });
                first = false;
                while (!_stop.IsCancellationRequested) await c.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e)
            {
                listening.TrySetException(e);
                _log.LogWarning("LISTEN connection lost: {Reason}; listening again", e.Message);
                try { await Task.Delay(500, _stop.Token); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    void OnNotification(string payload)
    {
        ReplicaSignal[]? signals;
        try
        {
            signals = JsonSerializer.Deserialize<ReplicaSignal[]>(payload);
        }
        catch (JsonException e)
        {
            _log.LogWarning("ignored a signal that is not one: {Reason}", e.Message);
            return;
        }
        foreach (var s in signals ?? [])
        {
            if (s.Origin == Id) continue;
            try
            {
                Dispatch(s);
            }
            catch (Exception e)
            {
                _log.LogError(e, "signal {Kind} from {Origin} failed", s.Kind, s.Origin);
            }
        }
    }

    void Dispatch(ReplicaSignal s)
    {
        switch (s.Kind)
        {
            case ReplicaSignals.Home:
                // Only the previous home answers; it drops the tenant's work off the listener's thread (that waits for
                // what is running) and then says so.
                if (s.Data != Id) return;
                lock (_gate) _homes.Remove(s.Tenant!);
                _ = Task.Run(() => LoseAsync(s.Tenant!, announce: true));
                return;
            case ReplicaSignals.Released:
                TaskCompletionSource? waiting;
                lock (_gate) _awaitingRelease.TryGetValue(s.Tenant!, out waiting);
                waiting?.TrySetResult();
                return;
            default:
                Received?.Invoke(s);
                return;
        }
    }

    int Exec(string sql, params NpgsqlParameter[] args) => _store.Read(c =>
    {
        using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args) cmd.Parameters.Add(a);
        return cmd.ExecuteNonQuery();
    });

    List<string> List(string sql, params NpgsqlParameter[] args) => _store.Read(c =>
    {
        using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args) cmd.Parameters.Add(a);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
            if (!r.IsDBNull(0)) list.Add(r.GetString(0));
        return list;
    });

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        await _publisher;
        await _stop.CancelAsync();
        if (_heart is not null) await _heart;
        if (_listener is not null)
        {
            try { await _listener; }
            catch (Exception) { }
        }
        try
        {
            // A clean stop hands this replica's homes over at once instead of after DeadAfter.
            Exec("DELETE FROM replicas WHERE id = $1", PostgresWriter.Text(Id));
        }
        catch (Exception e) when (e is NpgsqlException or ObjectDisposedException or IOException)
        {
        }
    }
}
