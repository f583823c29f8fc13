using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Reliability.Hostile;
using Sandbox.Tests.Reliability.Surfaces;
using Xunit.Abstractions;

namespace Sandbox.Tests.Reliability;

/// <summary>
/// Seeded hostile inputs over every inbound operation of each supplier — wrong types, missing, duplicated and
/// case-varied fields, wrong encodings, huge and truncated bodies, slow senders, bad and replayed signatures,
/// injection strings, header floods, wrong methods — sent byte for byte on a socket. Every one must get a reply
/// (never a closed connection), never an HTTP 5xx, never an empty body the supplier does not document, always the
/// supplier's own format, and no stack trace in the reply or the server's log. Input i of a run is a function of
/// (seed, supplier, i) alone: a failure message names both, and SANDBOX_RELIABILITY_SEED replays the run.
/// </summary>
public class HostileInputTests(ITestOutputHelper output)
{
    public static TheoryData<string> Suppliers => new(SupplierSurfaces.All.Select(s => s.Supplier));

    static readonly Regex StackTrace = new(@"\n\s+at [\w.<>`]+\(|(System|Microsoft)\.[\w.]*Exception", RegexOptions.Compiled);

    [Theory]
    [MemberData(nameof(Suppliers))]
    public async Task Every_hostile_input_gets_a_reply_in_the_suppliers_own_format(string supplier)
    {
        var surface = SupplierSurfaces.Find(supplier);
        var logs = new CapturedLogs();
        // A body that stops arriving is answered when Kestrel's body timeout passes: 2 s of grace instead of 5 keeps the run short.
        await using var host = await SandboxHost.StartAsync(configure: b =>
        {
            b.Logging.AddProvider(logs);
            b.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2)));
        });

        // Every inbound operation of the catalogue is generated for (the Fliggy pair joins through SupplierSurfaces).
        var catalogue = (await host.AdminGet("/suppliers"))!.AsArray().Single(s => s!["name"]!.GetValue<string>() == supplier)!;
        var listed = catalogue["operations"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()).Where(n => !surface.IsOutboundOrAdmin(n)).ToList();
        Assert.Empty(listed.Except(surface.Operations));

        var server = new Uri(host.ListenerUrl(surface.Listener));
        var hostHeader = server.Authority;
        var n = ReliabilitySettings.InputsPerSupplier;
        var seed = ReliabilitySettings.Seed;
        var problems = new ConcurrentQueue<string>();
        var byCategory = new ConcurrentDictionary<string, int>();
        var byStatus = new ConcurrentDictionary<int, int>();
        var sent = 0;
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var rng = new Random(unchecked(seed * 1_000_003 + StableHash(supplier) * 7919 + i));
            var category = Categories.Pick(rng);
            var operation = surface.Operations[rng.Next(surface.Operations.Count)];
            var request = surface.Generate(rng, operation, category, hostHeader);
            byCategory.AddOrUpdate(category, 1, (_, c) => c + 1);
            for (var attempt = 0; attempt < (category == Categories.Replayed ? 2 : 1); attempt++)
            {
                Interlocked.Increment(ref sent);
                HostileReply reply;
                try
                {
                    reply = await HttpWire.SendAsync(server, request, TimeSpan.FromSeconds(30));
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
                {
                    problems.Enqueue($"#{i} no reply ({e.GetType().Name}) {request.Describe()}");
                    continue;
                }
                if (Check(surface, request, reply) is { } problem) problems.Enqueue($"#{i} {problem} {request.Describe()}");
                if (reply.Status is { } status) byStatus.AddOrUpdate(status, 1, (_, c) => c + 1);
            }
        });

        foreach (var entry in logs.Entries.Where(e => e.Exception is not null || StackTrace.IsMatch(e.Message)).Take(20))
            problems.Enqueue($"log {entry.Level} {entry.Category}: {entry.Message} {entry.Exception?.GetType().Name} {entry.Exception?.Message} {entry.Exception?.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");

        var summary = new
        {
            supplier, seed, inputs = n, requests = sent, seconds = Math.Round(clock.Elapsed.TotalSeconds, 1), problems = problems.Count,
            http5xx = byStatus.Where(s => s.Key >= 500).Sum(s => s.Value),
            categories = byCategory.OrderBy(c => c.Key).ToDictionary(c => c.Key, c => c.Value),
            statuses = byStatus.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value),
            logWarnings = logs.Entries.Count,
        };
        var line = JsonSerializer.Serialize(summary);
        output.WriteLine(line);
        if (ReliabilitySettings.ReportPath is { } path) await File.AppendAllTextAsync(path, line + "\n");
        Assert.True(problems.IsEmpty, $"{problems.Count} problems (seed {seed}):\n" + string.Join("\n", problems.Take(25)));
    }

    static string? Check(ISupplierSurface surface, HostileRequest request, HostileReply reply)
    {
        if (reply.Status is not { } status) return "connection closed without a reply";
        if (status >= 500) return $"HTTP {status}";
        var text = Encoding.UTF8.GetString(reply.Body);
        if (StackTrace.IsMatch(text)) return "stack trace in the reply";
        if (reply.Body.Length == 0 && status != 405) return $"empty reply (HTTP {status})";
        return surface.FormatProblem(request, reply) is { } problem ? $"HTTP {status}: {problem}: {Clip(text)}" : null;
    }

    static int StableHash(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c));

    static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
