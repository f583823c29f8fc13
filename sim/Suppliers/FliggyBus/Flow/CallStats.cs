using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// How fast and how well one merchant answers, per Qimen method, since the tenant was created or reset: calls, what
/// Fliggy took, each verdict, signature refusals and latency percentiles. This is what a load run reports as the
/// operator's throughput (the journal keeps the calls themselves, bounded; these counters see every one).
/// </summary>
public sealed class CallStats
{
    readonly ConcurrentDictionary<(string Tenant, string Method), MethodStats> _stats = new();

    public void Record(string tenant, QimenCall call) => _stats.GetOrAdd((tenant, call.Method), _ => new MethodStats()).Record(call);

    public JsonObject Of(string tenant) => new()
    {
        ["methods"] = new JsonArray(_stats.Where(kv => kv.Key.Tenant == tenant).OrderBy(kv => kv.Key.Method, StringComparer.Ordinal)
            .Select(kv => (JsonNode)kv.Value.ToJson(kv.Key.Method)).ToArray()),
    };

    public void ForgetTenant(string tenant)
    {
        foreach (var key in _stats.Keys.Where(k => k.Tenant == tenant)) _stats.TryRemove(key, out _);
    }

    sealed class MethodStats
    {
        readonly LatencyHistogram _latency = new();
        readonly ConcurrentDictionary<string, long> _verdicts = new(StringComparer.Ordinal);
        long _calls, _accepted, _signatureRefusals;
        readonly long _since = Environment.TickCount64;

        public void Record(QimenCall call)
        {
            Interlocked.Increment(ref _calls);
            if (call.Accepted) Interlocked.Increment(ref _accepted);
            if (call.Outcome == QimenOutcome.SignCheckFailure) Interlocked.Increment(ref _signatureRefusals);
            _verdicts.AddOrUpdate(call.Verdict, 1, (_, n) => n + 1);
            if (call.HttpStatus is not null) _latency.Record(call.LatencyMicros);
        }

        public JsonObject ToJson(string method) => new()
        {
            ["method"] = method,
            ["calls"] = Interlocked.Read(ref _calls),
            ["accepted"] = Interlocked.Read(ref _accepted),
            ["signatureRefusals"] = Interlocked.Read(ref _signatureRefusals),
            ["verdicts"] = new JsonObject(_verdicts.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
            ["secondsSinceFirst"] = Math.Round((Environment.TickCount64 - _since) / 1000.0, 1),
            ["latencyMs"] = new JsonObject
            {
                ["answered"] = _latency.Count,
                ["p50"] = Ms(_latency.Percentile(50)),
                ["p95"] = Ms(_latency.Percentile(95)),
                ["p99"] = Ms(_latency.Percentile(99)),
                ["max"] = Ms(_latency.Max),
            },
        };

        static double Ms(long micros) => Math.Round(micros / 1000.0, 2);
    }

    /// <summary>
    /// Log-linear microsecond histogram: exact below 64 µs, then 32 buckets per power of two (values within ~3 %);
    /// fixed size and lock-free.
    /// </summary>
    sealed class LatencyHistogram
    {
        const int SubBits = 6;
        const int Sub = 1 << SubBits;
        const int Half = Sub / 2;
        const int Shifts = 32;
        readonly long[] _buckets = new long[Sub + Shifts * Half];
        long _count, _max;

        public long Count => Interlocked.Read(ref _count);
        public long Max => Interlocked.Read(ref _max);

        public void Record(long micros)
        {
            micros = Math.Max(0, micros);
            Interlocked.Increment(ref _buckets[Index(micros)]);
            Interlocked.Increment(ref _count);
            var max = Interlocked.Read(ref _max);
            while (micros > max && Interlocked.CompareExchange(ref _max, micros, max) is var seen && seen != max) max = seen;
        }

        public long Percentile(double p)
        {
            long total = 0;
            foreach (var b in _buckets) total += b;
            if (total == 0) return 0;
            var rank = Math.Max(1, (long)Math.Ceiling(p / 100 * total));
            long seen = 0;
            for (var i = 0; i < _buckets.Length; i++)
                if ((seen += Interlocked.Read(ref _buckets[i])) >= rank) return Math.Min(Upper(i), Max);
            return Max;
        }

        static int Index(long v)
        {
            if (v < Sub) return (int)v;
            var shift = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)v) - (SubBits - 1), Shifts);
            var sub = (int)Math.Min(v >> shift, Sub - 1);
            return Sub + (shift - 1) * Half + (sub - Half);
        }

        static long Upper(int i)
        {
            if (i < Sub) return i;
            var shift = (i - Sub) / Half + 1;
            var sub = (i - Sub) % Half + Half;
            return ((long)(sub + 1) << shift) - 1;
        }
    }
}
