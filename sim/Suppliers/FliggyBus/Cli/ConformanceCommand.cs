using System.Globalization;
using Sandbox.Engine.Clock;
using Sandbox.Suppliers.FliggyBus.Conformance;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Cli;

/// <summary>
/// <c>dotnet run --project sim -- fliggybus conformance --url … --app-key … --secret …</c>: runs the conformance
/// checks against an operator's Qimen endpoint, prints one line per check and exits non-zero when any check did
/// not pass, for CI pipelines; <c>--junit</c> and <c>--report</c> write JUnit XML and HTML.
/// </summary>
public static class ConformanceCommand
{
    const string Usage = """
        usage: fliggybus conformance --url <operator Qimen URL> --app-key <Qimen app key> --secret <Qimen secret>
                                     [--customer-id <id>] [--top-app-key <key> --top-secret <secret>]
                                     [--timeout 5s] [--passengers 2] [--signed-trace] [--ticketing-wait 10s]
                                     [--report report.html] [--junit results.xml]
        Exit code: 0 every check passed, 1 a check failed or could not run, 2 bad arguments.
        """;

    static readonly HashSet<string> Flags = ["signed-trace"];
    static readonly HashSet<string> Valued = ["url", "app-key", "secret", "customer-id", "top-app-key", "top-secret", "timeout", "passengers",
        "ticketing-wait", "report", "junit"];

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] != "conformance")
        {
            error.WriteLine(Usage);
            return 2;
        }
        if (Parse(args[1..], out var reason) is not { } options)
        {
            error.WriteLine(reason);
            error.WriteLine(Usage);
            return 2;
        }
        var (run, report, junit) = options;
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan };
        var runner = new ConformanceRunner(new QimenClient(http), TimeProvider.System);
        output.WriteLine($"Fliggy custom bus conformance against {run.Url}");
        if (run.TopAppKey is not null)
            output.WriteLine("note: the TOP app is sent as target_app_key; the checks do not wait for taobao.bus.* callbacks, so an order answered with status 2 is followed with order.query");
        var result = runner.RunAsync(run, c => output.WriteLine(c.Line())).GetAwaiter().GetResult();
        output.WriteLine($"{result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped");
        try
        {
            if (junit is not null) File.WriteAllText(junit, ConformanceReports.JUnit(result));
            if (report is not null) File.WriteAllText(report, ConformanceReports.Html(result));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"could not write the report: {e.Message}");
            return 1;
        }
        return result.Conforms ? 0 : 1;
    }

    static (ConformanceOptions Run, string? Report, string? JUnit)? Parse(string[] args, out string reason)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
            if (Flags.Contains(name)) flags.Add(name);
            else if (Valued.Contains(name) && i + 1 < args.Length) values[name] = args[++i];
            else
            {
                reason = Valued.Contains(name) ? $"--{name} needs a value" : $"unknown argument '{args[i]}'";
                return null;
            }
        }
        foreach (var required in new[] { "url", "app-key", "secret" })
            if (!values.ContainsKey(required))
            {
                reason = $"--{required} is required";
                return null;
            }
        if (!Uri.TryCreate(values["url"], UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            reason = $"--url '{values["url"]}' is not an absolute http(s) URL";
            return null;
        }
        var timeout = TimeSpan.FromSeconds(5);
        if (values.TryGetValue("timeout", out var t) && (!Durations.TryParse(t, out timeout) || timeout <= TimeSpan.Zero))
        {
            reason = $"--timeout '{t}' is not a positive duration (5s, 500ms)";
            return null;
        }
        var wait = TimeSpan.FromSeconds(10);
        if (values.TryGetValue("ticketing-wait", out var w) && (!Durations.TryParse(w, out wait) || wait < TimeSpan.Zero))
        {
            reason = $"--ticketing-wait '{w}' is not a duration (10s, 1m)";
            return null;
        }
        var passengers = 2;
        if (values.TryGetValue("passengers", out var p) && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out passengers) || passengers is < 1 or > 9))
        {
            reason = $"--passengers '{p}' must be 1–9";
            return null;
        }
        if (values.ContainsKey("top-app-key") != values.ContainsKey("top-secret"))
        {
            reason = "--top-app-key and --top-secret go together";
            return null;
        }
        reason = "";
        return (new ConformanceOptions
        {
            Url = values["url"],
            AppKey = values["app-key"],
            Secret = values["secret"],
            CustomerId = values.GetValueOrDefault("customer-id") ?? "sandbox",
            TopAppKey = values.GetValueOrDefault("top-app-key"),
            Timeout = timeout,
            TicketingWait = wait,
            PassengerCount = passengers,
            SignedTrace = flags.Contains("signed-trace"),
        }, values.GetValueOrDefault("report"), values.GetValueOrDefault("junit"));
    }
}
