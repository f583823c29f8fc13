using System.Diagnostics;

namespace Sandbox.LoadTests.Framework;

/// <summary>Every series, second by second from the start of warm-up to the end of draining.</summary>
public sealed record TimeSeries(IReadOnlyList<Series> Series, IReadOnlyList<GaugePoint> InFlight)
{
    public static readonly TimeSeries Empty = new([], []);
}

public sealed record RunResult(
    Scenario Scenario, LoadSimulation Simulation, RunStats WarmUp, RunStats Measured, long PeakInFlight, long Abandoned, TimeSeries TimeSeries)
{
    /// <summary>Warm-up failures count too: they are real failures, only their latencies are discarded.</summary>
    public bool HasErrors => WarmUp.HasErrors || Measured.HasErrors || Abandoned > 0;

    public double CompletedPerSecond => Measured.Scenario.Ok / Simulation.During.TotalSeconds;
}

public static class Runner
{
    /// <summary>Above Thread.Sleep's ~1 ms granularity, so a late start means the generator could not keep up.</summary>
    public static readonly TimeSpan LateStartThreshold = TimeSpan.FromMilliseconds(5);

    // Long enough for a flow whose last step waits the full 30 s for a push.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Time-series resolution and live-view refresh: one sample of the counters per second.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task<RunResult> RunAsync(Scenario scenario, IProgressView? progress = null)
    {
        var simulation = scenario.LoadSimulation
            ?? throw new InvalidOperationException($"Scenario '{scenario.Name}' has no load simulation.");
        var run = new ScenarioRun(scenario, simulation);
        var series = new TimeSeriesRecorder();

        using var stopSampling = new CancellationTokenSource();
        var sampling = SampleAsync(run, series, progress, stopSampling.Token);

        var starting = simulation switch
        {
            InjectSimulation inject => InjectAsync(run, inject),
            KeepConstantSimulation constant => KeepConstantAsync(run, constant),
            _ => throw new NotSupportedException(simulation.GetType().Name),
        };

        var drainDeadline = run.End + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        if (!await WaitIdleAsync(run, starting, drainDeadline))
        {
            run.Abort();
            await WaitIdleAsync(run, starting, Stopwatch.GetTimestamp() + (long)(AbandonTimeout.TotalSeconds * Stopwatch.Frequency));
        }

        await stopSampling.CancelAsync();
        await sampling;
        run.Sample(series);
        if (progress is not null)
        {
            await progress.CompleteAsync(run.Frame(series) with { Phase = "finished" });
        }

        return run.Result(new TimeSeries(series.Series, series.InFlight));
    }

