using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sandbox.Tests.Infrastructure;

/// <summary>The sim as a separate process (the built Sandbox.Sim.dll), so that a test can kill it with SIGKILL: no shutdown, no flush.</summary>
public sealed class SimProcess : IAsyncDisposable
{
    readonly Process _process;

    SimProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        Http = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }
    public HttpClient Http { get; }
    public bool HasExited => _process.HasExited;

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts the sim on <paramref name="port"/> with the given configuration (<c>Sandbox:…</c> keys) and waits until it is healthy.</summary>
    public static async Task<SimProcess> StartAsync(int port, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Sandbox.Sim.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--Sandbox:Listeners:bpt", $"http://127.0.0.1:{FreePort()}", "--Logging:LogLevel:Default", "Warning" })
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in settings)
        {
            psi.ArgumentList.Add("--" + k);
            psi.ArgumentList.Add(v);
        }
        var p = Process.Start(psi)!;
        var errors = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) =>
        {
            lock (errors) errors.AppendLine(e.Data);
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var sim = new SimProcess(p, $"http://127.0.0.1:{port}");
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await sim.Http.GetAsync("/healthz")).IsSuccessStatusCode) return sim;
            }
            catch (HttpRequestException)
            {
            }
            if (p.HasExited)
            {
                lock (errors) throw new InvalidOperationException("the sim exited at start: " + errors);
            }
            await Task.Delay(100);
        }
        await sim.DisposeAsync();
        throw new TimeoutException("the sim did not become healthy");
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
