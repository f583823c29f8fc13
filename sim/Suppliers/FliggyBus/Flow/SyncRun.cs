using System.Collections.Concurrent;

namespace Sandbox.Suppliers.FliggyBus.Flow;

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
