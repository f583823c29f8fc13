using Sandbox.LoadTests.Framework;

namespace Sandbox.Tests.LoadReports;

public class HistogramTests
{
    [Fact]
    public void Values_below_128_microseconds_are_exact()
    {
        var h = new Histogram();
        for (var us = 1; us <= 100; us++) h.Record(us);

        Assert.Equal(50, h.PercentileMicros(50));
        Assert.Equal(99, h.PercentileMicros(99));
        Assert.Equal(100, h.PercentileMicros(100));
        Assert.Equal(50.5, h.MeanMicros);
    }

    [Theory]
    [InlineData(50, 5_000)]
    [InlineData(95, 9_500)]
    [InlineData(99, 9_900)]
    public void Larger_values_are_within_one_sixty_fourth(double percentile, long exact)
    {
        var h = new Histogram();
        for (var us = 1; us <= 10_000; us++) h.Record(us);

        var reported = h.PercentileMicros(percentile);
        Assert.InRange(reported, exact, exact + exact / 64);
    }

    [Fact]
    public void The_maximum_caps_a_percentile_at_the_largest_value_recorded()
    {
        var h = new Histogram();
        h.Record(TimeSpan.FromMilliseconds(5));

        Assert.Equal(5_000, h.PercentileMicros(99));
        Assert.Equal(5_000, h.MaxMicros);
    }

    [Fact]
    public void The_difference_of_two_bucket_copies_holds_only_what_was_recorded_between_them()
    {
        var h = new Histogram();
        for (var i = 0; i < 1_000; i++) h.Record(50);
        var before = new long[Histogram.BucketCount];
        h.AddBucketsTo(before);

        for (var i = 0; i < 10; i++) h.Record(90_000);
        var after = new long[Histogram.BucketCount];
        h.AddBucketsTo(after);
        var interval = after.Zip(before, (a, b) => a - b).ToArray();

        Assert.Equal(10, interval.Sum());
        Assert.InRange(Histogram.PercentileMicros(interval, 50), 90_000, 90_000 + 90_000 / 64);
        Assert.Equal(50, h.PercentileMicros(50));
    }

    [Fact]
    public void An_empty_histogram_reports_zero()
    {
        Assert.Equal(0, new Histogram().PercentileMicros(99));
        Assert.Equal(0, Histogram.PercentileMicros(new long[Histogram.BucketCount], 99));
    }
}
