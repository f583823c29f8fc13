using System.Collections.Concurrent;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// Lets an admin request that set a call in motion (book, pay, refund) answer with what came of it. Every Qimen call
/// runs as a durable timer — so retries, restarts and clock advances treat a first attempt like any other — and the
/// request waits here, a bounded time, until the chain it started settles: a reply was taken and nothing follows at
/// once, or a retry was scheduled on the virtual clock.
/// </summary>
public sealed class Waiters
{
    readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public static string Key(string tenant, string subject) => tenant + "|" + subject;

    /// <summary>Registers before the work is committed, so a chain that settles at once is not missed.</summary>
    public Task Register(string tenant, string subject) =>
        _waiting.GetOrAdd(Key(tenant, subject), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Release(string tenant, string subject)
    {
        if (_waiting.TryRemove(Key(tenant, subject), out var tcs)) tcs.TrySetResult();
    }

    /// <summary>Waits for <paramref name="settled"/> at most <paramref name="limit"/>; false when the limit came first.</summary>
    public static async Task<bool> WaitAsync(Task settled, TimeSpan limit, CancellationToken ct)
    {
        try
        {
            await settled.WaitAsync(limit, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>
/// One catalogue sync (spec §8: from-city → to-city per city → schedules per route) in progress: the calls it has in
/// flight. Each call's first attempt counts until it ends, and the calls it spawns count before it ends, so the sync
/// has settled when the count comes back to zero; calls waiting for a retry on the virtual clock no longer count.
/// </summary>
public sealed class SyncRun(string id)
{
    int _inFlight;
    readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly ConcurrentQueue<string> _problems = new();
    int _calls;

    public string Id { get; } = id;
    public Task Settled => _settled.Task;
    public int Calls => Volatile.Read(ref _calls);
    public IReadOnlyCollection<string> Problems => _problems;

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Ended()
    {
        if (Interlocked.Decrement(ref _inFlight) <= 0) _settled.TrySetResult();
    }

    public void Called() => Interlocked.Increment(ref _calls);

    public void Problem(string text) => _problems.Enqueue(text);
}
