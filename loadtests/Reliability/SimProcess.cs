using System.Diagnostics;
using System.Globalization;

namespace Sandbox.LoadTests.Reliability;

/// <summary>
/// The sim as a child process on its own data folder, so it can be killed without warning (SIGKILL, as kill -9) and
/// started again on the same files, and its resident memory, threads and files measured from outside.
/// </summary>
public sealed class SimProcess(string simDll, string dataDir, int port, int bptPort) : IAsyncDisposable
{
    Process? _process;

    public Uri Url { get; } = new($"http://127.0.0.1:{port}/");
    public Uri BptUrl { get; } = new($"http://127.0.0.1:{bptPort}/");
    public string DataPath => Path.Combine(dataDir, "sandbox.db");
    public string JournalPath => Path.Combine(dataDir, "journal.db");
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;
    public string LogPath => Path.Combine(dataDir, "sim.log");

    /// <summary>Starts the sim and waits until /healthz answers; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(HttpClient http, CancellationToken ct)
    {
        Directory.CreateDirectory(dataDir);
        // Another server on the port would answer /healthz in the sim's place (the machine may be shared): refuse.
        foreach (var port in new[] { Url.Port, BptUrl.Port })
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync("127.0.0.1", port, ct);
                throw new InvalidOperationException($"port {port} is already taken: choose others with --port / --bpt-port");
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }
        var started = Stopwatch.StartNew();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                simDll, "--urls", Url.ToString().TrimEnd('/'), "--Sandbox:Listeners:bpt", BptUrl.ToString().TrimEnd('/'),
                "--Sandbox:DataPath", DataPath, "--Logging:LogLevel:Default", "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the sim");
        var log = File.AppendText(LogPath);
        _process.OutputDataReceived += (_, e) => Append(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited) throw new InvalidOperationException($"the sim exited with {_process.ExitCode}; see {LogPath}");
            try
            {
                using var r = await http.GetAsync(new Uri(Url, "healthz"), ct);
                if (r.IsSuccessStatusCode) return started.Elapsed;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50, ct);
        }
    }

    static void Append(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            log.WriteLine(line);
            log.Flush();
        }
    }

    /// <summary>SIGKILL: no shutdown hook, no flush, no drain — what a crash or kill -9 does.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: false);
        p.WaitForExit();
    }

    /// <summary>Resident memory (VmRSS) and threads of the running sim, from /proc.</summary>
    public (long RssBytes, int Threads)? ProcessStats()
    {
        if (Pid is not { } pid) return null;
        try
        {
            long rss = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
            return (rss, threads);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A SQLite database with its WAL, in bytes.</summary>
    public static long FileSize(string path) =>
        new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
