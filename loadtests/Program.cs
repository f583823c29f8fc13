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
          techhouse-flow  (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--callback-port 9091] [--admin-token T] [report options]
          bpt-flow        (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--bpt-url http://127.0.0.1:6350] [--callback-port 9092] [--admin-token T] [report options]
          yobaoxing-flow  (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--callback-port 9091] [--admin-token T] [report options]
          fliggy-flight   (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--admin-token T] [report options]
          fliggy-search   (--rate N | --concurrency N) [--duration 30] [--warmup 5] [--url U] [--admin-token T] [report options]
          fliggybus-flow  (--rate N | --concurrency N) [--duration 60] [--warmup 5] [--url U] [--admin-token T] [report options]
                          [--operator-url U --operator-app-key K --operator-secret S | --operator-port 9095]
                          [--passengers 1] [--refund-share 0.1] [--sync-every 0]
          getbalance      (--rate N | --concurrency N) [--duration 30] [--warmup 5] [--url U] [--key K --secret S] [--admin-token T] [report options]
          baseline        (--rate N | --concurrency N) [--duration 30] [--warmup 5] [--url U] [--admin-token T] [report options]
          callbacks       --supplier techhouse|bpt|yobaoxing --target URL (--rate N | --concurrency N) [--duration 30] [--warmup 5] [report options]
                          delivers the supplier's real notifications to your receiver and reports its acknowledgements
          callbacks       --supplier fliggyflight [--listen http://127.0.0.1:9096] [--wait 60] (--rate N | --concurrency N) [...]
                          serves TMC at ws://<listen>/tmc for your TMC client and times each TradeNotify to its confirm
          getbalance-body [--key K --secret S] [--timestamp T]     prints a signed GetBalance request body
          fliggy-search-bodies [--key K --secret S --session X]    prints signed search form bodies, one per line: every
                          route and date the fliggy-search command draws from, stamped now (valid ten minutes; for wrk)
          selftest        [--duration 3] [--report FILE]          runs every scenario against an in-process fake sim
          fake-sim        [--url U]                                serves that fake sim until Ctrl+C (to try run-benchmarks.sh)
          reliability-crash --sim DLL [--supplier all|techhouse|bpt|yobaoxing|fliggyflight|fliggybus[,…]] [--cycles 20] [--every 4] [--workers 4] [--work DIR] [--report FILE]
                          starts the sim itself, kills it with SIGKILL every --every seconds under booking load, then checks every order
          reliability-soak  --sim DLL [--minutes 30] [--workers 6] [--work DIR] [--report FILE]
                          mixed load over TechHouse, BPT, Yobaoxing, Fliggy flights and Fliggy bus; memory, threads, store and journal size and latency per minute
        report options:
          --report-dir DIR          where the run's files go (default loadtests/reports/<UTC timestamp>-<command>/)
          --report-format LIST      any of html,json,csv,md (default all four)
          --report FILE             also append the Markdown report to FILE
          --progress MODE           auto (a live table when stderr is a terminal, else a line every 5 s), live, plain, none
          --max-p50|--max-p95|--max-p99 [STEP=]DURATION   e.g. 50ms, Commit=80ms, flow=1s; without STEP, every step
          --max-errors [STEP=]N[%]  failed flows (or one step's failed calls), warm-up included, e.g. 0, 0.5%, Commit=0
          (repeat an option, or separate values with commas, for several limits)
        --replicas U1,U2 spreads the requests meant for --url over sims sharing one store, one request each in turn.
        --url defaults to http://127.0.0.1:8080; --rate is flows started per second (open model), --concurrency flows in
        flight (closed model). The Markdown report also goes to stdout. Exit code 0 when every threshold holds and
        (unless --max-errors is given) nothing failed, 1 otherwise.
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
                "fliggy-flight" => await MeasureAsync(options, 60, Benchmarks.FliggyFlightAsync),
                "fliggy-search" => await MeasureAsync(options, 30, Benchmarks.FliggySearchAsync),
                "fliggybus-flow" => await MeasureAsync(options, 60, s => Benchmarks.FliggyBusFlowAsync(s, BusRun.From(options)),
                    "operator-url", "operator-app-key", "operator-secret", "operator-port", "passengers", "refund-share", "sync-every"),
                "getbalance" => await MeasureAsync(options, 30, Benchmarks.GetBalanceAsync, "key", "secret"),
                "baseline" => await MeasureAsync(options, 30, Benchmarks.BaselineAsync),
                "callbacks" => await MeasureAsync(options, 30, s => Benchmarks.CallbacksAsync(s, options.String("supplier"), options.String("target"),
                        options.String("listen"), options.Int("wait") ?? 60),
                    "supplier", "target", "listen", "wait"),
                "getbalance-body" => GetBalanceBody(options),
                "fliggy-search-bodies" => FliggySearchBodies(options),
                "selftest" => await SelfTestAsync(options),
                "fake-sim" => await FakeSimAsync(options),
                "reliability-crash" => await ReliabilityCrashAsync(options),
                "reliability-soak" => await ReliabilitySoakAsync(options),
                _ => throw new UsageException($"unknown command '{options.Command}'"),
            };
        }
        catch (Exception e) when (e is UsageException or FormatException)
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
        options.Allow(["rate", "concurrency", "duration", "warmup", "url", "replicas", "admin-token", "report", "report-dir", "report-format", "progress",
            "max-p50", "max-p95", "max-p99", "max-errors", .. extraOptions]);
        var thresholds = options.Thresholds();
        var formats = ReportFiles.ParseFormats(options.String("report-format") ?? "html,json,csv,md");
        var reportDirectory = options.String("report-dir") ?? ReportFiles.DefaultDirectory(options.Command, DateTime.UtcNow);
        var settings = new LoadSettings(
            options.Url(),
            options.Simulation(defaultDurationSeconds),
            TimeSpan.FromSeconds(options.Int("warmup") ?? 5),
            options.String("admin-token"),
            options.Int("callback-port") ?? (options.Command == "bpt-flow" ? 9092 : 9091),
            options.Credentials(),
            options.Url("bpt-url", "http://127.0.0.1:6350"),
            options.Progress(),
            options.Urls("replicas"));
        var run = await benchmark(settings);

        var verdicts = Thresholds.Evaluate(thresholds, run.Result);
        var passed = Thresholds.Passed(thresholds, verdicts, run.Result);
        var markdown = run.Report + Report.RenderThresholds(verdicts);
        Publish(markdown, options.String("report"));
        var files = ReportFiles.Write(RunReport.From(run.Result, run.Title, run.Facts, verdicts, passed), markdown, reportDirectory, formats);
        PrintVerdict(verdicts, passed, run.Result, files);
        return passed ? 0 : 1;
    }

    /// <summary>The end of the run on stderr, after the live table: each threshold, the verdict, where the report is.</summary>
    private static void PrintVerdict(IReadOnlyList<ThresholdResult> verdicts, bool passed, RunResult result, IReadOnlyList<string> files)
    {
        var error = Console.Error;
        error.WriteLine();
        foreach (var v in verdicts)
        {
            error.WriteLine($"  {(v.Passed ? "pass" : "FAIL")}  {v.Rule}  [{v.Target}]  {v.Actual}");
        }

        var failures = result.WarmUp.Scenario.Fail + result.Measured.Scenario.Fail + result.Abandoned;
        error.WriteLine(verdicts.Count == 0
            ? $"{(passed ? "PASSED" : "FAILED")}: {failures} failed flows (no thresholds given: any failure fails the run)"
            : $"{(passed ? "PASSED" : "FAILED")}: thresholds {verdicts.Count(v => v.Passed)} passed, {verdicts.Count(v => !v.Passed)} failed; {failures} failed flows");
        if (files.Count > 0)
        {
            error.WriteLine($"report: {files.FirstOrDefault(f => f.EndsWith(".html", StringComparison.Ordinal)) ?? files[0]}"
                + (files.Count > 1 ? $" (+{files.Count - 1} more in {Path.GetDirectoryName(files[0])})" : ""));
        }
    }

    private static int GetBalanceBody(Options options)
    {
        options.Allow("key", "secret", "timestamp");
        var credentials = options.Credentials() ?? TechHouseCredentials.Demo;
        var timestamp = options.String("timestamp") ?? TechHouseSignature.Timestamp(DateTimeOffset.UtcNow);
        Console.WriteLine(TechHouseClient.GetBalanceBody(credentials, timestamp));
        return 0;
    }

    private static int FliggySearchBodies(Options options)
    {
        options.Allow("key", "secret", "session");
        var demo = TopCredentials.Demo;
        var credentials = new TopCredentials(options.String("key") ?? demo.AppKey, options.String("secret") ?? demo.AppSecret, options.String("session") ?? demo.Session);
        var now = DateTimeOffset.UtcNow;
        foreach (var request in Flows.FliggyFlightFlow.AllSearchRequests())
            Console.WriteLine(TopClient.SignedBody(credentials, "alitrip.flight.service.search", [("search_flight_info_req", request)], now));
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
        // "all", one supplier, or several separated by commas.
        var suppliers = supplier == "all" ? Reliability.ReliabilityRun.Suppliers : supplier.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (suppliers.FirstOrDefault(s => !Reliability.ReliabilityRun.Suppliers.Contains(s)) is { } unknown)
            throw new UsageException($"--supplier {unknown}: one of all, {string.Join(", ", Reliability.ReliabilityRun.Suppliers)} (or several, comma-separated)");
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

/// <param name="Replicas">sims sharing one store: requests to <see cref="Url"/> go to each in turn, as a proxy would spread them</param>
internal sealed record LoadSettings(
    Uri Url, LoadSimulation Simulation, TimeSpan WarmUp, string? AdminToken, int CallbackPort, TechHouseCredentials? Credentials, Uri? BptUrl = null,
    ProgressMode Progress = ProgressMode.Auto, IReadOnlyList<Uri>? Replicas = null);

/// <param name="Report">The run's Markdown section (without thresholds).</param>
/// <param name="Appendix">Markdown the flow adds after its section (the bus operator's table per Qimen method).</param>
internal sealed record BenchmarkRun(RunResult Result, string Title, IReadOnlyList<(string Name, string Value)> Facts, string Appendix = "")
{
    public string Report => Framework.Report.Render(Result, Title, Facts) + Appendix;
}

/// <summary>The fliggybus-flow options: the operator to drive (or the generator's own on a port) and the flow's shape.</summary>
internal sealed record BusRun(Uri? OperatorUrl, string? AppKey, string? Secret, int OperatorPort, int Passengers, double RefundShare, int SyncEvery)
{
    public static BusRun From(Options options)
    {
        var url = options.String("operator-url") is null ? null : options.Url("operator-url", "");
        var (key, secret) = (options.String("operator-app-key"), options.String("operator-secret"));
        if (url is not null && (key is null || secret is null))
        {
            throw new UsageException("--operator-url needs --operator-app-key and --operator-secret (the Qimen account Fliggy signs with)");
        }

        if (url is null && (key is not null || secret is not null))
        {
            throw new UsageException("--operator-app-key and --operator-secret go with --operator-url");
        }

        var share = options.String("refund-share") is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1
                ? d
                : throw new UsageException($"--refund-share is a fraction from 0 to 1, not '{text}'")
            : 0.1;
        var passengers = options.Positive("passengers") ?? 1;
        if (passengers > 9)
        {
            throw new UsageException("--passengers is 1 to 9");
        }

        return new BusRun(url is null ? null : new Uri(url.ToString().TrimEnd('/')), key, secret, options.Int("operator-port") ?? 9095, passengers, share,
            options.Int("sync-every") ?? 0);
    }
}

/// <summary>Wires scenarios to a sim: HTTP client, throw-away tenant, callback listener, memory readings, report.</summary>
internal static class Benchmarks
{
    public static async Task<BenchmarkRun> TechHouseFlowAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings);
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
        using var http = CreateHttpClient(settings);
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
        using var http = CreateHttpClient(settings);
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

    /// <summary>
    /// The Fliggy flight flow on the TOP gateway against a throw-away tenant (instant scenario), with a TMC consumer on
    /// the tenant's app receiving and confirming the TradeNotify of each payment.
    /// </summary>
    public static async Task<BenchmarkRun> FliggyFlightAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        var (id, credentials) = await admin.CreateTopTenantAsync();
        try
        {
            await using var tmc = await TmcConsumer.ConnectAsync(settings.Url.ToString(), credentials.AppKey, credentials.AppSecret);
            return await MeasureAsync(FliggyFlightFlow.Booking(new TopClient(http, settings.Url, credentials), tmc), settings, admin,
                () => [("tenant", id), ("TMC messages received", tmc.Received.ToString(CultureInfo.InvariantCulture)),
                    ("TMC messages confirmed", tmc.Confirmed.ToString(CultureInfo.InvariantCulture))]);
        }
        finally
        {
            await admin.TryDeleteTenantAsync(id);
        }
    }

    /// <summary>Signed alitrip.flight.service.search calls only: compare with <c>baseline</c> run the same way.</summary>
    public static async Task<BenchmarkRun> FliggySearchAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        var (id, credentials) = await admin.CreateTopTenantAsync();
        try
        {
            return await MeasureAsync(FliggyFlightFlow.SearchOnly(new TopClient(http, settings.Url, credentials)), settings, admin, () => [("tenant", id)]);
        }
        finally
        {
            await admin.TryDeleteTenantAsync(id);
        }
    }

    /// <summary>
    /// The Fliggy custom-bus loop through the sandbox into a bus operator — the integrator's (<c>--operator-url</c>) or
    /// the generator's own <see cref="BusOperator"/> — on a throw-away tenant: the catalogue synced once, then the
    /// flows; the sandbox's counters of its calls into the operator (reset when the warm-up ends) are the operator's
    /// throughput and latency per Qimen method.
    /// </summary>
    public static async Task<BenchmarkRun> FliggyBusFlowAsync(LoadSettings settings, BusRun bus)
    {
        using var http = CreateHttpClient(settings);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        await using var own = bus.OperatorUrl is null ? await BusOperator.StartAsync(bus.OperatorPort) : null;
        var operatorUrl = bus.OperatorUrl ?? own!.Url;
        var client = await BusClient.CreateTenantAsync(admin, http, settings.Url, settings.AdminToken, operatorUrl,
            bus.AppKey ?? BusOperator.AppKey, bus.Secret ?? own!.Secret);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var sync = await client.SyncAsync();
            var syncTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (sync.Status != 200 || sync.Field("status") != "complete")
            {
                throw new HttpRequestException($"the catalogue sync did not complete: {sync.Describe()}");
            }

            var schedules = Saleable((await client.CatalogueAsync()).Body, bus.Passengers);
            if (schedules.Count == 0)
            {
                throw new HttpRequestException($"the operator's catalogue has no saleable schedule departing in more than 3 hours with {bus.Passengers} seats");
            }

            var reset = Task.Delay(settings.WarmUp).ContinueWith(_ => client.ResetStatsAsync()).Unwrap();
            var run = await MeasureAsync(FliggyBusFlow.Booking(client, schedules, bus.Passengers, bus.RefundShare, bus.SyncEvery), settings, admin,
                () =>
                [
                    ("tenant", client.Tenant), ("operator", bus.OperatorUrl is null ? $"the generator's own ({operatorUrl})" : operatorUrl.ToString()),
                    ("catalogue", $"{schedules.Count} saleable schedules; first sync {syncTime.TotalMilliseconds:0} ms, {sync.Field("calls")} calls"),
                    ("passengers per booking", bus.Passengers.ToString(CultureInfo.InvariantCulture)),
                    ("refund share", bus.RefundShare.ToString("0.###", CultureInfo.InvariantCulture)),
                    ("operator signature refusals (own operator)", own?.RefusedSignatures.ToString(CultureInfo.InvariantCulture) ?? "n/a"),
                ]);
            await reset;
            var stats = await client.StatsAsync();
            return run with { Appendix = OperatorTable(stats.Body, settings.Simulation.During) };
        }
        finally
        {
            await admin.TryDeleteTenantAsync(client.Tenant);
        }
    }

    /// <summary>Schedule ids that are saleable, have the seats, and leave more than 3 hours (refund rules often stop there).</summary>
    internal static List<string> Saleable(System.Text.Json.Nodes.JsonObject? catalogue, int passengers)
    {
        var soon = DateTimeOffset.UtcNow.AddHours(3);
        var ids = new List<string>();
        foreach (var route in catalogue?["routes"]?.AsArray() ?? [])
        {
            foreach (var lineSchedule in route?["lineSchedule"]?.AsArray() ?? [])
            {
                foreach (var s in lineSchedule?["scheduleList"]?.AsArray() ?? [])
                {
                    var time = s?["fromTime"]?.ToString() ?? s?["fromDurationBegin"]?.ToString() ?? "23:59";
                    var departs = DateTimeOffset.TryParse($"{s?["fromDate"]} {time} +08:00", CultureInfo.InvariantCulture, out var d) ? d : DateTimeOffset.MaxValue;
                    if (s?["saleStatus"]?.ToString() == "1" && long.TryParse(s["leftTicketCnt"]?.ToString(), out var left) && left >= passengers && departs > soon)
                    {
                        ids.Add(s["scheduleId"]!.ToString());
                    }
                }
            }
        }

        return ids;
    }

    /// <summary>The operator's side, per Qimen method, from the sandbox's counters: what a bus company reads from a run.</summary>
    private static string OperatorTable(System.Text.Json.Nodes.JsonObject? stats, TimeSpan during)
    {
        var text = new System.Text.StringBuilder();
        text.Append("The operator per Qimen method, as the sandbox measured its calls (since the end of the warm-up; latency of answered calls):\n\n");
        text.Append("| Qimen method | calls | taken | calls/s | p50 ms | p95 ms | p99 ms | max ms | not taken | signature refusals |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (var m in stats?["methods"]?.AsArray() ?? [])
        {
            var latency = m!["latencyMs"]!;
            var calls = m["calls"]!.GetValue<long>();
            var notTaken = string.Join(", ", m["verdicts"]!.AsObject().Where(v => v.Key != "success").Select(v => $"{v.Key} {v.Value}"));
            text.Append(CultureInfo.InvariantCulture,
                $"| {m["method"]} | {calls} | {m["accepted"]} | {calls / during.TotalSeconds:0.0} | {latency["p50"]} | {latency["p95"]} | {latency["p99"]} | {latency["max"]} | {(notTaken.Length == 0 ? "none" : notTaken)} | {m["signatureRefusals"]} |\n");
        }

        return text.Append('\n').ToString();
    }

    public static async Task<BenchmarkRun> GetBalanceAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings);
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

    /// <summary>
    /// The other half of measuring the integrator: how fast its receiver absorbs a burst of one supplier's notifications.
    /// The sandbox's own module encodes each (a new order each time); the step time is the acknowledgement latency.
    /// </summary>
    public static async Task<BenchmarkRun> CallbacksAsync(LoadSettings settings, string? supplier, string? target, string? listen, int waitSeconds)
    {
        if (supplier == Callbacks.TmcMessageSource.Supplier) return await TmcMessagesAsync(settings, listen, waitSeconds);
        if (supplier is null || !Callbacks.CallbackSource.Suppliers.Contains(supplier))
            throw new UsageException($"--supplier must be one of {string.Join(", ", Callbacks.CallbackSource.Suppliers)}, {Callbacks.TmcMessageSource.Supplier}");
        if (target is null || !Uri.TryCreate(target, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new UsageException("--target must be the receiver's absolute http(s) URL (Yobaoxing: the folder its Notify_*.aspx pages are in)");
        await using var source = await Callbacks.CallbackSource.StartAsync(supplier, url);
        using var http = CreateHttpClient(settings);
        var scenario = Callbacks.CallbacksScenario.Create(source, http);
        var result = await Runner.RunAsync(
            scenario.WithWarmUpDuration(settings.WarmUp).WithLoadSimulations(settings.Simulation), ProgressViews.Create(settings.Progress, scenario.Name));
        (string Name, string Value)[] facts =
        [
            ("receiver", url.ToString()),
            ("callback", $"{supplier} {source.Callback}, encoded and signed by the sandbox's module, one new order per message"),
            ("contract", $"acknowledged as {supplier} requires within {source.Timeout.TotalSeconds:0.#} s; failures by kind: HTTP status, wrong-ack, timeout, reset"),
        ];
        return new BenchmarkRun(result, scenario.Name, facts);
    }

    /// <summary>
    /// Fliggy flights' notifications: the sandbox listens as TMC does, the integrator's TMC client connects to it, and
    /// each message (an order's TradeNotify, published by the Fliggy module) is timed from publication to confirm.
    /// </summary>
    static async Task<BenchmarkRun> TmcMessagesAsync(LoadSettings settings, string? listen, int waitSeconds)
    {
        if (!Uri.TryCreate(listen ?? "http://127.0.0.1:9096", UriKind.Absolute, out var at) || at.Scheme != "http")
            throw new UsageException("--listen must be an http:// address for the sandbox's TMC endpoint, e.g. http://127.0.0.1:9096");
        await using var source = await Callbacks.TmcMessageSource.StartAsync(at);
        var ws = $"ws://{at.Authority}/tmc";
        Console.Error.WriteLine($"TMC is listening at {ws}: connect your TMC client there (app key {source.AppKey}, the demo tenant's secret, group {source.Group}); waiting up to {waitSeconds} s");
        if (!await source.WaitForConsumerAsync(TimeSpan.FromSeconds(waitSeconds), CancellationToken.None))
            throw new UsageException($"no TMC client connected to {ws} within {waitSeconds} s (--wait)");
        var scenario = Framework.Scenario.Create("callbacks-" + source.Callback, async ctx =>
            await Step.Run(source.Callback, ctx, () => source.DeliverAsync(ctx.CancellationToken)));
        var result = await Runner.RunAsync(
            scenario.WithWarmUpDuration(settings.WarmUp).WithLoadSimulations(settings.Simulation), ProgressViews.Create(settings.Progress, scenario.Name));
        (string Name, string Value)[] facts =
        [
            ("TMC endpoint", $"{ws} (app key {source.AppKey}, group {source.Group}), {source.Consumers} consumer connection(s) at the end"),
            ("callback", "fliggyflight alitrip_flight_TradeNotify type 3, built and published by the sandbox's Fliggy module, one new order per message"),
            ("contract", $"confirmed within the push acknowledgement window ({source.Timeout.TotalSeconds:0.#} s), timed from publication to confirm; failures by kind: failed, timeout, no-consumer"),
        ];
        return new BenchmarkRun(result, scenario.Name, facts);
    }

    public static async Task<BenchmarkRun> BaselineAsync(LoadSettings settings)
    {
        using var http = CreateHttpClient(settings);
        var admin = new AdminClient(http, settings.Url, settings.AdminToken);
        return await MeasureAsync(Baseline.Create(http, settings.Url), settings, admin, () => []);
    }

    private static async Task<BenchmarkRun> MeasureAsync(
        Scenario scenario, LoadSettings settings, AdminClient admin, Func<IEnumerable<(string Name, string Value)>> moreFacts)
    {
        var before = await admin.TryGetStatsAsync();
        var ownBefore = Environment.CpuUsage.TotalTime;
        var result = await Runner.RunAsync(
            scenario.WithWarmUpDuration(settings.WarmUp).WithLoadSimulations(settings.Simulation), ProgressViews.Create(settings.Progress, scenario.Name));
        var ownCpu = Environment.CpuUsage.TotalTime - ownBefore;
        var after = await admin.TryGetStatsAsync();
        // Warm-up included: the counters are read around the whole run.
        var flows = result.WarmUp.Scenario.Ok + result.Measured.Scenario.Ok;
        (string Name, string Value)[] facts =
        [
            ("target", settings.Url.ToString()),
            ("cores (Environment.ProcessorCount)", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            ("sim memory before", Describe(before)),
            ("sim memory after", Describe(after)),
            ("sim CPU per completed flow", PerFlow(after?.CpuMs - before?.CpuMs, flows, "ms")),
            ("generator CPU per completed flow", PerFlow((long)ownCpu.TotalMilliseconds, flows, "ms")),
            .. after?.StoreRoundTrips is not null ? [("PostgreSQL round trips per completed flow", PerFlow(after.StoreRoundTrips - before?.StoreRoundTrips, flows, ""))] :
                Array.Empty<(string, string)>(),
            .. moreFacts(),
        ];
        return new BenchmarkRun(result, scenario.Name, facts);
    }

    private static TechHouseCredentials CredentialsOf(TenantSpec tenant)
    {
        var credentials = tenant.Credentials["techhouse"];
        return new TechHouseCredentials(credentials.Key, credentials.Secret);
    }

    private static HttpClient CreateHttpClient(LoadSettings settings)
    {
        var sockets = Handler(settings.Simulation);
        HttpMessageHandler handler = settings.Replicas is { Count: > 0 } replicas ? new ReplicaSpread(settings.Url, replicas) { InnerHandler = sockets } : sockets;
        return new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // Requests time out through CoarseTimeout, far cheaper than HttpClient's per-request timer.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    private static SocketsHttpHandler Handler(LoadSimulation simulation) => new()
    {
        UseProxy = false,

        // Closed model: one connection per copy, as that many real clients would hold. Open model: enough that a slow
        // server shows up as queueing in the server, not in this pool.
        MaxConnectionsPerServer = simulation is KeepConstantSimulation closed ? closed.Copies : 1024,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    };

    private static string Describe(SimStats? stats) =>
        stats is null ? "n/a (GET /admin/api/stats unavailable)" : $"working set {Megabytes(stats.WorkingSetBytes)}, GC heap {Megabytes(stats.GcHeapBytes)}";

    private static string PerFlow(long? total, long flows, string unit) =>
        total is { } t && flows > 0 ? $"{(double)t / flows:0.###} {unit} ({t:N0} over {flows:N0} flows)".Replace("  ", " ") : "n/a";

    private static string Megabytes(long? bytes) => bytes is { } b ? $"{b / 1048576.0:0.0} MB" : "n/a";
}

internal sealed class UsageException(string message) : Exception(message);

/// <summary>Plain <c>command --name value ...</c> parsing; every command declares the options it accepts.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, List<string>> _values;

    private Options(string command, Dictionary<string, List<string>> values)
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

        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
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

            var name = args[i][2..];
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }

            list.Add(args[i + 1]);
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

    /// <summary>The last value given for <c>--name</c>.</summary>
    public string? String(string name) => _values.GetValueOrDefault(name)?[^1];

    /// <summary>Every value of a repeatable option, comma-separated values split.</summary>
    public IEnumerable<string> All(string name) =>
        (_values.GetValueOrDefault(name) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public IReadOnlyList<Threshold> Thresholds() =>
    [
        .. All("max-p50").Select(v => Threshold.Parse(ThresholdMetric.P50, v)),
        .. All("max-p95").Select(v => Threshold.Parse(ThresholdMetric.P95, v)),
        .. All("max-p99").Select(v => Threshold.Parse(ThresholdMetric.P99, v)),
        .. All("max-errors").Select(v => Threshold.Parse(ThresholdMetric.Errors, v)),
    ];

    public ProgressMode Progress() => String("progress") switch
    {
        null or "auto" => ProgressMode.Auto,
        "live" => ProgressMode.Live,
        "plain" => ProgressMode.Plain,
        "none" => ProgressMode.None,
        var other => throw new UsageException($"--progress must be auto, live, plain or none, not '{other}'"),
    };

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

    /// <summary>A comma-separated list of absolute http(s) URLs, or null when the option is absent.</summary>
    public IReadOnlyList<Uri>? Urls(string name)
    {
        if (String(name) is not { } text) return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u.TrimEnd('/') + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url
                : throw new UsageException($"--{name} must list absolute http(s) URLs, not '{u}'"))
            .ToList();
    }

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
