using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Sandbox.LoadTests.Flows;
using Sandbox.LoadTests.Framework;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests;

internal static class Program
{
    private const string Usage = """
        usage: dotnet run -c Release --project loadtests -- <command> [options]
          techhouse-flow  (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--callback-port 9091] [--admin-token T] [--report FILE]
          bpt-flow        (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--bpt-url http://127.0.0.1:6350] [--callback-port 9092] [--admin-token T] [--report FILE]
          yobaoxing-flow  (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--callback-port 9091] [--admin-token T] [--report FILE]
          getbalance      (--rate N | --concurrency N) [--duration 30] [--warmup 5] [--url U] [--key K --secret S] [--admin-token T] [--report FILE]
          baseline        (--rate N | --concurrency N) [--duration 30] [--warmup 5] [--url U] [--admin-token T] [--report FILE]
          sign            [--key K --secret S] [--timestamp T]     prints the TechHouse signature (demo tenant, now, by default)
          getbalance-body [--key K --secret S] [--timestamp T]     prints a signed GetBalance request body
          selftest        [--duration 3] [--report FILE]          runs every scenario against an in-process fake sim
          fake-sim        [--url U]                                serves that fake sim until Ctrl+C (to try run-benchmarks.sh)
          reliability-crash --sim DLL [--supplier all|techhouse|bpt|yobaoxing] [--cycles 20] [--every 4] [--workers 4] [--work DIR] [--report FILE]
                          starts the sim itself, kills it with SIGKILL every --every seconds under booking load, then checks every order
          reliability-soak  --sim DLL [--minutes 30] [--workers 6] [--work DIR] [--report FILE]
                          mixed load over the three suppliers; memory, threads, store and journal size and latency per minute
        --url defaults to http://127.0.0.1:8080; --rate is flows started per second (open model), --concurrency flows in
        flight (closed model). Exit code 0 when nothing failed, 1 otherwise.
        """;

    private static async Task<int> Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            return options.Command switch
            {
                "techhouse-flow" => await MeasureAsync(options, 60, Benchmarks.TechHouseFlowAsync, "callback-port"),
                "bpt-flow" => await MeasureAsync(options, 60, Benchmarks.BptFlowAsync, "bpt-url", "callback-port"),
                "yobaoxing-flow" => await MeasureAsync(options, 60, Benchmarks.YobaoxingFlowAsync, "callback-port"),
                "getbalance" => await MeasureAsync(options, 30, Benchmarks.GetBalanceAsync, "key", "secret"),
                "baseline" => await MeasureAsync(options, 30, Benchmarks.BaselineAsync),
                "sign" => Sign(options),
                "getbalance-body" => GetBalanceBody(options),
                "selftest" => await SelfTestAsync(options),
                "fake-sim" => await FakeSimAsync(options),
                "reliability-crash" => await ReliabilityCrashAsync(options),
                "reliability-soak" => await ReliabilitySoakAsync(options),
                _ => throw new UsageException($"unknown command '{options.Command}'"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // Set-up failures (sim not running, admin API refusing the tenant, port taken) need no stack trace.
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> MeasureAsync(
        Options options, int defaultDurationSeconds, Func<LoadSettings, Task<BenchmarkRun>> benchmark, params string[] extraOptions)
    {
        options.Allow(["rate", "concurrency", "duration", "warmup", "url", "admin-token", "report", .. extraOptions]);
        var settings = new LoadSettings(
            options.Url(),
            options.Simulation(defaultDurationSeconds),
            TimeSpan.FromSeconds(options.Int("warmup") ?? 5),
            options.String("admin-token"),
            options.Int("callback-port") ?? (options.Command == "bpt-flow" ? 9092 : 9091),
            options.Credentials(),
            options.Url("bpt-url", "http://127.0.0.1:6350"));
        var run = await benchmark(settings);
        Publish(run.Report, options.String("report"));
        return run.Result.HasErrors ? 1 : 0;
    }

    private static int Sign(Options options)
    {
        options.Allow("key", "secret", "timestamp");
        if (!TechHouseSignature.MatchesTestVector())
        {
            Console.Error.WriteLine("error: signature implementation does not reproduce the published test vector");
            return 1;
        }

        var credentials = options.Credentials() ?? TechHouseCredentials.Demo;
        var timestamp = options.String("timestamp") ?? TechHouseSignature.Timestamp(DateTimeOffset.UtcNow);
        Console.WriteLine(TechHouseSignature.Sign(credentials.Key, credentials.Secret, timestamp));
        return 0;
    }

    private static int GetBalanceBody(Options options)
    {
        options.Allow("key", "secret", "timestamp");
        var credentials = options.Credentials() ?? TechHouseCredentials.Demo;
        var timestamp = options.String("timestamp") ?? TechHouseSignature.Timestamp(DateTimeOffset.UtcNow);
        Console.WriteLine(TechHouseClient.GetBalanceBody(credentials, timestamp));
        return 0;
    }

    private static async Task<int> SelfTestAsync(Options options)
    {
        options.Allow("duration", "report");
        var duration = TimeSpan.FromSeconds(options.Positive("duration") ?? 3);
        var reportPath = options.String("report");
        return await SelfTest.SelfTestSuite.RunAsync(duration, report => Publish(report, reportPath));
    }

    private static Reliability.ReliabilityRun ReliabilityRunOf(Options options) => new(
        options.String("sim") ?? throw new UsageException("--sim is the published Sandbox.Sim.dll"),
        options.String("work") ?? Path.Combine(Path.GetTempPath(), "sandbox-reliability"),
        options.Positive("port") ?? 18080, options.Positive("bpt-port") ?? 16350, options.Positive("callback-port") ?? 19099);

    private static async Task<int> ReliabilityCrashAsync(Options options)
    {
        options.Allow("sim", "work", "port", "bpt-port", "callback-port", "supplier", "cycles", "every", "workers", "report");
        var run = ReliabilityRunOf(options);
        var supplier = options.String("supplier") ?? "all";
        var suppliers = supplier == "all" ? ["techhouse", "bpt", "yobaoxing"] : new[] { supplier };
        var rows = new List<string>();
        foreach (var s in suppliers)
            rows.Add(await run.CrashLoopAsync(s, options.Positive("cycles") ?? 20, TimeSpan.FromSeconds(options.Positive("every") ?? 4),
                options.Positive("workers") ?? 4, CancellationToken.None));
        var report = $"## Crash loop ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)\n\n" +
                     Reliability.ReliabilityRun.CrashHeader + "\n" + string.Join("\n", rows) + "\n";
        Publish(report, options.String("report"));
        return 0;
    }

    private static async Task<int> ReliabilitySoakAsync(Options options)
    {
        options.Allow("sim", "work", "port", "bpt-port", "callback-port", "minutes", "workers", "report");
        var table = await ReliabilityRunOf(options).SoakAsync(TimeSpan.FromMinutes(options.Positive("minutes") ?? 30), options.Positive("workers") ?? 6,
            CancellationToken.None);
        Publish($"## Soak ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)\n\n" + table, options.String("report"));
        return 0;
    }

    private static async Task<int> FakeSimAsync(Options options)
    {
        options.Allow("url");
        await using var fake = await SelfTest.FakeTechHouse.StartAsync(options.Url().Port);
        Console.WriteLine($"fake sim listening on {fake.BaseUrl}; Ctrl+C to stop");
        var stopped = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await stopped.Task;
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }
    }

    private static void Publish(string report, string? path)
    {
        Console.Write(report);
        if (path is not null)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            File.AppendAllText(path, report);
        }
    }
}

