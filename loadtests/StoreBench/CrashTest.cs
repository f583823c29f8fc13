using System.Diagnostics;

namespace Sandbox.StoreBench;

/// <summary>
/// Kill -9 mid-write: a child process commits orders from 16 callers and prints each sequence number once its commit
/// returned; the parent kills it with SIGKILL at a random moment, reads every acknowledgement that reached the pipe,
/// reopens the folder and checks that each acknowledged order is there.
/// </summary>
public static class CrashTest
{
    public const int Callers = 16;

    /// <summary>The child's side: commits until killed. Only what was printed counts as acknowledged.</summary>
    public static async Task WriteUntilKilledAsync(IStoreKind kind, string folder)
    {
        var store = kind.Open(folder);
        var stdout = Console.OpenStandardOutput();
        var gate = new Lock();
        long next = 0;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (true)
            {
                var order = OrderWrite.Create(Interlocked.Increment(ref next), random);
                await store.CommitAsync(order);
                var line = System.Text.Encoding.ASCII.GetBytes($"{order.Sequence}\n");
                lock (gate) stdout.Write(line);
            }
        })));
    }

    public sealed record Round(int Number, TimeSpan KilledAfter, int Acknowledged, Recovery Recovery);

    public static Round Run(IStoreKind kind, string folder, int number, Random random, Func<string[], ProcessStartInfo> child)
    {
        Directory.CreateDirectory(folder);
        var start = child(["crash-writer", "--store", kind.Name, "--dir", folder]);
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the writer");
        var acknowledged = new HashSet<long>();
        var firstAck = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (long.TryParse(line, out var n))
                {
                    lock (acknowledged) acknowledged.Add(n);
                    firstAck.Set();
                }
            }
        }) { IsBackground = true };
        reader.Start();

        // Killed between 0.2 and 2 s after the first acknowledged commit: the writer is mid-batch almost always.
        if (!firstAck.Wait(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new InvalidOperationException("the writer acknowledged nothing in 30 s");
        }

        var delay = TimeSpan.FromMilliseconds(200 + random.Next(1800));
        Thread.Sleep(delay);
        process.Kill(entireProcessTree: false);
        process.WaitForExit();
        reader.Join();
        long[] acked;
        lock (acknowledged) acked = [.. acknowledged];
        return new Round(number, delay, acked.Length, kind.Recover(folder, acked));
    }
}
