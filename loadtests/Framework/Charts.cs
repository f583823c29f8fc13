using ScottPlot;

namespace Sandbox.LoadTests.Framework;

/// <summary>The report's charts, drawn by ScottPlot as SVG: layout and data only, no drawing code of our own.</summary>
public static class Charts
{
    private const int Width = 960;
    private const int Height = 340;

    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>Successful calls per second of every step and the whole flow, failed flows per second in red.</summary>
    public static string Throughput(RunReport report)
    {
        var plot = TimePlot(report, "Throughput", "per second");
        var index = 0;
        foreach (var series in report.TimeSeries.Where(s => s.Kind != SeriesKind.Latency))
        {
            Line(plot, series.Name, series.Points.Select(p => p.Second), series.Points.Select(p => p.OkPerSecond), index++, series.Kind == SeriesKind.Flow);
        }

        if (report.TimeSeries.FirstOrDefault(s => s.Kind == SeriesKind.Flow) is { } flow && flow.Points.Any(p => p.Fail > 0))
        {
            var failed = Line(plot, "failed flows", flow.Points.Select(p => p.Second), flow.Points.Select(p => p.FailPerSecond), index, true);
            failed.Color = Colors.Red;
        }

        return Svg(plot);
    }

    /// <summary>The p99 of each second's successful calls, per step, whole flow and callback latency; null if nothing succeeded.</summary>
    public static string? LatencyOverTime(RunReport report)
    {
        if (!report.TimeSeries.Any(s => s.Points.Any(p => p.Ok > 0)))
        {
            return null;
        }

        var plot = TimePlot(report, "Latency p99 per second (successful calls)", "ms");
        var index = 0;
        foreach (var series in report.TimeSeries)
        {
            // A second in which nothing completed has no latency; leaving it out keeps the line from dropping to zero.
            var points = series.Points.Where(p => p.Ok > 0).ToList();
            Line(plot, series.Name, points.Select(p => p.Second), points.Select(p => p.P99Micros / 1000.0), index++, series.Kind == SeriesKind.Flow);
        }

        return Svg(plot);
    }

    public static string InFlight(RunReport report)
    {
        var plot = TimePlot(report, "Flows in flight", "flows", legend: false);
        Line(plot, "in flight", report.InFlight.Select(p => p.Second), report.InFlight.Select(p => (double)p.Value), 0, true);
        plot.HideLegend();
        return Svg(plot);
    }

    /// <summary>p50, p95 and p99 of the measured phase for every step, the whole flow and each flow-recorded latency; null if nothing succeeded.</summary>
    public static string? Percentiles(RunReport report)
    {
        var rows = report.Steps.Where(s => s.Ok > 0).Select(s => (s.Name, s.Latency)).Concat(report.Latencies.Select(l => (l.Name, l.Latency))).ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var plot = NewPlot();
        plot.Title("Latency percentiles, measured phase (successful calls)");
        plot.YLabel("ms");
        (string Name, Func<Percentiles, double> Value)[] groups = [("p50", p => p.P50Ms), ("p95", p => p.P95Ms), ("p99", p => p.P99Ms)];
        for (var g = 0; g < groups.Length; g++)
        {
            var bars = rows.Select((row, i) => new Bar
            {
                Position = i * (groups.Length + 1) + g,
                Value = groups[g].Value(row.Latency),
                FillColor = Palette.GetColor(g),
            }).ToArray();
            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = groups[g].Name;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rows.Select((_, i) => i * (groups.Length + 1) + 1.0).ToArray(), rows.Select(r => Shorten(r.Name)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -25;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.ShowLegend(Edge.Right);
        return Svg(plot);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        return plot;
    }

    private static Plot TimePlot(RunReport report, string title, string unit, bool legend = true)
    {
        var plot = NewPlot();
        plot.Title(title);
        plot.XLabel("seconds since the start (warm-up shaded)");
        plot.YLabel(unit);
        if (report.WarmUpSeconds > 0)
        {
            var warmUp = plot.Add.HorizontalSpan(0, report.WarmUpSeconds);
            warmUp.FillStyle.Color = Colors.Gray.WithAlpha(0.15);
            warmUp.LineStyle.Width = 0;
        }

        if (legend)
        {
            plot.ShowLegend(Edge.Right);
        }

        return plot;
    }

    private static ScottPlot.Plottables.Scatter Line(Plot plot, string name, IEnumerable<double> xs, IEnumerable<double> ys, int index, bool bold)
    {
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
        line.LegendText = Shorten(name);
        line.Color = Palette.GetColor(index);
        line.LineWidth = bold ? 2.5f : 1.5f;
        return line;
    }

    private static string Shorten(string name) => name.Length <= 28 ? name : name[..27] + "…";

    // Limits are fitted once everything is added (the warm-up span alone would otherwise set them); rates, counts and
    // latencies start from zero.
    private static string Svg(Plot plot)
    {
        plot.Axes.AutoScale();
        plot.Axes.Margins(bottom: 0);
        return plot.GetSvgXml(Width, Height);
    }
}