    private static async Task<bool> WaitIdleAsync(ScenarioRun run, Task starting, long deadline)
    {
        while (!(starting.IsCompleted && run.InFlight == 0))
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval);
        }

        await starting;
        return true;
    }

    private static Task InjectAsync(ScenarioRun run, InjectSimulation simulation)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A dedicated thread rather than a pool timer: if the pool is starved under load, starts must still go out on
        // time, or the open model silently degrades into a closed one.
        var scheduler = new Thread(() =>
        {
            try
            {
                ScheduleInjections(run, simulation);
                finished.SetResult();
            }
            catch (Exception e)
            {
                finished.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "inject scheduler",
        };
        scheduler.Start();
        return finished.Task;
    }

    private static void ScheduleInjections(ScenarioRun run, InjectSimulation simulation)
    {
        // Warm-up ramps linearly from 0 to the rate (NBomber's RampingInject), so that the JIT's tier-up and the first
        // connections happen below the target rate instead of building a backlog the measured minute inherits.
        // Starts up to time t: rate·t²/(2·W) during the ramp of W seconds, then rate·W/2 + rate·(t − W).
        var perSecond = simulation.Rate / simulation.Interval.TotalSeconds;
        var ramp = (run.MeasureFrom - run.Start) / (double)Stopwatch.Frequency;
        var rampStarts = perSecond * ramp / 2;
        for (long i = 0; ; i++)
        {
            var seconds = i < rampStarts ? Math.Sqrt(2 * ramp * i / perSecond) : ramp + (i - rampStarts) / perSecond;
            var due = run.Start + (long)(seconds * Stopwatch.Frequency);
            if (due >= run.End)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            while (now < due)
            {
                // Sleeping (not spinning) leaves both cores to the client and the server; starts due within the same
                // ~1 ms tick go out together, well inside the late-start threshold.
                Thread.Sleep(Math.Max(1, (int)((due - now) * 1000 / Stopwatch.Frequency)));
                now = Stopwatch.GetTimestamp();
            }

            run.PhaseOf(due).RecordStartLag(Stopwatch.GetElapsedTime(due, now), LateStartThreshold);
            run.BeginInvocation();
            ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.run.InvokeAsync(s.due), (run, due), preferLocal: false);
        }
    }

    private static Task KeepConstantAsync(ScenarioRun run, KeepConstantSimulation simulation) =>
        Task.WhenAll(Enumerable.Range(0, simulation.Copies).Select(_ => Task.Run(async () =>
        {
            for (var now = Stopwatch.GetTimestamp(); now < run.End; now = Stopwatch.GetTimestamp())
            {
                run.BeginInvocation();
                await run.InvokeAsync(now);
            }
        })));

    private static async Task SampleAsync(ScenarioRun run, TimeSeriesRecorder series, IProgressView? progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                run.Sample(series);
                progress?.Update(run.Frame(series));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class ScenarioRun
    {
        private readonly Scenario _scenario;
        private readonly LoadSimulation _simulation;
        private readonly CancellationTokenSource _abort = new();
        private long _inFlight;
        private long _peakInFlight;
        private long _invocations;

        public ScenarioRun(Scenario scenario, LoadSimulation simulation)
        {
            _scenario = scenario;
            _simulation = simulation;
            Start = Stopwatch.GetTimestamp();
            MeasureFrom = Start + (long)(scenario.WarmUpDuration.TotalSeconds * Stopwatch.Frequency);
            End = MeasureFrom + (long)(simulation.During.TotalSeconds * Stopwatch.Frequency);
            WarmUp = new RunStats(scenario.Name);
            Measured = new RunStats(scenario.Name);
        }

        public long Start { get; }

        public long MeasureFrom { get; }

        public long End { get; }

        public RunStats WarmUp { get; }

        public RunStats Measured { get; }

        public long InFlight => Volatile.Read(ref _inFlight);

        /// <summary>An invocation belongs to the phase it was scheduled in, even if it completes in the next one.</summary>
        public RunStats PhaseOf(long timestamp) => timestamp < MeasureFrom ? WarmUp : Measured;

        // Counted before the work is queued so that draining never sees zero while a start is still in the pool's queue.
        public void BeginInvocation()
        {
            var inFlight = Interlocked.Increment(ref _inFlight);
            var peak = Volatile.Read(ref _peakInFlight);
            while (inFlight > peak)
            {
                var seen = Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak);
                if (seen == peak)
                {
                    break;
                }

                peak = seen;
            }
        }

        public async Task InvokeAsync(long scheduled)
        {
            var stats = PhaseOf(scheduled);
            var context = new ScenarioContext(_scenario.Name, Interlocked.Increment(ref _invocations), stats, _abort.Token);
            Response response;
            try
            {
                response = await _scenario.Run(context);
            }
            catch (Exception e)
            {
                var (statusCode, message) = Step.Describe(e, _abort.Token);
                response = Response.Fail(statusCode, message);
            }

            stats.Scenario.Record(Stopwatch.GetElapsedTime(scheduled), response);
            Interlocked.Decrement(ref _inFlight);
        }

        public void Abort() => _abort.Cancel();

        public RunResult Result(TimeSeries series) =>
            new(_scenario, _simulation, WarmUp, Measured, Volatile.Read(ref _peakInFlight), InFlight, series);

        public void Sample(TimeSeriesRecorder series) =>
            series.Sample(Stopwatch.GetElapsedTime(Start).TotalSeconds, Phase(Stopwatch.GetTimestamp()), WarmUp, Measured, InFlight);

        public ProgressFrame Frame(TimeSeriesRecorder series)
        {
            var planned = TimeSpan.FromSeconds((End - Start) / (double)Stopwatch.Frequency);
            return new ProgressFrame(_scenario.Name, Phase(Stopwatch.GetTimestamp()), Stopwatch.GetElapsedTime(Start), planned, InFlight, series.Latest);
        }

        private string Phase(long timestamp) => timestamp < MeasureFrom ? "warm-up" : timestamp < End ? "measuring" : "draining";
    }
}
