using Sandbox.LoadTests.Framework;

namespace Sandbox.Tests.LoadReports;

/// <summary>Builds run results by hand: known latencies in known phases, sampled at known seconds.</summary>
static class LoadRunFixture
{
    public static void Record(RunStats stats, string step, int count, TimeSpan latency, int failures = 0, string failureCode = "1201")
    {
        for (var i = 0; i < count; i++) stats.Step(step).Record(latency, Response.Ok());
        for (var i = 0; i < failures; i++) stats.Step(step).Record(latency, Response.Fail(failureCode, "余额不足"));
    }

    public static void RecordFlows(RunStats stats, int ok, TimeSpan latency, int failed = 0)
    {
        for (var i = 0; i < ok; i++) stats.Scenario.Record(latency, Response.Ok());
        for (var i = 0; i < failed; i++) stats.Scenario.Record(latency, Response.Fail("1201", "余额不足"));
    }

    /// <summary>
    /// A two-step flow: 2 s of warm-up then 3 s measured. Search answers in 10 ms, Commit in 100 ms; measured Commit fails
    /// <paramref name="commitFailures"/> times; the callback latency is 25 ms.
    /// </summary>
    public static RunResult Run(int commitFailures = 0, string searchName = "LowFareSearch")
    {
        var warmUp = new RunStats("booking");
        var measured = new RunStats("booking");
        var recorder = new TimeSeriesRecorder();

        Record(warmUp, searchName, 20, TimeSpan.FromMilliseconds(10));
        Record(warmUp, "Commit", 20, TimeSpan.FromMilliseconds(100));
        RecordFlows(warmUp, 20, TimeSpan.FromMilliseconds(110));
        recorder.Sample(2.0, "warm-up", warmUp, measured, inFlight: 3);

        Record(measured, searchName, 300, TimeSpan.FromMilliseconds(10));
        Record(measured, "Commit", 300 - commitFailures, TimeSpan.FromMilliseconds(100), commitFailures);
        RecordFlows(measured, 300 - commitFailures, TimeSpan.FromMilliseconds(110), commitFailures);
        for (var i = 0; i < 300 - commitFailures; i++) measured.Latency("callback latency (emitted → received)").Record(TimeSpan.FromMilliseconds(25));
        recorder.Sample(5.0, "measuring", warmUp, measured, inFlight: 5);

        var scenario = Scenario.Create("booking", _ => Task.FromResult<Response>(Response.Ok())).WithWarmUpDuration(TimeSpan.FromSeconds(2));
        return new RunResult(scenario, LoadSimulation.KeepConstant(4, TimeSpan.FromSeconds(3)), warmUp, measured, 5, 0,
            new TimeSeries(recorder.Series, recorder.InFlight));
    }
}
