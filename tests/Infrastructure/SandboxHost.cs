using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Engine;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Tests.Infrastructure;

/// <summary>
/// The real server on a loopback port (Kestrel, real HTTP), with its own store and a private copy of the
/// scenarios so a test can edit them. <see cref="RestartAsync"/> stops it and starts a new process-equivalent
/// on the same data, as a crash-and-restart would.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    public string Root { get; }
    public string ScenariosPath => Path.Combine(Root, "scenarios");
    public string DataPath => Path.Combine(Root, "data", "sandbox.db");
    public WebApplication App { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    readonly string? _adminToken;
    readonly Dictionary<string, string?> _extra;
    readonly Action<WebApplicationBuilder>? _configure;

    SandboxHost(string? adminToken, Dictionary<string, string?> extra, Action<WebApplicationBuilder>? configure)
    {
        _adminToken = adminToken;
        _extra = extra;
        _configure = configure;
        Root = Path.Combine(Path.GetTempPath(), "sandbox-tests", Guid.NewGuid().ToString("N"));
        CopyShippedScenarios(RepoPaths.Scenarios, ScenariosPath);
    }

    /// <summary>Starts a host; <paramref name="configure"/> adjusts the server before it is built (a log capture, Kestrel limits).</summary>
    public static async Task<SandboxHost> StartAsync(string? adminToken = null, Dictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var host = new SandboxHost(adminToken, settings ?? [], configure);
        await host.BootAsync();
        return host;
    }

    async Task BootAsync()
    {
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Sandbox:DataPath", DataPath,
            "--Sandbox:ScenariosPath", ScenariosPath,
            "--Logging:LogLevel:Default", "Warning",
        };
        if (_adminToken is not null) args.AddRange(["--Sandbox:AdminToken", _adminToken]);
        // Dedicated listeners configured in appsettings.json (BPT's 6350 …) get a free port too, so that parallel hosts
        // and a sandbox running on the machine never collide; a test can still name its own URL.
        foreach (var name in ConfiguredListeners())
            if (!_extra.ContainsKey($"Sandbox:Listeners:{name}")) args.AddRange([$"--Sandbox:Listeners:{name}", "http://127.0.0.1:0"]);
        foreach (var (k, v) in _extra) args.AddRange(["--" + k, v ?? ""]);
        App = SandboxApp.Build(args.ToArray(), _configure);
        await App.StartSandboxAsync();
        await App.StartAsync();
        BaseAddress = new Uri(ListenerUrl(Listeners.Main));
        Http = new HttpClient { BaseAddress = BaseAddress };
        if (_adminToken is not null) Http.DefaultRequestHeaders.Authorization = new("Bearer", _adminToken);
        await KeepInboxOnThisHostAsync();
    }

    /// <summary>
    /// The demo tenant's callbacks go to the inbox of a sandbox on port 8080 (scenarios/tenants.yaml); a test host
    /// listens elsewhere, so they are pointed at its own inbox, whatever else runs on the machine.
    /// </summary>
    async Task KeepInboxOnThisHostAsync()
    {
        const string Default = "http://127.0.0.1:8080/inbox/";
        if (await AdminSendRaw(HttpMethod.Get, "/tenants/demo") is not JsonObject demo || demo["callbacks"] is not JsonObject callbacks) return;
        var changed = false;
        foreach (var (supplier, url) in callbacks.ToList())
            if (url?.GetValue<string>() is { } u && u.StartsWith(Default, StringComparison.Ordinal))
            {
                callbacks[supplier] = new Uri(BaseAddress, "/inbox/" + u[Default.Length..]).ToString();
                changed = true;
            }
        if (changed) await AdminSendRaw(HttpMethod.Put, "/tenants/demo", demo);
    }

    async Task<JsonNode?> AdminSendRaw(HttpMethod method, string path, JsonNode? body = null)
    {
        using var req = new HttpRequestMessage(method, "/admin/api" + path);
        if (body is not null) req.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var resp = await Http.SendAsync(req);
        if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: HTTP {(int)resp.StatusCode}");
        return JsonNode.Parse(await resp.Content.ReadAsStringAsync());
    }

    static IEnumerable<string> ConfiguredListeners()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (!File.Exists(path)) return [];
        var listeners = JsonNode.Parse(File.ReadAllText(path))?["Sandbox"]?["Listeners"] as JsonObject;
        return listeners?.Select(p => p.Key).ToList() ?? [];
    }

    /// <summary>Stops the server abruptly-enough (no drain of in-flight retries) and boots a new one on the same store.</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1))) await App.StopAsync(cts.Token);
        await App.DisposeAsync();
        await BootAsync();
    }

    /// <summary>The bound URL of a named listener (main, bpt …).</summary>
    public string ListenerUrl(string name) => Service<Listeners.Table>().UrlOf(name) ?? throw new InvalidOperationException($"no listener '{name}'");

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async Task<JsonNode?> AdminGet(string path) => JsonNode.Parse(await Http.GetStringAsync("/admin/api" + path));

    public async Task<(int Status, JsonNode? Body)> AdminSend(HttpMethod method, string path, object? body = null)
    {
        using var req = new HttpRequestMessage(method, "/admin/api" + path);
        if (body is not null) req.Content = JsonContent.Create(body);
        using var resp = await Http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        return ((int)resp.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1))) await App.StopAsync(cts.Token);
        await App.DisposeAsync();
        try { Directory.Delete(Root, true); }
        catch (IOException) { }
    }

    /// <summary>The sets the product ships; a file a QA engineer adds to scenarios/ (qa.yaml) never reaches a test's host.</summary>
    public static readonly string[] ShippedSets = ["default.yaml", "failures.yaml", "instant.yaml", "traffic.yaml"];

    /// <summary>Copies tenants.yaml and, per supplier folder, the shipped sets: tests depend on nothing else in the folder.</summary>
    public static void CopyShippedScenarios(string from, string to)
    {
        Directory.CreateDirectory(to);
        File.Copy(Path.Combine(from, "tenants.yaml"), Path.Combine(to, "tenants.yaml"));
        foreach (var folder in Directory.GetDirectories(from))
        {
            var target = Directory.CreateDirectory(Path.Combine(to, Path.GetFileName(folder))).FullName;
            foreach (var name in ShippedSets)
                if (File.Exists(Path.Combine(folder, name))) File.Copy(Path.Combine(folder, name), Path.Combine(target, name));
        }
    }
}

public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Sandbox.sln"))) return dir.FullName;
            throw new InvalidOperationException("repository root (Sandbox.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Scenarios => Path.Combine(Root, "scenarios");
    public static string Golden => Path.Combine(Root, "tests", "Golden");
}
