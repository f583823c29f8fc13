using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sandbox.Engine.Clock;

/// <summary>What kind of work a timer does, for the advance summary.</summary>
public enum WorkKind
{
    /// <summary>A timed transition, an expiry or a module's own timer.</summary>
    Timer,
    /// <summary>A callback delivery attempt.</summary>
    Callback,
}

/// <summary>Timed work a source keeps in its store until the scheduler's window reaches it.</summary>
public interface IPagedWork
{
    /// <summary>Arms (through <see cref="VirtualScheduler.At"/>) the tenant's work due after <paramref name="afterMs"/>
    /// up to <paramref name="throughMs"/>.</summary>
    void ArmDue(string tenant, long afterMs, long throughMs);
}

/// <summary><c>Sandbox:Timers</c>.</summary>
public sealed class TimerOptions
{
    public const double DefaultWindowSeconds = 120;
    /// <summary>How far ahead of a tenant's clock timed work is held in memory; later work waits in the store.</summary>
    public double WindowSeconds { get; set; } = DefaultWindowSeconds;
}

/// <summary>What an advance did: the timers it fired, the callback attempts it made, and where time stopped.</summary>
public sealed record AdvanceSummary(int Fired, int Callbacks, DateTimeOffset Until);

/// <summary>
/// Runs work when a tenant's virtual clock reaches its due time: timed transitions, expiries, module timers and
/// callback attempts. Real time and a clock advance take the same path — the tenant's queue in due order:
/// <list type="bullet">
/// <item>every 10 ms, what real time made due starts at once (concurrently, so store writes share group commits;
/// per-entity order is kept by the callers: one timer per entity, one callback in flight per entity);</item>
/// <item>an advance replays its window instant by instant, as a test clock does: the tenant's clock is held at each due
/// instant while the work due then runs to completion (callbacks really sent), and work created by it joins the
/// queue, so follow-ons due inside the window run too, at their own instants.</item>
/// </list>
/// Durability is the callers': each one persists its timers and re-arms them from the store after a restart.
/// <para>
/// Memory holds only what falls due within a window ahead of each tenant's clock (<see cref="Window"/>, two virtual
/// minutes by default): work due later stays in its source's store (<see cref="IPagedWork"/>) and is armed from there
/// as the window moves on — with real time, a clock advance (the replay first arms everything due in its window) or a
/// clock set. A payment deadline days ahead costs a row on disk, not an object in memory, so a long run at full rate
/// keeps a flat heap.
/// </para>
/// </summary>
public sealed class VirtualScheduler : IAsyncDisposable
{
    readonly VirtualClock _clock;
    readonly ILogger _log;
    readonly ConcurrentDictionary<string, TenantQueue> _queues = new(StringComparer.Ordinal);
    readonly List<IPagedWork> _sources = [];
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    long _seq;

    public VirtualScheduler(VirtualClock clock, ILogger<VirtualScheduler> log, IOptions<SandboxOptions>? options = null)
    {
        _clock = clock;
        _log = log;
        var window = options?.Value.Timers.WindowSeconds ?? TimerOptions.DefaultWindowSeconds;
        Window = TimeSpan.FromSeconds(Math.Max(0.05, window));
        _clock.Changed += tenant => Reach(tenant);
        _loop = Task.Run(Loop);
    }

    /// <summary>How far ahead of a tenant's clock work is held in memory.</summary>
    public TimeSpan Window { get; }

    long WindowMs => (long)Window.TotalMilliseconds;

    /// <summary>A source of work kept in a store until the window reaches it.</summary>
    public void Page(IPagedWork source)
    {
        lock (_sources) _sources.Add(source);
    }

    /// <summary>
    /// Whether work due at <paramref name="dueVirtualMs"/> belongs in memory now (<see cref="At"/>); if not, its source
    /// keeps it and arms it when the window reaches it. Starts watching the tenant.
    /// </summary>
    public bool InWindow(string tenant, long dueVirtualMs)
    {
        var q = Queue(tenant);
        lock (q) return dueVirtualMs <= q.Mark;
    }

    /// <summary>Watches a tenant whose work may be kept in a store, and answers up to which instant memory holds it.</summary>
    public long Watch(string tenant)
    {
        var q = Queue(tenant);
        lock (q) return q.Mark;
    }

    /// <summary>Schedules <paramref name="work"/> at a virtual instant; work already due starts right away (except
    /// while the tenant's clock is being advanced: then it waits its turn in the replay).</summary>
    public void At(string tenant, long dueVirtualMs, WorkKind kind, Func<Task> work)
    {
        var q = Queue(tenant);
        var item = new Work(kind, work);
        lock (q)
        {
            if (q.Replaying || dueVirtualMs > _clock.NowMs(tenant))
            {
                q.Items.Enqueue(item, (dueVirtualMs, Interlocked.Increment(ref _seq)));
                return;
            }
        }
        Start(q, item);
    }

