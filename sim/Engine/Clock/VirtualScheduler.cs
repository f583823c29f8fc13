using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sandbox.Engine.Clock;

/// <summary>
/// Runs work when a tenant's virtual clock reaches its due time: timed transitions and callback retries.
/// A short tick covers real time passing; a clock change (admin advance) fires what became due at once.
/// </summary>
public sealed class VirtualScheduler : IAsyncDisposable
{
    readonly VirtualClock _clock;
    readonly ILogger _log;
    readonly ConcurrentDictionary<string, TenantQueue> _queues = new(StringComparer.Ordinal);
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;

    public VirtualScheduler(VirtualClock clock, ILogger<VirtualScheduler> log)
    {
        _clock = clock;
        _log = log;
        _clock.Changed += tenant => _ = PumpAsync(tenant);
        _loop = Task.Run(Loop);
    }

    /// <summary>Schedules <paramref name="work"/> at a virtual instant; work already due runs right away.</summary>
    public void At(string tenant, long dueVirtualMs, Func<Task> work)
    {
        if (dueVirtualMs <= _clock.NowMs(tenant))
        {
            _ = Run(work);
            return;
        }
        var q = _queues.GetOrAdd(tenant, _ => new TenantQueue());
        lock (q) q.Items.Enqueue(work, dueVirtualMs);
    }

    /// <summary>Runs everything due for the tenant now and waits for it (the admin clock endpoints return after it).</summary>
    public async Task PumpAsync(string tenant)
    {
        if (!_queues.TryGetValue(tenant, out var q)) return;
        var now = _clock.NowMs(tenant);
        var due = new List<Func<Task>>();
        lock (q)
            while (q.Items.TryPeek(out var w, out var at) && at <= now)
            {
                q.Items.Dequeue();
                due.Add(w);
            }
        // Concurrently, so that their store writes share group commits; per-entity order is kept by the
        // callers (one timer per entity at a time, the dispatcher's per-entity queues).
        if (due.Count > 0) await Task.WhenAll(due.Select(Run));
    }

    public int Pending(string tenant) => _queues.TryGetValue(tenant, out var q) ? q.Items.Count : 0;

    public void ForgetTenant(string tenant) => _queues.TryRemove(tenant, out _);

    async Task Run(Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e)
        {
            _log.LogError(e, "scheduled work failed");
        }
    }

    async Task Loop()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                foreach (var tenant in _queues.Keys)
                    await PumpAsync(tenant);
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

    sealed class TenantQueue
    {
        public PriorityQueue<Func<Task>, long> Items { get; } = new();
    }
}
