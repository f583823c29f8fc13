using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sandbox.StoreBench;

/// <summary>
/// The whole measurement: every store at every caller count, each in a child process of its own (so one store's
/// page cache, threads and GC heap never weigh on the other's figures), counted by strace when it is installed,
/// then the kill -9 rounds. Prints a Markdown report.
/// </summary>
internal static class Bench
{
    static readonly string[] SyncCalls = ["fsync", "fdatasync", "sync_file_range"];

    public static int Run(Options options)
    {
        var stores = options.List("stores", "sqlite,litedb").Select(StoreKinds.Parse).ToList();
        var callerCounts = options.List("callers", "1,16,256")
            .Select(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"bad caller count '{c}'"))
            .ToList();
        var orders = options.Int("orders", 100_000);
        var limit = options.Int("limit", 60);
        var rounds = options.Int("rounds", 20);
        var root = Path.GetFullPath(options.String("dir") ?? Path.Combine("loadtests", "StoreBench", "runs"));
        var strace = FindOnPath("strace");
        SQLitePCL.Batteries_V2.Init();

        var text = new StringBuilder();
        Line(text, $"## Embedded store: the sim's write pattern on {string.Join(" and ", stores.Select(s => s.Name))}");
        Line(text);
        Line(text, "| | |");
        Line(text, "|---|---|");
        Line(text, $"| date | {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC |");
        Line(text, $"| machine | {Environment.ProcessorCount} cores ({CpuModel()}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version} |");
        Line(text, $"| load average before | {LoadAverage()} |");
        Line(text, $"| SQLite | {SQLitePCL.raw.sqlite3_libversion().utf8_to_string()} through the sim's SqliteStore (WAL, synchronous=NORMAL, group commit ≤ 2,000) |");
        Line(text, $"| LiteDB | {typeof(LiteDB.LiteDatabase).Assembly.GetName().Version} (Connection=direct, defaults; same group-commit writer) |");
        Line(text, $"| per order | entity upsert + outbox row + timer upsert + timeline row, one commit; {OrderSize()} |");
        Line(text, $"| fsync count | {(strace is null ? "not measured (strace not installed)" : "strace -f --seccomp-bpf -c -e trace=" + string.Join(',', SyncCalls))} |");
        Line(text);
        Line(text, $"Each configuration commits {orders:N0} orders or runs {limit} s, whichever comes first, on a fresh folder.");
        Line(text);
        Line(text, "| store | callers | orders | commits/s | p50 ms | p99 ms | max ms | fsyncs | fsyncs per 1,000 commits | on disk, open | after close | bytes per order (closed) |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var store in stores)
        {
            foreach (var callers in callerCounts)
            {
                var folder = Fresh(Path.Combine(root, $"{store.Name}-{callers}"));
                var (result, fsyncs) = MeasureInChild(store, callers, orders, limit, folder, strace);
                Line(text, $"| {store.Name} | {callers} | {result.Orders:N0} | {result.CommitsPerSecond:N0} | {Ms(result.P50Micros)} | {Ms(result.P99Micros)} | {Ms(result.MaxMicros)} | "
                    + $"{(fsyncs is { } f ? f.ToString("N0", CultureInfo.InvariantCulture) : "n/a")} | "
                    + $"{(fsyncs is { } g && result.Orders > 0 ? (g * 1000.0 / result.Orders).ToString("0.0", CultureInfo.InvariantCulture) : "n/a")} | "
                    + $"{Mb(result.BytesOnDisk)} | {Mb(result.BytesAfterClose)} | {(result.Orders > 0 ? result.BytesAfterClose / result.Orders : 0):N0} |");
                Console.Error.WriteLine($"{store.Name} × {callers}: {result.CommitsPerSecond:N0} commits/s");
                Directory.Delete(folder, recursive: true);
            }
        }

        Line(text);
        Line(text, $"Kill -9 mid-write: {rounds} rounds per store, {CrashTest.Callers} callers, SIGKILL 0.2–2 s after the first acknowledged commit.");
        Line(text);
        Line(text, "| store | rounds | acknowledged commits | missing after reopen | opened cleanly | reopen time median / max ms |");
        Line(text, "|---|---:|---:|---:|---:|---:|");
        var problems = new List<string>();
        var seed = Environment.TickCount;
        foreach (var store in stores)
        {
            var random = new Random(seed);
            var results = new List<CrashTest.Round>();
            for (var i = 1; i <= rounds; i++)
            {
                var folder = Fresh(Path.Combine(root, $"crash-{store.Name}"));
                var round = CrashTest.Run(store, folder, i, random, a => ChildStart(a));
                results.Add(round);
                if (round.Recovery.Problem is { } problem) problems.Add($"{store.Name} round {i}: {problem}");
                if (round.Recovery.Missing > 0)
                    problems.Add($"{store.Name} round {i}: {round.Recovery.Missing} of {round.Acknowledged} acknowledged orders missing (killed after {round.KilledAfter.TotalMilliseconds:0} ms)");
                Directory.Delete(folder, recursive: true);
            }

            var opens = results.Select(r => r.Recovery.OpenTime.TotalMilliseconds).Order().ToList();
            Line(text, $"| {store.Name} | {results.Count} | {results.Sum(r => r.Acknowledged):N0} | {results.Sum(r => r.Recovery.Missing):N0} | "
                + $"{results.Count(r => r.Recovery.Problem is null)} of {results.Count} | {opens[opens.Count / 2]:0} / {opens[^1]:0} |");
            Console.Error.WriteLine($"{store.Name}: kill -9 rounds done");
        }

        Line(text);
        if (problems.Count == 0) Line(text, "Every acknowledged commit survived every kill, and every reopened file passed its checks.");
        else problems.ForEach(p => Line(text, $"- {p}"));
        Line(text);
        Line(text, $"Load average after: {LoadAverage()}.");

        Console.Write(text.ToString());
        if (options.String("report") is { } report) File.AppendAllText(report, text.ToString());
        return problems.Count == 0 ? 0 : 1;
    }