internal sealed record LoadSettings(
    Uri Url, LoadSimulation Simulation, TimeSpan WarmUp, string? AdminToken, int CallbackPort, TechHouseCredentials? Credentials, Uri? BptUrl = null);

internal sealed record BenchmarkRun(RunResult Result, string Report);

/// <summary>Wires scenarios to a sim: HTTP client, throw-away tenant, callback listener, memory readings, report.</summary>
internal static class Benchmarks
{
    public static async Task<BenchmarkRun> TechHouseFlowAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings.Simulation);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        await using var callbacks = await CallbackListener.StartAsync(settings.CallbackPort);
        var tenant = await admin.CreateLoadTenantAsync(callbacks.Url.ToString());
        try
        {
            var client = new TechHouseClient(http, settings.Url, CredentialsOf(tenant));
            return await MeasureAsync(TechHouseFlow.Booking(client, callbacks), settings, admin, callbacks.Facts);
        }
        finally
        {
            await admin.TryDeleteTenantAsync(tenant.Id);
        }
    }

    public static async Task<BenchmarkRun> BptFlowAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings.Simulation);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        await using var notices = await BptCallbackListener.StartAsync(settings.CallbackPort);
        var (id, credentials) = await admin.CreateBptTenantAsync(notices.Url.ToString());
        try
        {
            var bptUrl = settings.BptUrl ?? new Uri("http://127.0.0.1:6350/");
            var client = new BptClient(http, bptUrl, credentials);
            return await MeasureAsync(BptFlow.Ticketing(client, notices), settings, admin, () => [("bpt target", bptUrl.ToString()), .. notices.Facts()]);
        }
        finally
        {
            await admin.TryDeleteTenantAsync(id);
        }
    }

    /// <summary>The Yobaoxing scenic flow against a throw-away tenant (instant scenario) whose callback folder is the generator's listener.</summary>
    public static async Task<BenchmarkRun> YobaoxingFlowAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings.Simulation);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        await using var callbacks = await YobaoxingCallbackListener.StartAsync(settings.CallbackPort);
        YobaoxingCredentials? credentials = null;
        var tenant = await admin.CreateTenantAsync(() =>
        {
            var (id, made, json) = YobaoxingClient.NewLoadTenant(callbacks.Url.ToString());
            credentials = made;
            return (id, json);
        });
        try
        {
            var client = new YobaoxingClient(http, settings.Url, credentials!);
            return await MeasureAsync(YobaoxingFlow.Booking(client, callbacks), settings, admin, callbacks.Facts);
        }
        finally
        {
            await admin.TryDeleteTenantAsync(tenant);
        }
    }

    public static async Task<BenchmarkRun> GetBalanceAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings.Simulation);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        if (settings.Credentials is { } credentials)
        {
            return await MeasureAsync(TechHouseFlow.GetBalance(new TechHouseClient(http, settings.Url, credentials)), settings, admin, () => []);
        }

        var tenant = await admin.CreateLoadTenantAsync(callbackUrl: null);
        try
        {
            var client = new TechHouseClient(http, settings.Url, CredentialsOf(tenant));
            return await MeasureAsync(TechHouseFlow.GetBalance(client), settings, admin, () => []);
        }
        finally
        {
            await admin.TryDeleteTenantAsync(tenant.Id);
        }
    }

    public static async Task<BenchmarkRun> BaselineAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings.Simulation);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        return await MeasureAsync(Baseline.Create(http, settings.Url), settings, admin, () => []);
    }

    private static async Task<BenchmarkRun> MeasureAsync(
        Scenario scenario, LoadSettings settings, AdminClient admin, Func<IEnumerable<(string Name, string Value)>> moreFacts)
    {
        var before = await admin.TryGetStatsAsync();
        var result = await Runner.RunAsync(scenario.WithWarmUpDuration(settings.WarmUp).WithLoadSimulations(settings.Simulation), Console.Error);
        var after = await admin.TryGetStatsAsync();
        (string Name, string Value)[] facts =
        [
            ("target", settings.Url.ToString()),
            ("sim memory before", Describe(before)),
            ("sim memory after", Describe(after)),
            .. moreFacts(),
        ];
        return new BenchmarkRun(result, Report.Render(result, scenario.Name, facts));
    }

    private static TechHouseCredentials CredentialsOf(TenantSpec tenant)
    {
        var credentials = tenant.Credentials["techhouse"];
        return new TechHouseCredentials(credentials.Key, credentials.Secret);
    }

    private static HttpClient CreateHttpClient(LoadSimulation simulation) => new(new SocketsHttpHandler
    {
        UseProxy = false,

        // Closed model: one connection per copy, as that many real clients would hold. Open model: enough that a slow
        // server shows up as queueing in the server, not in this pool.
        MaxConnectionsPerServer = simulation is KeepConstantSimulation closed ? closed.Copies : 1024,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        // Requests time out through CoarseTimeout, far cheaper than HttpClient's per-request timer.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static string Describe(SimStats? stats) =>
        stats is null ? "n/a (GET /admin/api/stats unavailable)" : $"working set {Megabytes(stats.WorkingSetBytes)}, GC heap {Megabytes(stats.GcHeapBytes)}";

    private static string Megabytes(long? bytes) => bytes is { } b ? $"{b / 1048576.0:0.0} MB" : "n/a";
}

internal sealed class UsageException(string message) : Exception(message);

/// <summary>Plain <c>command --name value ...</c> parsing; every command declares the options it accepts.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values;

    private Options(string command, Dictionary<string, string> values)
    {
        Command = command;
        _values = values;
    }

    public string Command { get; }

    public static Options Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new UsageException("missing command");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{args[i]}'");
            }

            if (i + 1 == args.Length)
            {
                throw new UsageException($"{args[i]} needs a value");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new Options(args[0], values);
    }

    public void Allow(params string[] names)
    {
        foreach (var name in _values.Keys.Where(n => !names.Contains(n)))
        {
            throw new UsageException($"'{Command}' does not take --{name}");
        }
    }

    public string? String(string name) => _values.GetValueOrDefault(name);

    public int? Int(string name)
    {
        if (String(name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a non-negative whole number, not '{text}'");
    }

    public Uri Url() => Url("url", "http://127.0.0.1:8080");

    public Uri Url(string name, string fallback)
    {
        var text = String(name) ?? fallback;

        // A trailing slash makes relative paths ("flight/booking") append to, not replace, any base path.
        return Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new UsageException($"--{name} must be an absolute http(s) URL, not '{text}'");
    }

    public LoadSimulation Simulation(int defaultDurationSeconds)
    {
        var during = TimeSpan.FromSeconds(Positive("duration") ?? defaultDurationSeconds);
        return (Positive("rate"), Positive("concurrency")) switch
        {
            ({ } rate, null) => LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), during),
            (null, { } copies) => LoadSimulation.KeepConstant(copies, during),
            _ => throw new UsageException("give exactly one of --rate and --concurrency"),
        };
    }

    public TechHouseCredentials? Credentials() => (String("key"), String("secret")) switch
    {
        (null, null) => null,
        ({ } key, { } secret) => new TechHouseCredentials(key, secret),
        _ => throw new UsageException("--key and --secret go together"),
    };

    public int? Positive(string name) =>
        Int(name) is not { } value ? null
        : value > 0 ? value
        : throw new UsageException($"--{name} must be greater than zero");
}
