namespace Sandbox.LoadTests.Framework;

/// <summary>
/// Timeouts for very many short operations without a timer per operation: HttpClient.Timeout links a new
/// CancellationTokenSource and timer to every request, which cost a fifth of the generator's throughput on loopback.
/// Here all operations started within the same second share one source, which fires between <c>timeout</c> and
/// <c>timeout</c> + 1 s after each of them started.
/// </summary>
public sealed class CoarseTimeout(TimeSpan timeout)
{
    private static readonly TimeSpan Granularity = TimeSpan.FromSeconds(1);

    private Slot? _slot;

    public TimeSpan Timeout => timeout;

    /// <summary>A token cancelled when <paramref name="outer"/> is, or after the timeout.</summary>
    public CancellationToken Token(CancellationToken outer)
    {
        var tick = Environment.TickCount64 / (long)Granularity.TotalMilliseconds;
        var slot = Volatile.Read(ref _slot);
        if (slot is null || slot.Tick != tick || slot.Outer != outer)
        {
            // Threads racing here each make a slot; the losers' sources still fire on time, so nothing is lost.
            var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
            source.CancelAfter(timeout + Granularity);
            slot = new Slot(tick, outer, source);
            Volatile.Write(ref _slot, slot);
        }

        return slot.Source.Token;
    }

    private sealed record Slot(long Tick, CancellationToken Outer, CancellationTokenSource Source);
}
