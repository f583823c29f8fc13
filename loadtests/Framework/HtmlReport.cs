using System.Globalization;
using System.Net;
using System.Text;

namespace Sandbox.LoadTests.Framework;

/// <summary>
/// One self-contained HTML page per run: inline CSS, charts as SVG data URIs (each chart its own document, so the
/// ids inside ScottPlot's SVGs never clash), no script and nothing fetched, so it opens offline and can be mailed.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
        h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.flow td{font-weight:600}
        .pass{color:#127a2a;font-weight:600}.fail{color:#b3261e;font-weight:600}.muted{color:#666}
        .verdict{display:inline-block;padding:.2rem .6rem;border-radius:4px;color:#fff}.verdict.pass{background:#127a2a}.verdict.fail{background:#b3261e}
        img.chart{width:100%;max-width:960px;border:1px solid #eee;margin:.3rem 0}code{background:#f4f4f4;padding:0 .2rem}
        """;

    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\n");
        html.Append("<title>").Append(E(report.Title)).Append(" — load report</title>\n<style>").Append(Style).Append("</style></head><body>\n");
        html.Append("<h1>").Append(E(report.Title)).Append("</h1>\n<p class=\"muted\">").Append(E(report.Load)).Append(", ")
            .Append(N(report.MeasuredSeconds)).Append(" s measured after ").Append(N(report.WarmUpSeconds)).Append(" s warm-up · ")
            .Append(report.FinishedUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)).Append(" · ")
            .Append(E(report.Machine)).Append("</p>\n<p><span class=\"verdict ").Append(report.Passed ? "pass\">PASSED" : "fail\">FAILED").Append("</span></p>\n");

        Summary(html, report);
        Thresholds(html, report);

        html.Append("<h2>Over time</h2>\n");
        Chart(html, "throughput over time", Charts.Throughput(report));
        Chart(html, "p99 latency over time", Charts.LatencyOverTime(report));
        Chart(html, "flows in flight over time", Charts.InFlight(report));

        html.Append("<h2>Steps (measured phase)</h2>\n<p class=\"muted\">Latencies are of successful calls; the whole flow is timed from its scheduled start.</p>\n");
        Chart(html, "latency percentiles per step", Charts.Percentiles(report));
        StepTable(html, report.Steps);

        if (report.Latencies.Count > 0)
        {
            html.Append("<h2>Callback latency</h2>\n<table><tr><th>metric</th><th class=\"n\">n</th><th class=\"n\">mean ms</th><th class=\"n\">p50</th><th class=\"n\">p75</th><th class=\"n\">p95</th><th class=\"n\">p99</th><th class=\"n\">max</th></tr>\n");
            foreach (var l in report.Latencies)
            {
                html.Append("<tr><td>").Append(E(l.Name)).Append("</td>").Append(Cell(l.Count));
                PercentileCells(html, l.Latency);
                html.Append("</tr>\n");
            }

            html.Append("</table>\n");
        }

        StatusCodes(html, report);
        Errors(html, report);

        html.Append("<h2>Warm-up</h2>\n<p class=\"muted\">Its latencies are not part of the results; its failures count.</p>\n");
        StepTable(html, report.WarmUpSteps);
        html.Append("<p class=\"muted\">Data of this report: report.json, steps.csv, timeseries.csv, status-codes.csv.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static void Summary(StringBuilder html, RunReport report)
    {
        var f = report.Flows;
        List<(string, string)> rows =
        [
            ("flows", $"{f.Started:N0} started, {f.Ok:N0} ok, {f.Failed:N0} failed"),
            ("completed flows/s", N(f.CompletedPerSecond)),
            ("peak in flight", f.PeakInFlight.ToString("N0", CultureInfo.InvariantCulture)),
            ("warm-up", $"{f.WarmUpFlows:N0} flows, {f.WarmUpFailed:N0} failed"),
        ];
        if (f.StartLag is { } lag)
        {
            rows.Add(("start lag", $"p50 {N(lag.P50Ms)} ms, p99 {N(lag.P99Ms)} ms, max {N(lag.MaxMs)} ms; {lag.LateStarts:N0} late starts"));
        }

        if (f.Abandoned > 0)
        {
            rows.Add(("abandoned", $"{f.Abandoned:N0} flows never finished"));
        }

        rows.AddRange(report.Facts.Select(x => (x.Name, x.Value)));
        rows.AddRange(report.Counters.Select(x => (x.Name, x.Value)));
        html.Append("<h2>Summary</h2>\n<table>\n");
        foreach (var (name, value) in rows)
        {
            html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Thresholds(StringBuilder html, RunReport report)
    {
        if (report.Thresholds.Count == 0)
        {
            return;
        }

        html.Append("<h2>Thresholds</h2>\n<table><tr><th>rule</th><th>step</th><th>actual</th><th>result</th></tr>\n");
        foreach (var t in report.Thresholds)
        {
            html.Append("<tr><td><code>").Append(E(t.Rule)).Append("</code></td><td>").Append(E(t.Target)).Append("</td><td>").Append(E(t.Actual))
                .Append("</td><td class=\"").Append(t.Passed ? "pass\">pass" : "fail\">FAIL").Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void StepTable(StringBuilder html, IReadOnlyList<StepReport> steps)
    {
        html.Append("<table><tr><th>step</th><th class=\"n\">count</th><th class=\"n\">ok</th><th class=\"n\">fail</th><th class=\"n\">ok/s</th>")
            .Append("<th class=\"n\">mean ms</th><th class=\"n\">p50</th><th class=\"n\">p75</th><th class=\"n\">p95</th><th class=\"n\">p99</th><th class=\"n\">max</th></tr>\n");
        foreach (var s in steps)
        {
            html.Append(s.Kind == SeriesKind.Flow ? "<tr class=\"flow\">" : "<tr>").Append("<td>").Append(E(s.Name)).Append("</td>")
                .Append(Cell(s.Count)).Append(Cell(s.Ok)).Append(s.Fail > 0 ? $"<td class=\"n fail\">{s.Fail:N0}</td>" : Cell(s.Fail)).Append(Cell(s.OkPerSecond));
            PercentileCells(html, s.Latency);
            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void StatusCodes(StringBuilder html, RunReport report)
    {
        html.Append("<h2>Status codes</h2>\n<p class=\"muted\">Per step, both phases: <code>ok</code>, or the failure's code — the supplier's own status, ")
            .Append("or the kind of transport failure (<code>timeout</code>, <code>http</code>, <code>cancelled</code>, <code>bad-reply</code>).</p>\n")
            .Append("<table><tr><th>phase</th><th>step</th><th>status code</th><th class=\"n\">count</th></tr>\n");
        foreach (var (phase, steps) in new[] { ("measured", report.Steps), ("warm-up", report.WarmUpSteps) })
        {
            foreach (var s in steps)
            {
                foreach (var c in s.StatusCodes)
                {
                    html.Append("<tr><td>").Append(phase).Append("</td><td>").Append(E(s.Name)).Append("</td><td").Append(c.StatusCode == "ok" ? ">" : " class=\"fail\">")
                        .Append(E(c.StatusCode)).Append("</td>").Append(Cell(c.Count)).Append("</tr>\n");
                }
            }
        }

        html.Append("</table>\n");
    }

    private static void Errors(StringBuilder html, RunReport report)
    {
        // A failed flow repeats its failed step's error: the flow's row lists only what no step explains.
        var rows = new[] { ("measured", report.Steps), ("warm-up", report.WarmUpSteps) }
            .SelectMany(p => p.Item2.SelectMany(s => s.Errors
                .Where(e => s.Kind != SeriesKind.Flow || !p.Item2.Any(step => step.Kind == SeriesKind.Step && step.Errors.Any(x => x.Message == e.Message)))
                .Select(e => (Phase: p.Item1, Step: s.Name, e.Message, e.Count))
                .Concat(s.OtherErrors > 0 ? [(p.Item1, s.Name, "(more, with other messages)", s.OtherErrors)] : [])))
            .ToList();
        html.Append("<h2>Errors</h2>\n");
        if (rows.Count == 0)
        {
            html.Append("<p>None.</p>\n");
            return;
        }

        html.Append("<table><tr><th>phase</th><th>step</th><th>message</th><th class=\"n\">count</th></tr>\n");
        foreach (var r in rows)
        {
            html.Append("<tr><td>").Append(r.Phase).Append("</td><td>").Append(E(r.Step)).Append("</td><td><code>").Append(E(r.Message)).Append("</code></td>")
                .Append(Cell(r.Count)).Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void PercentileCells(StringBuilder html, Percentiles p) =>
        html.Append(Cell(p.MeanMs)).Append(Cell(p.P50Ms)).Append(Cell(p.P75Ms)).Append(Cell(p.P95Ms)).Append(Cell(p.P99Ms)).Append(Cell(p.MaxMs));

    private static void Chart(StringBuilder html, string description, string? svg)
    {
        if (svg is null)
        {
            html.Append("<p class=\"muted\">No ").Append(E(description)).Append(": no call succeeded.</p>\n");
            return;
        }

        html.Append("<img class=\"chart\" alt=\"").Append(E(description)).Append("\" src=\"data:image/svg+xml;base64,")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))).Append("\">\n");
    }

    private static string Cell(long value) => $"<td class=\"n\">{value.ToString("N0", CultureInfo.InvariantCulture)}</td>";

    private static string Cell(double value) => $"<td class=\"n\">{N(value)}</td>";

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
