using System.Text;
using System.Text.Json;
using Sandbox.LoadTests.Framework;

namespace Sandbox.Tests.LoadReports;

public sealed class ReportShapeTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "load-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    static RunReport Report(int commitFailures = 0, string searchName = "LowFareSearch")
    {
        var run = LoadRunFixture.Run(commitFailures, searchName);
        Threshold[] thresholds = [Threshold.Parse(ThresholdMetric.P99, "Commit=80ms")];
        var verdicts = Thresholds.Evaluate(thresholds, run);
        return RunReport.From(run, "booking", [("target", "http://127.0.0.1:8080/")], verdicts, Thresholds.Passed(thresholds, verdicts, run));
    }

    static List<string[]> Csv(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseCsvLine).ToList();

    // RFC 4180 fields: quoted when they hold a comma or a quote, quotes doubled.
    static string[] ParseCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }

    [Fact]
    public void Steps_csv_has_one_row_per_step_and_phase_then_the_callback_latency()
    {
        var rows = Csv(CsvReport.Steps(Report(commitFailures: 2)));

        Assert.Equal(CsvReport.StepColumns, rows[0]);
        Assert.All(rows, r => Assert.Equal(CsvReport.StepColumns.Length, r.Length));
        Assert.Equal(
        [
            ("warm-up", "step", "LowFareSearch"), ("warm-up", "step", "Commit"), ("warm-up", "flow", "(whole flow)"),
            ("measured", "step", "LowFareSearch"), ("measured", "step", "Commit"), ("measured", "flow", "(whole flow)"),
            ("measured", "latency", "callback latency (emitted → received)"),
        ], rows.Skip(1).Select(r => (r[0], r[1], r[2])));
        var commit = rows[5];
        Assert.Equal(("300", "298", "2", "99.333"), (commit[3], commit[4], commit[5], commit[6]));
        Assert.Equal("100", commit[11]);
    }

    [Fact]
    public void Csv_quotes_names_with_commas_and_quotes()
    {
        var rows = Csv(CsvReport.Steps(Report(searchName: "Search, \"fast\"")));

        Assert.Equal("Search, \"fast\"", rows[1][2]);
        Assert.Equal(CsvReport.StepColumns.Length, rows[1].Length);
    }

    [Fact]
    public void Time_series_csv_has_a_row_per_series_and_second()
    {
        var report = Report();
        var rows = Csv(CsvReport.TimeSeries(report));

        Assert.Equal(CsvReport.SeriesColumns, rows[0]);
        Assert.Equal(report.TimeSeries.Sum(s => s.Points.Count), rows.Count - 1);
        var commit = rows.Skip(1).Where(r => r[4] == "Commit").ToList();
        Assert.Equal([("2", "warm-up", "20"), ("5", "measuring", "300")], commit.Select(r => (r[0], r[2], r[5])));
        Assert.Equal("100", commit[1][7]);
    }

    [Fact]
    public void Status_code_csv_lists_ok_and_each_failure_code_per_step()
    {
        var rows = Csv(CsvReport.StatusCodes(Report(commitFailures: 2)));

        Assert.Equal(CsvReport.StatusColumns, rows[0]);
        Assert.Contains(["measured", "Commit", "ok", "298"], rows);
        Assert.Contains(["measured", "Commit", "1201", "2"], rows);
        Assert.Contains(["measured", "(whole flow)", "1201", "2"], rows);
    }

    [Fact]
    public void Json_carries_summary_steps_time_series_thresholds_and_verdict()
    {
        var files = ReportFiles.Write(Report(commitFailures: 1), "# md\n", _folder, ReportFiles.AllFormats);

        Assert.Equal(["report.html", "report.json", "steps.csv", "timeseries.csv", "status-codes.csv", "report.md"], files.Select(Path.GetFileName));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        var root = json.RootElement;
        Assert.Equal("booking", root.GetProperty("title").GetString());
        Assert.Equal(1, root.GetProperty("flows").GetProperty("failed").GetInt64());
        var commit = root.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Commit");
        Assert.Equal("Step", commit.GetProperty("kind").GetString());
        Assert.InRange(commit.GetProperty("latency").GetProperty("p99Ms").GetDouble(), 100, 102);
        Assert.Contains(commit.GetProperty("statusCodes").EnumerateArray(), c => c.GetProperty("statusCode").GetString() == "1201" && c.GetProperty("count").GetInt64() == 1);
        var series = root.GetProperty("timeSeries").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Commit");
        Assert.Equal(2, series.GetProperty("points").GetArrayLength());
        Assert.Equal("callback latency (emitted → received)", root.GetProperty("latencies")[0].GetProperty("name").GetString());
        var threshold = Assert.Single(root.GetProperty("thresholds").EnumerateArray());
        Assert.False(threshold.GetProperty("passed").GetBoolean());
        Assert.False(root.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Html_is_self_contained_with_a_chart_per_view()
    {
        var html = HtmlReport.Render(Report(commitFailures: 1));

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("src=\"http", html);
        var charts = html.Split("src=\"data:image/svg+xml;base64,").Skip(1).Select(c => Encoding.UTF8.GetString(Convert.FromBase64String(c[..c.IndexOf('"')]))).ToList();
        Assert.Equal(4, charts.Count);
        Assert.All(charts, svg => Assert.Contains("<svg", svg));
        Assert.Contains("FAILED", html);
        Assert.Contains("--max-p99 Commit=80ms", html);
        Assert.Contains("callback latency (emitted → received)", html);
        Assert.Contains(">1201<", html);
    }

    [Fact]
    public void A_run_where_nothing_succeeded_says_so_instead_of_drawing_empty_latency_charts()
    {
        var warmUp = new RunStats("balance");
        var measured = new RunStats("balance");
        var recorder = new TimeSeriesRecorder();
        LoadRunFixture.Record(measured, "GetBalance", 0, TimeSpan.Zero, failures: 6, failureCode: "1101");
        LoadRunFixture.RecordFlows(measured, 0, TimeSpan.Zero, failed: 6);
        recorder.Sample(1, "measuring", warmUp, measured, 0);
        var run = new RunResult(Scenario.Create("balance", _ => Task.FromResult<Response>(Response.Ok())), LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(1)),
            warmUp, measured, 1, 0, new TimeSeries(recorder.Series, recorder.InFlight));

        var html = HtmlReport.Render(RunReport.From(run, "balance", [], [], passed: false));

        Assert.Equal(2, html.Split("data:image/svg+xml").Length - 1);
        Assert.Contains("No p99 latency over time: no call succeeded.", html);
        Assert.Contains("No latency percentiles per step: no call succeeded.", html);
        // The whole flow's row does not repeat the error its step already lists.
        Assert.Single(html.Split("<code>1101: 余额不足</code>").Skip(1));
    }

    [Fact]
    public void Only_the_formats_asked_for_are_written()
    {
        var files = ReportFiles.Write(Report(), "", _folder, ReportFiles.ParseFormats("json, md"));

        Assert.Equal(["report.json", "report.md"], files.Select(Path.GetFileName));
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("")]
    [InlineData("1")]
    public void Unknown_formats_are_refused(string formats) =>
        Assert.Throws<FormatException>(() => ReportFiles.ParseFormats(formats));
}
