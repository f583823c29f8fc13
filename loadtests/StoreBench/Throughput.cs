using System.Diagnostics;
using System.Text.Json.Serialization;
using Sandbox.LoadTests.Framework;

namespace Sandbox.StoreBench;

/// <summary>One measured configuration, as the child process prints it (one JSON line) for the parent to collect.</summary>
public sealed record ThroughputResult(
    [property: JsonPropertyName("store")] string Store,
    [property: JsonPropertyName("callers")] int Callers,
    [property: JsonPropertyName("orders")] long Orders,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("p50Micros")] long P50Micros,
    [property: JsonPropertyName("p99Micros")] long P99Micros,
    [property: JsonPropertyName("maxMicros")] long MaxMicros,
    [property: JsonPropertyName("bytesOnDisk")] long BytesOnDisk,
    [property: JsonPropertyName("bytesAfterClose")] long BytesAfterClose)
{
    public double CommitsPerSecond => Orders / Seconds;
}

[JsonSerializable(typeof(ThroughputResult))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>
/// <paramref name="callers"/> concurrent callers each commit one order and wait for it before the next, as requests in
/// flight do in the sim, until <paramref name="orders"/> are committed or <paramref name="limit"/> has passed.
/// </summary>
public static class Throughput
{
    public static async Task<ThroughputResult> RunAsync(IStoreKind kind, string folder, int callers, long orders, TimeSpan limit)
    {
        var latency = new Histogram();
        long next = 0;
        long committed = 0;
        var store = kind.Open(folder);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var sequence = Interlocked.Increment(ref next);
                if (sequence > orders) return;
                var order = OrderWrite.Create(sequence, random);
                var begun = Stopwatch.GetTimestamp();
                await store.CommitAsync(order);
                latency.Record(Stopwatch.GetElapsedTime(begun));
                Interlocked.Increment(ref committed);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var open = StoreKinds.FolderBytes(folder);
        await store.DisposeAsync();
        return new ThroughputResult(kind.Name, callers, committed, elapsed.TotalSeconds,
            latency.PercentileMicros(50), latency.PercentileMicros(99), latency.MaxMicros, open, StoreKinds.FolderBytes(folder));
    }
}
