using Sandbox.LoadTests.Framework;

namespace Sandbox.Tests.LoadReports;

public class TimeSeriesTests
{
    [Fact]
    public void Each_point_holds_what_completed_in_its_interval_across_both_phases()
    {
        var warmUp = new RunStats("flow");
        var measured = new RunStats("flow");
        var recorder = new TimeSeriesRecorder();

        LoadRunFixture.Record(warmUp, "Search", 10, TimeSpan.FromMilliseconds(1));
        recorder.Sample(1.0, "warm-up", warmUp, measured, inFlight: 2);

        // An invocation scheduled in warm-up that completes after it still lands in the second it completed in.
        LoadRunFixture.Record(warmUp, "Search", 3, TimeSpan.FromMilliseconds(20));
        LoadRunFixture.Record(measured, "Search", 5, TimeSpan.FromMilliseconds(20), failures: 2);
        recorder.Sample(1.5, "measuring", warmUp, measured, inFlight: 4);

        var search = Assert.Single(recorder.Series, s => s.Kind == SeriesKind.Step);
        Assert.Equal("Search", search.Name);
        Assert.Collection(search.Points,
            p =>
            {
                Assert.Equal((1.0, 1.0, "warm-up", 10L, 0L), (p.Second, p.IntervalSeconds, p.Phase, p.Ok, p.Fail));
                Assert.InRange(p.P50Micros, 1_000, 1_000 + 1_000 / 64);
                Assert.Equal(10.0, p.OkPerSecond);
            },
            p =>
            {
                Assert.Equal((1.5, 0.5, "measuring", 8L, 2L), (p.Second, p.IntervalSeconds, p.Phase, p.Ok, p.Fail));
                Assert.InRange(p.P50Micros, 20_000, 20_000 + 20_000 / 64);
                Assert.Equal(16.0, p.OkPerSecond);
                Assert.Equal(4.0, p.FailPerSecond);
            });
        Assert.Equal((18L, 2L), (search.TotalOk, search.TotalFail));
        Assert.Equal([2L, 4L], recorder.InFlight.Select(g => g.Value));
    }

    [Fact]
    public void An_interval_without_completions_has_zero_counts_and_no_latency()
    {
        var stats = new RunStats("flow");
        var recorder = new TimeSeriesRecorder();
        LoadRunFixture.Record(stats, "Search", 4, TimeSpan.FromMilliseconds(3));
        recorder.Sample(1, "measuring", new RunStats("flow"), stats, 0);
        recorder.Sample(2, "measuring", new RunStats("flow"), stats, 0);

        var quiet = recorder.Series.Single(s => s.Name == "Search").Points[1];
        Assert.Equal((0L, 0L, 0L, 0L), (quiet.Ok, quiet.Fail, quiet.P50Micros, quiet.P99Micros));
    }

    [Fact]
    public void Sampling_never_adds_a_step_to_a_phase_it_did_not_run_in()
    {
        var warmUp = new RunStats("flow");
        var measured = new RunStats("flow");
        LoadRunFixture.Record(measured, "Commit", 1, TimeSpan.FromMilliseconds(1));
        measured.Latency("callback latency").Record(TimeSpan.FromMilliseconds(4));

        new TimeSeriesRecorder().Sample(1, "measuring", warmUp, measured, 0);

        Assert.Empty(warmUp.Steps);
        Assert.Empty(warmUp.Latencies);
    }

    [Fact]
    public void The_whole_flow_and_flow_recorded_latencies_are_series_of_their_own()
    {
        var run = LoadRunFixture.Run();

        var flow = Assert.Single(run.TimeSeries.Series, s => s.Kind == SeriesKind.Flow);
        Assert.Equal(TimeSeriesRecorder.FlowSeriesName, flow.Name);
        Assert.Equal([20L, 300L], flow.Points.Select(p => p.Ok));
        var callback = Assert.Single(run.TimeSeries.Series, s => s.Kind == SeriesKind.Latency);
        // A series starts with the first interval in which it recorded anything.
        var point = Assert.Single(callback.Points);
        Assert.Equal((5.0, 300L), (point.Second, point.Ok));
        Assert.InRange(point.P99Micros, 25_000, 25_000 + 25_000 / 64);
    }

    [Fact]
    public async Task A_real_run_accounts_for_every_flow_in_its_time_series()
    {
        var scenario = Scenario.Create("instant", async ctx => await Step.Run("Noop", ctx, () => Task.FromResult(Response.Ok())))
            .WithWarmUpDuration(TimeSpan.FromMilliseconds(300))
            .WithLoadSimulations(LoadSimulation.KeepConstant(2, TimeSpan.FromMilliseconds(1200)));

        var result = await Runner.RunAsync(scenario);

        var flow = result.TimeSeries.Series.Single(s => s.Kind == SeriesKind.Flow);
        Assert.Equal(result.WarmUp.Scenario.Ok + result.Measured.Scenario.Ok, flow.Points.Sum(p => p.Ok));
        Assert.True(flow.Points.Sum(p => p.Ok) > 0);
        Assert.Equal(flow.Points.Count, result.TimeSeries.InFlight.Count);
        Assert.Equal(0, result.TimeSeries.InFlight[^1].Value);
    }
}