    static (ThroughputResult Result, long? Fsyncs) MeasureInChild(IStoreKind store, int callers, int orders, int limit, string folder, string? strace)
    {
        string[] args = ["throughput", "--store", store.Name, "--callers", callers.ToString(CultureInfo.InvariantCulture),
            "--orders", orders.ToString(CultureInfo.InvariantCulture), "--limit", limit.ToString(CultureInfo.InvariantCulture), "--dir", folder];
        var summary = Path.Combine(folder, "..", $"{Path.GetFileName(folder)}.strace");

        // --seccomp-bpf stops the child only on the traced calls, so every other syscall runs at full speed.
        var start = strace is null
            ? ChildStart(args)
            : ChildStart(["-f", "--seccomp-bpf", "-c", "-e", "trace=" + string.Join(',', SyncCalls), "-o", summary, "--", .. ChildCommand(args)], strace);
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the measuring process");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{store.Name} × {callers} exited with {child.ExitCode}");
        var result = JsonSerializer.Deserialize(output.Trim().Split('\n')[^1], BenchJson.Default.ThroughputResult)
            ?? throw new InvalidOperationException("no result from the measuring process");
        if (strace is null) return (result, null);
        var fsyncs = CountSyncCalls(File.ReadAllLines(summary));
        File.Delete(summary);
        return (result, fsyncs);
    }

    /// <summary>Sums the "calls" column of strace -c's table for the sync calls.</summary>
    internal static long CountSyncCalls(IEnumerable<string> straceSummary)
    {
        long total = 0;
        foreach (var line in straceSummary)
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length >= 5 && SyncCalls.Contains(cells[^1]) && long.TryParse(cells[3], NumberStyles.None, CultureInfo.InvariantCulture, out var calls))
                total += calls;
        }
        return total;
    }

    static ProcessStartInfo ChildStart(string[] args, string? program = null)
    {
        var command = program is null ? ChildCommand(args) : [program, .. args];
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>This program again: through the dotnet host when it runs as a .dll, else its own apphost.</summary>
    static string[] ChildCommand(string[] args)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [host, typeof(Bench).Assembly.Location, .. args]
            : [host, .. args];
    }

    static string Fresh(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }

    static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    static string OrderSize()
    {
        var order = OrderWrite.Create(1, new Random(1));
        return $"entity JSON {order.EntityJson.Length:N0} B, push body {order.OutboxBody.Length:N0} B, timeline detail {order.TimelineDetail.Length:N0} B";
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";

    static string Ms(long micros) => (micros / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);

    static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
