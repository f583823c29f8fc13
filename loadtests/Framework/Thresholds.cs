using System.Globalization;

namespace Sandbox.LoadTests.Framework;

public enum ThresholdMetric
{
    P50,
    P95,
    P99,
    Errors,
}

/// <summary>
/// A pass/fail rule for pipelines, written as on the command line: <c>--max-p99 50ms</c> (every step),
/// <c>--max-p99 Commit=80ms</c> (one step; <c>flow</c> is the whole flow, a flow-recorded latency such as
/// <c>"callback latency"</c> matches by the start of its name), <c>--max-errors 0</c> (failed flows, warm-up and
/// abandoned ones included), <c>--max-errors Commit=1%</c>.
/// </summary>
public sealed record Threshold(ThresholdMetric Metric, string? Target, double Limit, bool Percent)
{
    public const string FlowTarget = "flow";

    public string Option => Metric switch
    {
        ThresholdMetric.Errors => "--max-errors",
        _ => "--max-" + Metric.ToString().ToLowerInvariant(),
    };

    public string Rule
    {
        get
        {
            var limit = Metric == ThresholdMetric.Errors
                ? Percent ? $"{Limit.ToString("0.###", CultureInfo.InvariantCulture)}%" : Limit.ToString("0", CultureInfo.InvariantCulture)
                : $"{Limit.ToString("0.###", CultureInfo.InvariantCulture)}ms";
            return Target is null ? $"{Option} {limit}" : $"{Option} {Target}={limit}";
        }
    }

    /// <summary>Parses one value of <paramref name="metric"/>'s option: <c>[target=]limit</c>.</summary>
    public static Threshold Parse(ThresholdMetric metric, string text)
    {
        var split = text.LastIndexOf('=');
        var target = split > 0 ? text[..split].Trim() : null;
        var limit = (split >= 0 ? text[(split + 1)..] : text).Trim();
        if (split == 0)
        {
            throw new FormatException($"'{text}': a step name goes before '='");
        }

        return metric == ThresholdMetric.Errors ? ParseErrors(target, limit, text) : new Threshold(metric, target, ParseMilliseconds(limit, text), false);
    }

    private static Threshold ParseErrors(string? target, string limit, string text)
    {
        var percent = limit.EndsWith('%');
        var number = percent ? limit[..^1] : limit;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || (percent && value > 100)
            || (!percent && value != Math.Floor(value)))
        {
            throw new FormatException($"'{text}': an error limit is a count (0, 10) or a percentage (0.5%)");
        }

