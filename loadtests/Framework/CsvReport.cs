using System.Globalization;
using System.Text;

namespace Sandbox.LoadTests.Framework;

/// <summary>The report's tables as CSV (RFC 4180, invariant numbers, "\n" line ends): one file per table.</summary>
public static class CsvReport
{
    public static readonly string[] StepColumns =
        ["phase", "kind", "name", "count", "ok", "fail", "ok_per_s", "mean_ms", "p50_ms", "p75_ms", "p95_ms", "p99_ms", "max_ms"];

    public static readonly string[] SeriesColumns = ["second", "interval_s", "phase", "kind", "name", "ok", "fail", "ok_per_s", "p50_ms", "p99_ms"];

    public static readonly string[] StatusColumns = ["phase", "name", "status_code", "count"];

    /// <summary>Steps and the whole flow of both phases, then the flow-recorded latencies (callbacks) of the measured phase.</summary>
    public static string Steps(RunReport report)
    {
        var text = Header(StepColumns);
        foreach (var (phase, steps) in Phases(report))
        {
            foreach (var s in steps)
            {
                Row(text, phase, Kind(s.Kind), s.Name, s.Count, s.Ok, s.Fail, s.OkPerSecond,
                    s.Latency.MeanMs, s.Latency.P50Ms, s.Latency.P75Ms, s.Latency.P95Ms, s.Latency.P99Ms, s.Latency.MaxMs);
            }
        }

        foreach (var l in report.Latencies)
        {
            Row(text, "measured", Kind(SeriesKind.Latency), l.Name, l.Count, l.Count, 0, "",
                l.Latency.MeanMs, l.Latency.P50Ms, l.Latency.P75Ms, l.Latency.P95Ms, l.Latency.P99Ms, l.Latency.MaxMs);
        }

        return text.ToString();
    }

    public static string TimeSeries(RunReport report)
    {
        var text = Header(SeriesColumns);
        foreach (var series in report.TimeSeries)
        {
            foreach (var p in series.Points)
            {
                Row(text, Math.Round(p.Second, 3), Math.Round(p.IntervalSeconds, 3), p.Phase, Kind(series.Kind), series.Name, p.Ok, p.Fail,
                    Math.Round(p.OkPerSecond, 3), RunReport.Ms(p.P50Micros), RunReport.Ms(p.P99Micros));
            }
        }

        return text.ToString();
    }

    public static string StatusCodes(RunReport report)
    {
        var text = Header(StatusColumns);
        foreach (var (phase, steps) in Phases(report))
        {
            foreach (var s in steps)
            {
                foreach (var code in s.StatusCodes)
                {
                    Row(text, phase, s.Name, code.StatusCode, code.Count);
                }
            }
        }

        return text.ToString();
    }

    public static string Kind(SeriesKind kind) => kind.ToString().ToLowerInvariant();

    private static IEnumerable<(string Phase, IReadOnlyList<StepReport> Steps)> Phases(RunReport report) =>
        [("warm-up", report.WarmUpSteps), ("measured", report.Steps)];

    private static StringBuilder Header(string[] columns)
    {
        var text = new StringBuilder();
        Row(text, columns);
        return text;
    }

    private static void Row(StringBuilder text, params object[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var cell = cells[i] is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : cells[i].ToString() ?? "";
            text.Append(cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell);
        }

        text.Append('\n');
    }
}
