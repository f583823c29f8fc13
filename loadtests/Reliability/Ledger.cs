using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sandbox.LoadTests.Reliability;

/// <summary>An order the sim acknowledged to the integrator: it must survive anything that happens afterwards.</summary>
/// <param name="Entity">the id the admin API finds it by</param>
/// <param name="Key">the integrator's own key for it (unique per flow: a second order with it is a duplicate)</param>
/// <param name="Completed">the flow's last step was acknowledged too (paid, activated): the order must reach its final state</param>
public sealed record Acknowledged(string Supplier, string Entity, string Key, bool Completed);

/// <summary>What the load did: acknowledged orders, flows, retries across crashes, and latencies per supplier and minute.</summary>
public sealed class Ledger
{
    readonly ConcurrentDictionary<string, Acknowledged> _orders = new();
    readonly ConcurrentDictionary<(string Supplier, int Minute), Framework.Histogram> _latency = new();
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _flows, _abandoned, _retries, _unknown;

    public IReadOnlyCollection<Acknowledged> Orders => _orders.Values.ToList();
    public long Flows => Interlocked.Read(ref _flows);
    public long Abandoned => Interlocked.Read(ref _abandoned);
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>Flows whose create call has no idempotency key and failed on the network: it may or may not have made an order.</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    public void FlowStarted() => Interlocked.Increment(ref _flows);
    public void FlowAbandoned() => Interlocked.Increment(ref _abandoned);
    public void Retried() => Interlocked.Increment(ref _retries);
    public void OutcomeUnknown() => Interlocked.Increment(ref _unknown);

    public void Acknowledge(Acknowledged a) => _orders.AddOrUpdate(a.Supplier + "/" + a.Entity, a, (_, old) => old with { Completed = old.Completed || a.Completed });

    public int Minute => (int)_clock.Elapsed.TotalMinutes;

    public void Latency(string supplier, TimeSpan elapsed) =>
        _latency.GetOrAdd((supplier, Minute), _ => new Framework.Histogram()).Record(elapsed);

    public (long Count, double P50, double P99)? LatencyOf(string supplier, int minute) =>
        _latency.TryGetValue((supplier, minute), out var h) && h.Count > 0 ? (h.Count, h.PercentileMicros(50) / 1000.0, h.PercentileMicros(99) / 1000.0) : null;
}
