using Sandbox.LoadTests.Framework;

namespace Sandbox.Tests.LoadReports;

public class ThresholdTests
{
    [Theory]
    [InlineData("50ms", null, 50.0)]
    [InlineData("50", null, 50.0)]
    [InlineData("1.5s", null, 1500.0)]
    [InlineData("800us", null, 0.8)]
    [InlineData("Commit=80ms", "Commit", 80.0)]
    [InlineData("callback latency = 250ms", "callback latency", 250.0)]
    public void Latency_limits_parse_with_their_unit_and_optional_step(string text, string? target, double milliseconds)
    {
        var threshold = Threshold.Parse(ThresholdMetric.P99, text);

        Assert.Equal((ThresholdMetric.P99, target, milliseconds, false), (threshold.Metric, threshold.Target, threshold.Limit, threshold.Percent), new ToleranceComparer());
    }

    [Theory]
    [InlineData("0", null, 0.0, false)]
    [InlineData("12", null, 12.0, false)]
    [InlineData("0.5%", null, 0.5, true)]
    [InlineData("Commit=0", "Commit", 0.0, false)]
    public void Error_limits_are_counts_or_percentages(string text, string? target, double limit, bool percent)
    {
        var threshold = Threshold.Parse(ThresholdMetric.Errors, text);

        Assert.Equal((target, limit, percent), (threshold.Target, threshold.Limit, threshold.Percent));
        Assert.Equal(text.Replace(" ", ""), threshold.Rule.Split(' ')[1]);
    }

    [Theory]
    [InlineData(ThresholdMetric.P99, "fast")]
    [InlineData(ThresholdMetric.P99, "-5ms")]
    [InlineData(ThresholdMetric.P99, "0ms")]
    [InlineData(ThresholdMetric.P99, "=5ms")]
    [InlineData(ThresholdMetric.P95, "Commit=")]
    [InlineData(ThresholdMetric.Errors, "1.5")]
    [InlineData(ThresholdMetric.Errors, "150%")]
    [InlineData(ThresholdMetric.Errors, "some")]
    public void Malformed_limits_are_refused(ThresholdMetric metric, string text) =>
        Assert.Throws<FormatException>(() => Threshold.Parse(metric, text));

    [Fact]
    public void A_limit_without_a_step_applies_to_every_step_and_a_step_rule_replaces_it_there()
    {
        var run = LoadRunFixture.Run();
        Threshold[] thresholds = [Threshold.Parse(ThresholdMetric.P99, "50ms"), Threshold.Parse(ThresholdMetric.P99, "Commit=120ms")];

        var results = Thresholds.Evaluate(thresholds, run);

        Assert.Collection(results,
            r => Assert.Equal(("--max-p99 50ms", "LowFareSearch", true), (r.Rule, r.Target, r.Passed)),
            r => Assert.Equal(("--max-p99 Commit=120ms", "Commit", true), (r.Rule, r.Target, r.Passed)));
    }

    [Fact]
    public void A_step_over_its_limit_fails_with_the_measured_value()
    {
        var results = Thresholds.Evaluate([Threshold.Parse(ThresholdMetric.P99, "50ms")], LoadRunFixture.Run());

        var commit = Assert.Single(results, r => !r.Passed);
        Assert.Equal("Commit", commit.Target);
        Assert.StartsWith("100.", commit.Actual);
    }

    [Fact]
    public void The_whole_flow_and_flow_recorded_latencies_can_be_named()
    {
        var run = LoadRunFixture.Run();

        var results = Thresholds.Evaluate(
            [Threshold.Parse(ThresholdMetric.P50, "flow=100ms"), Threshold.Parse(ThresholdMetric.P99, "callback latency=30ms")], run);

        Assert.Equal([(TimeSeriesRecorder.FlowSeriesName, false), ("callback latency (emitted → received)", true)], results.Select(r => (r.Target, r.Passed)));
    }

    [Fact]
    public void A_misspelt_step_fails_instead_of_passing_silently()
    {
        var result = Assert.Single(Thresholds.Evaluate([Threshold.Parse(ThresholdMetric.P99, "Comit=80ms")], LoadRunFixture.Run()));

        Assert.False(result.Passed);
        Assert.Contains("no such step", result.Actual);
        Assert.Contains("Commit", result.Actual);
    }

    [Fact]
    public void Error_limits_count_failed_flows_warm_up_included_or_one_steps_failed_calls()
    {
        var run = LoadRunFixture.Run(commitFailures: 3);

        var results = Thresholds.Evaluate(
        [
            Threshold.Parse(ThresholdMetric.Errors, "0"),
            Threshold.Parse(ThresholdMetric.Errors, "3"),
            Threshold.Parse(ThresholdMetric.Errors, "1%"),
            Threshold.Parse(ThresholdMetric.Errors, "Commit=0.5%"),
            Threshold.Parse(ThresholdMetric.Errors, "LowFareSearch=0"),
        ], run);

        Assert.Equal([false, true, true, false, true], results.Select(r => r.Passed));
        Assert.Equal("3 of 320 failed (0.938%)", results[2].Actual);
    }

    [Fact]
    public void Without_an_error_limit_any_failure_fails_the_run_and_with_one_the_limit_decides()
    {
        var run = LoadRunFixture.Run(commitFailures: 1);
        Threshold[] latencyOnly = [Threshold.Parse(ThresholdMetric.P99, "flow=1s")];
        Threshold[] withErrors = [.. latencyOnly, Threshold.Parse(ThresholdMetric.Errors, "5")];

        Assert.False(Thresholds.Passed(latencyOnly, Thresholds.Evaluate(latencyOnly, run), run));
        Assert.True(Thresholds.Passed(withErrors, Thresholds.Evaluate(withErrors, run), run));
        Assert.True(Thresholds.Passed([], [], LoadRunFixture.Run()));
    }

    [Fact]
    public void A_step_without_successful_calls_cannot_pass_a_latency_limit()
    {
        var warmUp = new RunStats("flow");
        var measured = new RunStats("flow");
        LoadRunFixture.Record(measured, "Commit", 0, TimeSpan.Zero, failures: 4);
        var run = new RunResult(Scenario.Create("flow", _ => Task.FromResult<Response>(Response.Ok())), LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(1)),
            warmUp, measured, 1, 0, TimeSeries.Empty);

        var result = Assert.Single(Thresholds.Evaluate([Threshold.Parse(ThresholdMetric.P99, "50ms")], run));

        Assert.False(result.Passed);
        Assert.Equal("no successful calls to measure", result.Actual);
    }

    sealed class ToleranceComparer : IEqualityComparer<(ThresholdMetric, string?, double, bool)>
    {
        public bool Equals((ThresholdMetric, string?, double, bool) x, (ThresholdMetric, string?, double, bool) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && Math.Abs(x.Item3 - y.Item3) < 1e-9 && x.Item4 == y.Item4;

        public int GetHashCode((ThresholdMetric, string?, double, bool) obj) => obj.Item1.GetHashCode();
    }
}
