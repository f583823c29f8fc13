using System.Text;
using System.Text.Json;

namespace Sandbox.LoadTests.Framework;

public enum ReportFormat
{
    Html,
    Json,
    Csv,
    Md,
}

/// <summary>Writes a run's report files into one folder per run.</summary>
public static class ReportFiles
{
    public static readonly IReadOnlySet<ReportFormat> AllFormats = Enum.GetValues<ReportFormat>().ToHashSet();

    /// <summary>Parses <c>html,json,csv,md</c> (any subset, any order).</summary>
    public static IReadOnlySet<ReportFormat> ParseFormats(string text)
    {
        var formats = new HashSet<ReportFormat>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            formats.Add(Enum.TryParse<ReportFormat>(name, ignoreCase: true, out var format) && !int.TryParse(name, out _)
                ? format
                : throw new FormatException($"unknown report format '{name}' (html, json, csv, md)"));
        }

        return formats.Count > 0 ? formats : throw new FormatException("give at least one report format (html, json, csv, md)");
    }

    /// <summary>
    /// <c>loadtests/reports/&lt;UTC timestamp&gt;-&lt;command&gt;/</c> of the checkout this generator was built from (git-ignored),
    /// or <c>reports/…</c> under the working directory when it runs outside one.
    /// </summary>
    public static string DefaultDirectory(string command, DateTime utcNow)
    {
        var home = FindProjectFolder(AppContext.BaseDirectory) ?? FindProjectFolder(Path.Combine(Directory.GetCurrentDirectory(), "loadtests"))
            ?? Directory.GetCurrentDirectory();
        return Path.Combine(home, "reports", $"{utcNow:yyyyMMdd-HHmmss}-{command}");
    }

    /// <returns>The files written, in the order of <see cref="ReportFormat"/>.</returns>
    public static IReadOnlyList<string> Write(RunReport report, string markdown, string directory, IReadOnlySet<ReportFormat> formats)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Save(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }

        if (formats.Contains(ReportFormat.Html))
        {
            Save("report.html", HtmlReport.Render(report));
        }

        if (formats.Contains(ReportFormat.Json))
        {
            Save("report.json", JsonSerializer.Serialize(report, RunReportJson.Default.RunReport));
        }

        if (formats.Contains(ReportFormat.Csv))
        {
            Save("steps.csv", CsvReport.Steps(report));
            Save("timeseries.csv", CsvReport.TimeSeries(report));
            Save("status-codes.csv", CsvReport.StatusCodes(report));
        }

        if (formats.Contains(ReportFormat.Md))
        {
            Save("report.md", markdown);
        }

        return written;
    }

    private static string? FindProjectFolder(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sandbox.LoadTests.csproj")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
