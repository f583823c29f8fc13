using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sandbox.Engine;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Storage;

namespace Sandbox.Tests.Engine;

/// <summary>
/// Only timed work within the scheduler's window ahead of a tenant's clock is held in memory; later timers wait in the
/// store and still fire at their own virtual instant — in real time, in a clock advance (also a follow-on the replay arms
/// beyond the old window), after a restart — and a timer re-armed or cancelled while it waits in the store fires as its
/// last arming says.
/// </summary>
public sealed class TimerWindowTests : IAsyncLifetime
{
    const string Tenant = "w";
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sbx-window-");
    readonly List<(string Kind, long At)> _fired = [];
    string DbPath => Path.Combine(_dir.FullName, "store.db");
    Rig _rig = null!;

    sealed record Rig(SqliteStore Store, VirtualClock Clock, VirtualScheduler Scheduler, DurableTimers Timers) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Scheduler.DisposeAsync();
            await Store.DisposeAsync();
        }
    }

    Rig Start(double windowSeconds, ClockState clock)
    {
        var store = new SqliteStore(DbPath);
        var vclock = new VirtualClock(TimeProvider.System);
        vclock.Load(Tenant, clock);
        var options = Options.Create(new SandboxOptions { Timers = new TimerOptions { WindowSeconds = windowSeconds } });
        var scheduler = new VirtualScheduler(vclock, NullLogger<VirtualScheduler>.Instance, options);
        var timers = new DurableTimers(store, scheduler, new SingleReplica(), NullLogger<DurableTimers>.Instance);
        timers.Handle("record", (t, uow) =>
        {
            lock (_fired) _fired.Add((t.Kind, vclock.NowMs(t.Tenant)));
            // A follow-on an hour after its own instant: beyond the window the replay started with.
            if (t.Kind == "chain") timers.Schedule(uow, Row("then", vclock.NowMs(t.Tenant) + 3_600_000));
            return ValueTask.CompletedTask;
        });
        return new Rig(store, vclock, scheduler, timers);
    }

    static TimerRow Row(string key, long due) => new(DurableTimers.Id(Tenant, key), Tenant, "record", "test", key, "e", "", "", null, due);

    async Task Arm(string key, long due)
    {
        var uow = new UnitOfWork(_rig.Store);
        _rig.Timers.Schedule(uow, Row(key, due));
        await uow.CommitAsync();
    }

    async Task Cancel(string key)
    {
        var uow = new UnitOfWork(_rig.Store);
        _rig.Timers.Cancel(uow, DurableTimers.Id(Tenant, key));
        await uow.CommitAsync();
    }

    Task Advance(long untilMs) =>
        _rig.Scheduler.ReplayAsync(Tenant, untilMs, () =>
        {
            _rig.Clock.Set(Tenant, new ClockState(0, untilMs));
            return Task.CompletedTask;
        });

    (string Kind, long At)[] Fired()
    {
        lock (_fired) return [.. _fired];
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_rig is not null) await _rig.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _dir.Delete(recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Timers_beyond_the_window_wait_in_the_store_and_an_advance_fires_each_at_its_own_instant()
    {
        var t0 = new DateTimeOffset(2027, 5, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        _rig = Start(120, new ClockState(0, t0));
        const long minute = 60_000, day = 86_400_000;

        await Arm("near", t0 + minute);
        for (var i = 0; i < 1_000; i++) await Arm($"far{i}", t0 + day + i);
        await Arm("chain", t0 + 2 * day);
        await Arm("moved", t0 + 3 * day);
        await Arm("cancelled", t0 + 3 * day);

        // Memory holds the one timer due within two minutes; the 1,003 others are rows.
        Assert.Equal(1, _rig.Scheduler.Pending(Tenant));
        Assert.Equal(1_004, _rig.Store.LoadTimers(Tenant).Count);

        // Re-armed nearer while in the store, and cancelled while in the store.
        await Arm("moved", t0 + day / 2);
        await Cancel("cancelled");

        await Advance(t0 + 4 * day);
        var fired = Fired();
        Assert.Equal(["near", "moved", .. Enumerable.Range(0, 1_000).Select(i => $"far{i}"), "chain", "then"], fired.Select(f => f.Kind));
        Assert.Equal([t0 + minute, t0 + day / 2, .. Enumerable.Range(0, 1_000).Select(i => t0 + day + i), t0 + 2 * day, t0 + 2 * day + 3_600_000],
            fired.Select(f => f.At));
        Assert.Empty(_rig.Store.LoadTimers(Tenant));
    }

    [Fact]
    public async Task In_real_time_a_timer_beyond_the_window_is_armed_as_the_window_reaches_it_and_fires_when_due()
    {
        _rig = Start(0.2, ClockState.Real);
        var due = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_000;
        await Arm("later", due);
        Assert.Equal(0, _rig.Scheduler.Pending(Tenant));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Fired().Length == 0 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        var (kind, at) = Assert.Single(Fired());
        Assert.Equal("later", kind);
        Assert.InRange(at, due, due + 1_000);
    }

    [Fact]
    public async Task After_a_restart_only_the_window_comes_back_into_memory_and_the_rest_fires_from_the_store()
    {
        var t0 = new DateTimeOffset(2027, 5, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        _rig = Start(120, new ClockState(0, t0));
        await Arm("soon", t0 + 30_000);
        await Arm("tomorrow", t0 + 86_400_000);
        await _rig.DisposeAsync();

        _rig = Start(120, new ClockState(0, t0));
        _rig.Timers.Recover();
        Assert.Equal(1, _rig.Scheduler.Pending(Tenant));
        await Advance(t0 + 2 * 86_400_000);
        Assert.Equal([("soon", t0 + 30_000), ("tomorrow", t0 + 86_400_000)], Fired());
    }
}