        return new Threshold(ThresholdMetric.Errors, target, value, percent);
    }

    private static double ParseMilliseconds(string limit, string text)
    {
        (string Suffix, double Factor)[] units = [("ms", 1), ("us", 0.001), ("µs", 0.001), ("s", 1000)];
        var (suffix, factor) = units.FirstOrDefault(u => limit.EndsWith(u.Suffix, StringComparison.Ordinal), ("", 1));
        return double.TryParse(limit[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value * factor
            : throw new FormatException($"'{text}': a latency limit is a positive duration (50ms, 1.5s, 800us; a bare number is ms)");
    }
}

/// <summary>One threshold applied to one step (a threshold without a target gives one result per step).</summary>
public sealed record ThresholdResult(string Rule, string Target, string Actual, bool Passed);

public static class Thresholds
{
    /// <summary>A rule for one step replaces the rule for every step on that step: <c>--max-p99 50ms,Commit=80ms</c>.</summary>
    public static IReadOnlyList<ThresholdResult> Evaluate(IReadOnlyCollection<Threshold> thresholds, RunResult run) =>
        thresholds.SelectMany(t => Evaluate(t, run)
            .Where(r => t.Target is not null || !thresholds.Any(o => o.Metric == t.Metric && string.Equals(o.Target, r.Target, StringComparison.OrdinalIgnoreCase))))
            .ToList();

    /// <summary>
    /// Without thresholds on errors, any failure fails the run (the generator's behaviour before thresholds);
    /// with one, the error thresholds decide.
    /// </summary>
    public static bool Passed(IReadOnlyCollection<Threshold> thresholds, IReadOnlyList<ThresholdResult> results, RunResult run) =>
        results.All(r => r.Passed) && (thresholds.Any(t => t.Metric == ThresholdMetric.Errors) || !run.HasErrors);

    private static IEnumerable<ThresholdResult> Evaluate(Threshold threshold, RunResult run)
    {
        if (threshold.Target is null)
        {
            if (threshold.Metric == ThresholdMetric.Errors)
            {
                yield return Errors(threshold, TimeSeriesRecorder.FlowSeriesName, FailedFlows(run), run.WarmUp.Scenario.Count + run.Measured.Scenario.Count + run.Abandoned);
                yield break;
            }

            foreach (var step in run.Measured.Steps)
            {
                yield return Latency(threshold, step.Name, step.Latency);
            }

            yield break;
        }

        if (string.Equals(threshold.Target, Threshold.FlowTarget, StringComparison.OrdinalIgnoreCase))
        {
            yield return threshold.Metric == ThresholdMetric.Errors
                ? Errors(threshold, TimeSeriesRecorder.FlowSeriesName, FailedFlows(run), run.WarmUp.Scenario.Count + run.Measured.Scenario.Count + run.Abandoned)
                : Latency(threshold, TimeSeriesRecorder.FlowSeriesName, run.Measured.Scenario.Latency);
            yield break;
        }

        var name = run.Measured.Steps.Concat(run.WarmUp.Steps).Select(s => s.Name)
            .FirstOrDefault(n => string.Equals(n, threshold.Target, StringComparison.OrdinalIgnoreCase));
        if (name is not null)
        {
            var (warmUp, measured) = (run.WarmUp.FindStep(name), run.Measured.FindStep(name));
            yield return threshold.Metric == ThresholdMetric.Errors
                ? Errors(threshold, name, (warmUp?.Fail ?? 0) + (measured?.Fail ?? 0), (warmUp?.Count ?? 0) + (measured?.Count ?? 0))
                : Latency(threshold, name, measured?.Latency);
            yield break;
        }

        var latency = threshold.Metric == ThresholdMetric.Errors
            ? default
            : run.Measured.Latencies.FirstOrDefault(l => l.Name.StartsWith(threshold.Target, StringComparison.OrdinalIgnoreCase));
        if (latency.Histogram is not null)
        {
            yield return Latency(threshold, latency.Name, latency.Histogram);
            yield break;
        }

        // A misspelt step must fail the pipeline, not pass it silently.
        var known = run.Measured.Steps.Select(s => s.Name).Append(Threshold.FlowTarget).Concat(run.Measured.Latencies.Select(l => l.Name));
        yield return new ThresholdResult(threshold.Rule, threshold.Target, $"no such step (known: {string.Join(", ", known)})", false);
    }

    private static long FailedFlows(RunResult run) => run.WarmUp.Scenario.Fail + run.Measured.Scenario.Fail + run.Abandoned;

    private static ThresholdResult Latency(Threshold threshold, string target, Histogram? histogram)
    {
        if (histogram is not { Count: > 0 })
        {
            return new ThresholdResult(threshold.Rule, target, "no successful calls to measure", false);
        }

        var percentile = threshold.Metric switch
        {
            ThresholdMetric.P50 => 50,
            ThresholdMetric.P95 => 95,
            _ => 99,
        };
        var actual = histogram.PercentileMicros(percentile) / 1000.0;
        return new ThresholdResult(threshold.Rule, target, $"{actual.ToString("0.00", CultureInfo.InvariantCulture)} ms", actual <= threshold.Limit);
    }

    private static ThresholdResult Errors(Threshold threshold, string target, long failed, long total)
    {
        if (!threshold.Percent)
        {
            return new ThresholdResult(threshold.Rule, target, $"{failed} failed", failed <= threshold.Limit);
        }

        var percent = total == 0 ? 0 : failed * 100.0 / total;
        return new ThresholdResult(threshold.Rule, target, $"{failed} of {total} failed ({percent.ToString("0.###", CultureInfo.InvariantCulture)}%)", percent <= threshold.Limit);
    }
}
