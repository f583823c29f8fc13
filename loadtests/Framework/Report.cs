using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Sandbox.LoadTests.Framework;

/// <summary>Renders a run as a Markdown section, so successive runs can be appended to one results file.</summary>
public static class Report
{
    private const string FlowRow = "(whole flow)";

    /// <param name="facts">Run-specific rows (target, server memory, ...) added to the summary table.</param>
    public static string Render(RunResult result, string title, IEnumerable<(string Name, string Value)> facts)
    {
        var measured = result.Measured;
        var simulation = result.Simulation;
        var text = new StringBuilder();
        Line(text, $"## {title}: {simulation.Describe()}, {simulation.During.TotalSeconds:0.###} s");
        Line(text);
        Line(text, "| | |");
        Line(text, "|---|---|");
        Row(text, "date", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Row(text, "machine", $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Row(text, "load", simulation.Describe());
        Row(text, "duration", $"{simulation.During.TotalSeconds:0.###} s measured after {result.Scenario.WarmUpDuration.TotalSeconds:0.###} s warm-up"
            + (simulation is InjectSimulation ? " (a linear ramp from 0 to the rate)" : ""));
        Row(text, "flows", $"{measured.Scenario.Count} started, {measured.Scenario.Ok} ok, {measured.Scenario.Fail} failed");
        Row(text, "completed flows/s", $"{result.CompletedPerSecond:0.0}");
        if (simulation is InjectSimulation)
        {
            var lag = measured.StartLag;
            Row(text, "start lag", $"p50 {Ms(lag.PercentileMicros(50))} ms, p99 {Ms(lag.PercentileMicros(99))} ms, max {Ms(lag.MaxMicros)} ms; "
                + $"{measured.LateStarts} late starts (> {Runner.LateStartThreshold.TotalMilliseconds:0} ms behind schedule)");
        }

        Row(text, "peak in flight", result.PeakInFlight.ToString(CultureInfo.InvariantCulture));
        Row(text, "warm-up", $"{result.WarmUp.Scenario.Count} flows, {result.WarmUp.Scenario.Fail} failed");
        if (result.Abandoned > 0)
        {
            Row(text, "abandoned", $"{result.Abandoned} flows never finished, even after being cancelled at the drain timeout");
        }

        foreach (var (name, value) in facts)
        {
            Row(text, name, value);
        }

        foreach (var (name, histogram) in measured.Latencies)
        {
            Row(text, name, $"p50 {Ms(histogram.PercentileMicros(50))} ms, p95 {Ms(histogram.PercentileMicros(95))} ms, "
                + $"p99 {Ms(histogram.PercentileMicros(99))} ms, max {Ms(histogram.MaxMicros)} ms (n={histogram.Count})");
        }

        foreach (var (name, count) in measured.Counters)
        {
            Row(text, name, count.ToString(CultureInfo.InvariantCulture));
        }

        Line(text);
        Line(text, "Latencies are of successful calls; the whole flow is timed from its scheduled start.");
        Line(text);
        Line(text, "| step | count | ok | fail | ok/s | p50 ms | p95 ms | p99 ms | max ms |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var step in measured.Steps)
        {
            StepRow(text, step.Name, step, simulation.During);
        }

        StepRow(text, FlowRow, measured.Scenario, simulation.During);
        Line(text);
        Errors(text, result);
        return text.ToString();
    }

    /// <summary>The threshold verdicts as a Markdown table, for the end of the run's section.</summary>
    public static string RenderThresholds(IReadOnlyList<ThresholdResult> results)
    {
        var text = new StringBuilder();
        if (results.Count == 0)
        {
            return "";
        }

        Line(text, $"Thresholds: {results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed.");
        Line(text);
        Line(text, "| rule | step | actual | result |");
        Line(text, "|---|---|---|---|");
        foreach (var r in results)
        {
            Line(text, $"| `{r.Rule.Replace("|", "\\|")}` | {r.Target.Replace("|", "\\|")} | {r.Actual.Replace("|", "\\|")} | {(r.Passed ? "pass" : "**FAIL**")} |");
        }

        Line(text);
        return text.ToString();
    }

    private static void Errors(StringBuilder text, RunResult result)
    {
        var lines = ErrorLines("", result.Measured).Concat(ErrorLines("warm-up ", result.WarmUp)).ToList();
        if (lines.Count == 0)
        {
            Line(text, "Errors: none.");
        }
        else
        {
            Line(text, "Errors:");
            Line(text);
            lines.ForEach(l => Line(text, l));
        }

        Line(text);
    }

    private static IEnumerable<string> ErrorLines(string phase, RunStats stats)
    {
        var steps = stats.Steps;
        foreach (var step in steps)
        {
            foreach (var line in ErrorLines(phase + step.Name, step.Errors, _ => true))
            {
                yield return line;
            }
        }

        // A failed flow usually just repeats its failed step's error; only list what no step explains.
        foreach (var line in ErrorLines(phase + FlowRow, stats.Scenario.Errors, m => !steps.Any(s => s.Errors.Contains(m))))
        {
            yield return line;
        }
    }

    private static IEnumerable<string> ErrorLines(string where, ErrorLog errors, Func<string, bool> include)
    {
        foreach (var (message, count) in errors.Distinct.Where(e => include(e.Message)))
        {
            yield return $"- {where}: {count} × `{message.ReplaceLineEndings(" ").Replace('`', '\'')}`";
        }

        if (errors.Others > 0)
        {
            yield return $"- {where}: {errors.Others} more with other messages";
        }
    }

    private static void StepRow(StringBuilder text, string name, StepStats step, TimeSpan during)
    {
        var latency = step.Latency;
        Line(text, $"| {name} | {step.Count} | {step.Ok} | {step.Fail} | {step.Ok / during.TotalSeconds:0.0} | "
            + $"{Ms(latency.PercentileMicros(50))} | {Ms(latency.PercentileMicros(95))} | {Ms(latency.PercentileMicros(99))} | {Ms(latency.MaxMicros)} |");
    }

    private static void Row(StringBuilder text, string name, string value) => Line(text, $"| {name} | {value.Replace("|", "\\|")} |");

    private static string Ms(long micros) => (micros / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);

    // Report files are diffed and pasted, so always "\n" regardless of platform (numbers are invariant: see the .csproj).
    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