    /// <summary>
    /// Replays the tenant's timers due up to <paramref name="untilMs"/>, each at its own instant and in order (same
    /// instant: concurrently), then runs <paramref name="settle"/> (which moves the clock to its new state) while time is
    /// still held, so that nothing reads a time between the replay and the new state.
    /// </summary>
    public async Task<AdvanceSummary> ReplayAsync(string tenant, long untilMs, Func<Task> settle)
    {
        var q = Queue(tenant);
        await q.Advance.WaitAsync();
        int fired = 0, callbacks = 0;
        try
        {
            Task[] running;
            lock (q)
            {
                q.Replaying = true;
                running = [.. q.Running];
            }
            // Work real time started before the advance (a callback attempt, a transition) finishes first: what it
            // schedules (the next retry, the next timed transition) belongs to the window.
            await Task.WhenAll(running);
            // Everything due in the window (and a window beyond it) comes out of the stores first, so that the replay runs
            // it at its own instant, and what the replay arms inside the window stays in memory.
            Raise(tenant, q, untilMs + WindowMs);
            var at = _clock.NowMs(tenant);
            while (true)
            {
                List<Work> group;
                lock (q)
                {
                    if (!q.Items.TryPeek(out _, out var next) || next.Due > untilMs) break;
                    group = [];
                    while (q.Items.TryPeek(out _, out var p) && p.Due == next.Due) group.Add(q.Items.Dequeue());
                    at = Math.Max(at, next.Due);
                }
                _clock.Pin(tenant, at);
                foreach (var w in group)
                    if (w.Kind == WorkKind.Callback) callbacks++;
                    else fired++;
                await Task.WhenAll(group.Select(Run));
            }
            _clock.Pin(tenant, Math.Max(at, untilMs));
            await settle();
        }
        finally
        {
            lock (q) q.Replaying = false;
            _clock.Unpin(tenant);
            q.Advance.Release();
        }
        return new AdvanceSummary(fired, callbacks, DateTimeOffset.FromUnixTimeMilliseconds(untilMs));
    }

    public int Pending(string tenant) => _queues.TryGetValue(tenant, out var q) ? q.Count : 0;

    /// <summary>Work queued in memory for a later virtual instant within the window, all tenants (stale instances of
    /// re-armed or cancelled timers included); work due later is in its source's store.</summary>
    public long PendingTotal => _queues.Values.Sum(q => (long)q.Count);

    public void ForgetTenant(string tenant) => _queues.TryRemove(tenant, out _);

    /// <summary>Drops the tenant's queued work once what is running for it has finished (its home moved to another replica).</summary>
    public async Task DrainAsync(string tenant)
    {
        if (!_queues.TryRemove(tenant, out var q)) return;
        Task[] running;
        lock (q)
        {
            q.Items.Clear();
            running = [.. q.Running];
        }
        await Task.WhenAll(running);
    }

    TenantQueue Queue(string tenant) => _queues.GetOrAdd(tenant, t => new TenantQueue { Mark = _clock.NowMs(t) + WindowMs });

    /// <summary>Moves the tenant's window up to its clock (a clock set jumps it), arming what it reaches.</summary>
    void Reach(string tenant)
    {
        if (_queues.TryGetValue(tenant, out var q)) Raise(tenant, q, _clock.NowMs(tenant) + WindowMs);
    }

    /// <summary>
    /// Moves the window's end to <paramref name="mark"/> and has the sources arm what falls due up to it. The mark moves
    /// before the sources read, so work armed meanwhile is either read here or finds the new mark and stays in memory.
    /// </summary>
    void Raise(string tenant, TenantQueue q, long mark)
    {
        long from;
        lock (q)
        {
            if (mark <= q.Mark) return;
            from = q.Mark;
            q.Mark = mark;
        }
        IPagedWork[] sources;
        lock (_sources) sources = [.. _sources];
        foreach (var source in sources)
            try
            {
                source.ArmDue(tenant, from, mark);
            }
            catch (Exception e)
            {
                // The store could not be read: the window goes back, the next tick tries again.
                lock (q) q.Mark = Math.Min(q.Mark, from);
                _log.LogError(e, "could not arm timed work of {Tenant} due up to {Mark}", tenant, mark);
                return;
            }
    }

    async Task Run(Work work)
    {
        try
        {
            await work.Run();
        }
        catch (Exception e)
        {
            _log.LogError(e, "scheduled work failed");
        }
    }

    /// <summary>Starts what real time made due. A tenant being advanced is left to its replay.</summary>
    void StartDue(string tenant, TenantQueue q)
    {
        List<Work>? due = null;
        lock (q)
        {
            if (q.Replaying) return;
            var now = _clock.NowMs(tenant);
            while (q.Items.TryPeek(out _, out var p) && p.Due <= now) (due ??= []).Add(q.Items.Dequeue());
        }
        if (due is not null)
            foreach (var w in due) Start(q, w);
    }

    /// <summary>Runs work in the background, tracked until it ends so that an advance can wait for it.</summary>
    void Start(TenantQueue q, Work work)
    {
        var task = Run(work);
        if (task.IsCompleted) return;
        lock (q) q.Running.Add(task);
        task.ContinueWith(t =>
        {
            lock (q) q.Running.Remove(t);
        }, TaskContinuationOptions.ExecuteSynchronously);
    }

    async Task Loop()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                foreach (var (tenant, q) in _queues)
                {
                    StartDue(tenant, q);
                    // The window moves on in steps of a quarter of itself: one small read of the store per step.
                    long mark;
                    lock (q)
                    {
                        if (q.Replaying) continue;
                        mark = _clock.NowMs(tenant) + WindowMs;
                        if (mark - q.Mark < WindowMs / 4) continue;
                    }
                    Raise(tenant, q, mark);
                }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    sealed record Work(WorkKind Kind, Func<Task> Run);

    sealed class TenantQueue
    {
        public PriorityQueue<Work, (long Due, long Seq)> Items { get; } = new();
        /// <summary>One advance of a tenant at a time; two tenants advance independently.</summary>
        public SemaphoreSlim Advance { get; } = new(1, 1);
        public bool Replaying { get; set; }
        /// <summary>Work due up to this virtual instant is in memory (or in flight); later work is in its source's store.</summary>
        public long Mark { get; set; }
        /// <summary>Work started in real time and not finished yet.</summary>
        public HashSet<Task> Running { get; } = [];

        public int Count
        {
            get
            {
                lock (this) return Items.Count;
            }
        }
    }
}
