using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Sandbox.LoadTests.Framework;

/// <summary>
/// A run as data: what every report format (HTML, JSON, CSV, Markdown) is rendered from. Latencies are milliseconds of
/// successful calls; step rows are the measured phase unless said otherwise.
/// </summary>
public sealed record RunReport(
    string Title,
    string Scenario,
    string Load,
    DateTime FinishedUtc,
    string Machine,
    double WarmUpSeconds,
    double MeasuredSeconds,
    IReadOnlyList<Fact> Facts,
    FlowSummary Flows,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<StepReport> WarmUpSteps,
    IReadOnlyList<LatencyReport> Latencies,
    IReadOnlyList<Fact> Counters,
    IReadOnlyList<SeriesReport> TimeSeries,
    IReadOnlyList<GaugePoint> InFlight,
    IReadOnlyList<ThresholdResult> Thresholds,
    bool Passed)
{
    public static RunReport From(
        RunResult result, string title, IEnumerable<(string Name, string Value)> facts, IReadOnlyList<ThresholdResult> thresholds, bool passed)
    {
        var measured = result.Measured;
        var during = result.Simulation.During.TotalSeconds;
        var lag = measured.StartLag;
        return new RunReport(
            title,
            result.Scenario.Name,
            result.Simulation.Describe(),
            DateTime.UtcNow,
            $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            result.Scenario.WarmUpDuration.TotalSeconds,
            during,
            facts.Select(f => new Fact(f.Name, f.Value)).ToList(),
            new FlowSummary(
                measured.Scenario.Count, measured.Scenario.Ok, measured.Scenario.Fail, Round(result.CompletedPerSecond),
                result.PeakInFlight, result.Abandoned, result.WarmUp.Scenario.Count, result.WarmUp.Scenario.Fail,
                result.Simulation is InjectSimulation ? new StartLag(Ms(lag.PercentileMicros(50)), Ms(lag.PercentileMicros(99)), Ms(lag.MaxMicros), measured.LateStarts) : null),
            StepRows(measured, during),
            StepRows(result.WarmUp, result.Scenario.WarmUpDuration.TotalSeconds),
            measured.Latencies.Select(l => new LatencyReport(l.Name, l.Histogram.Count, Percentiles.Of(l.Histogram))).ToList(),
            measured.Counters.Select(c => new Fact(c.Name, c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList(),
            result.TimeSeries.Series.Select(s => new SeriesReport(s.Name, s.Kind, s.Points)).ToList(),
            result.TimeSeries.InFlight,
            thresholds,
            passed);
    }

    private static List<StepReport> StepRows(RunStats stats, double seconds) =>
        stats.Steps.Select(s => StepReport.Of(s.Name, SeriesKind.Step, s, seconds))
            .Append(StepReport.Of(TimeSeriesRecorder.FlowSeriesName, SeriesKind.Flow, stats.Scenario, seconds))
            .ToList();

    internal static double Ms(long micros) => Math.Round(micros / 1000.0, 3);

    internal static double Round(double value) => Math.Round(value, 3);
}

public sealed record Fact(string Name, string Value);

public sealed record StartLag(double P50Ms, double P99Ms, double MaxMs, long LateStarts);

/// <param name="CompletedPerSecond">Successful flows per measured second.</param>
public sealed record FlowSummary(
    long Started, long Ok, long Failed, double CompletedPerSecond, long PeakInFlight, long Abandoned, long WarmUpFlows, long WarmUpFailed, StartLag? StartLag);

public sealed record Percentiles(double MeanMs, double P50Ms, double P75Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static Percentiles Of(Histogram h) => new(
        Math.Round(h.MeanMicros / 1000.0, 3), RunReport.Ms(h.PercentileMicros(50)), RunReport.Ms(h.PercentileMicros(75)),
        RunReport.Ms(h.PercentileMicros(95)), RunReport.Ms(h.PercentileMicros(99)), RunReport.Ms(h.MaxMicros));
}

public sealed record StatusCount(string StatusCode, long Count);

public sealed record ErrorCount(string Message, long Count);

/// <param name="StatusCodes">"ok" for successful calls, then each failure status code (HTTP-level kinds such as timeout, or the supplier's code).</param>
/// <param name="OtherErrors">Failures whose message came after the first few distinct ones were kept.</param>
public sealed record StepReport(
    string Name, SeriesKind Kind, long Count, long Ok, long Fail, double OkPerSecond, Percentiles Latency,
    IReadOnlyList<StatusCount> StatusCodes, IReadOnlyList<ErrorCount> Errors, long OtherErrors)
{
    public static StepReport Of(string name, SeriesKind kind, StepStats stats, double seconds)
    {
        var codes = stats.Ok > 0 ? [new StatusCount("ok", stats.Ok)] : new List<StatusCount>();
        codes.AddRange(stats.Errors.StatusCodes.Select(c => new StatusCount(c.StatusCode, c.Count)));
        return new StepReport(
            name, kind, stats.Count, stats.Ok, stats.Fail, seconds > 0 ? RunReport.Round(stats.Ok / seconds) : 0, Percentiles.Of(stats.Latency),
            codes, stats.Errors.Distinct.Select(e => new ErrorCount(e.Message, e.Count)).ToList(), stats.Errors.Others);
    }
}

/// <summary>A latency a flow recorded that is not a step's duration, such as a callback's delivery.</summary>
public sealed record LatencyReport(string Name, long Count, Percentiles Latency);

public sealed record SeriesReport(string Name, SeriesKind Kind, IReadOnlyList<SeriesPoint> Points);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    IgnoreReadOnlyProperties = false)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class RunReportJson : JsonSerializerContext;
