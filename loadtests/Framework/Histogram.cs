using System.Numerics;

namespace Sandbox.LoadTests.Framework;

/// <summary>
/// Log-linear latency histogram in microseconds, in the style of HdrHistogram: exact below 128 µs, then
/// 64 sub-buckets per power of two, so a reported value is within 1/64 (≈1.6 %) of the recorded one.
/// Fixed size and lock-free, so every in-flight request records with a few interlocked adds and no allocation.
/// </summary>
public sealed class Histogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int HalfCount = SubBucketCount / 2;

    // Values beyond 2^37 µs (~38 h) land in the last bucket; max stays exact.
    private const int MaxShift = 30;

    private readonly long[] _buckets = new long[SubBucketCount + MaxShift * HalfCount];
    private long _count;
    private long _sum;
    private long _max;

    public long Count => Volatile.Read(ref _count);

    public long MaxMicros => Volatile.Read(ref _max);

    public double MeanMicros => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        Interlocked.Increment(ref _buckets[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, micros);

        var max = Volatile.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void Record(TimeSpan latency) => Record(latency.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>Value at or below which <paramref name="percentile"/> % of samples fall (upper edge of its bucket, capped at the max).</summary>
    public long PercentileMicros(double percentile)
    {
        var value = PercentileMicros(_buckets, percentile);
        return Math.Min(value, MaxMicros);
    }

    /// <summary>Length of the span <see cref="CopyBuckets"/> fills.</summary>
    public static int BucketCount => SubBucketCount + MaxShift * HalfCount;

    /// <summary>
    /// Adds the bucket counts to <paramref name="into"/>. Two copies taken a second apart differ by exactly what was
    /// recorded in that second, which is how the time series gets per-second percentiles without touching the hot path.
    /// </summary>
    public void AddBucketsTo(Span<long> into)
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            into[i] += Volatile.Read(ref _buckets[i]);
        }
    }

    /// <summary>The percentile of a bucket array (a copy, or the difference of two copies): the upper edge of its bucket.</summary>
    public static long PercentileMicros(ReadOnlySpan<long> buckets, double percentile)
    {
        long total = 0;
        foreach (var count in buckets)
        {
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return HighestEquivalent(i);
            }
        }

        return HighestEquivalent(buckets.Length - 1);
    }

    private static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }

        var shift = Math.Min(BitOperations.Log2((ulong)value) - (SubBucketBits - 1), MaxShift);
        var sub = Math.Min(value >> shift, SubBucketCount - 1);
        return SubBucketCount + (shift - 1) * HalfCount + (int)(sub - HalfCount);
    }

    private static long HighestEquivalent(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = (index - SubBucketCount) / HalfCount + 1;
        long sub = HalfCount + (index - SubBucketCount) % HalfCount;
        return ((sub + 1) << shift) - 1;
    }
}
