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
