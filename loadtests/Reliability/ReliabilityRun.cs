using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Reliability;

/// <summary>
/// The long reliability runs against a sim this process starts and owns. Crash loop: each supplier's booking load at a
/// steady pace while the sim is killed with SIGKILL every few seconds and started again, then every acknowledged
/// order, its state machine and its callbacks (for Fliggy flights its TMC messages, for the Fliggy bus the Qimen calls the
/// sandbox owes the operator) are checked. Soak: the flows
/// together for a long time, sampling the sim's memory, threads, database and journal size and the latency per minute.
/// </summary>
public sealed class ReliabilityRun(string simDll, string workDir, int port, int bptPort, int callbackPort)
{
    const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    sealed record Tenants(string TechHouse, TechHouseCredentials ThCredentials, string Bpt, BptCredentials BptCredentials,
        string Yobaoxing, YobaoxingCredentials YbxCredentials, string FliggyFlight, TopCredentials TopCredentials, string FliggyBus,
        IReadOnlyList<string> BusSchedules);

    /// <summary>The suppliers <c>mixed</c> (the soak) draws from, and <c>all</c> runs one after another in the crash loop.</summary>
    public static readonly string[] Suppliers = ["techhouse", "bpt", "yobaoxing", "fliggyflight", "fliggybus"];

    public async Task<string> CrashLoopAsync(string supplier, int cycles, TimeSpan every, int workers, CancellationToken ct)
    {
        var dir = Path.Combine(workDir, "crash-" + supplier);
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        await using var sim = new SimProcess(simDll, dir, port, bptPort);
        using var http = Http();
        await using var inbox = await NoticeInbox.StartAsync(callbackPort);
        // The bus operator Fliggy calls over Qimen, on any free loopback port: it lives in this process, so it keeps running across the kills.
        await using var op = await BusOperator.StartAsync(0);
        await sim.StartAsync(http, ct);
        var tenants = await CreateTenantsAsync(http, sim.Url, inbox.Url, op);
        var ledger = new Ledger();
        var flows = new ReliabilityFlows(ledger, inbox, Outage);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tmc = new TmcInbox();
        var consumer = supplier == "fliggyflight" ? tmc.ConsumeAsync(sim.Url, tenants.TopCredentials, stop.Token) : Task.CompletedTask;
        var load = Load(supplier, workers, flows, http, sim, tenants, stop.Token);

        var restarts = new List<double>();
        for (var cycle = 0; cycle < cycles; cycle++)
        {
            await Task.Delay(every, ct);
            sim.Kill();
            restarts.Add((await sim.StartAsync(http, ct)).TotalSeconds);
            Console.Error.WriteLine($"{supplier}: kill {cycle + 1}/{cycles}, back in {restarts[^1]:0.0} s, {ledger.Orders.Count} orders acknowledged");
        }
        await Task.Delay(every, ct);
        stop.Cancel();
        await load;
        // The TMC consumer disconnects: what it held unconfirmed is deliverable again, to the drain below.
        await consumer;

        // Timers due in the next half hour (ticketing, callback retries) run now, each at its own virtual instant.
        var tenantId = supplier switch
        {
            "techhouse" => tenants.TechHouse, "bpt" => tenants.Bpt, "fliggyflight" => tenants.FliggyFlight, "fliggybus" => tenants.FliggyBus,
            _ => tenants.Yobaoxing,
        };
        using var admin = Http(600);
        await Admin(admin, sim.Url, HttpMethod.Post, $"tenants/{tenantId}/clock/advance", new { by = "PT30M" });
        await DrainAsync(admin, sim.Url, tenantId, ct);
        // Bus: the Qimen calls are durable timers, not deliveries: wait until every order rests (PT10M steps, as above).
        if (supplier == "fliggybus") await DrainBusAsync(admin, sim.Url, tenantId, ct);
        if (supplier == "fliggyflight")
        {
            // The tenant's clock is now ahead: the agency's TOP timestamps follow it, or the gateway refuses them (code 31).
            var clock = (await admin.GetFromJsonAsync<JsonObject>(new Uri(sim.Url, $"admin/api/tenants/{tenantId}/clock"), ct))!;
            var offset = DateTimeOffset.Parse(clock["now"]!.GetValue<string>(), CultureInfo.InvariantCulture)
                         - DateTimeOffset.Parse(clock["real"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            await tmc.DrainAsync(new TopClient(admin, sim.Url, tenants.TopCredentials) { ClockOffset = offset }, ct);
        }
        return await VerifyAsync(supplier, tenantId, admin, sim, inbox, tmc, op, ledger, cycles, restarts);
    }

    /// <summary>Load calls give up after 15 s (the sim is down or restarting); the checks' admin calls may take minutes (a clock
    /// advance replays every timer of tens of thousands of orders).</summary>
    static HttpClient Http(int timeoutSeconds = 15) => new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30), MaxConnectionsPerServer = 64 })
    {
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    Task Load(string supplier, int workers, ReliabilityFlows flows, HttpClient http, SimProcess sim, Tenants t, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var th = new TechHouseClient(http, sim.Url, t.ThCredentials);
            var top = new TopClient(http, sim.Url, t.TopCredentials);
            var bpt = new BptClient(http, sim.BptUrl, t.BptCredentials);
            var ybx = new YobaoxingClient(http, sim.Url, t.YbxCredentials);
            var bus = new BusClient(http, sim.Url, null, t.FliggyBus);
            (string Id, decimal Price)? product = null;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var which = supplier == "mixed" ? Suppliers[random.Next(Suppliers.Length)] : supplier;
                    switch (which)
                    {
                        case "techhouse":
                            await flows.TechHouseAsync(th, random, ct);
                            break;
                        case "bpt":
                            await flows.BptAsync(bpt, ct);
                            break;
                        case "fliggyflight":
                            await flows.FliggyFlightAsync(top, random, ct);
                            break;
                        case "fliggybus":
                            await flows.FliggyBusAsync(bus, t.BusSchedules, random, ct);
                            break;
                        default:
                            product ??= await ProductAsync(ybx, ct);
                            await flows.YobaoxingAsync(ybx, product.Value.Id, product.Value.Price, random, ct);
                            break;
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
                {
                    if (ct.IsCancellationRequested) return;
                    await Task.Delay(200, CancellationToken.None);
                }
            }
        }, CancellationToken.None)));

    static async Task<(string, decimal)> ProductAsync(YobaoxingClient client, CancellationToken ct)
    {
        var reply = await client.GetAsync("GetProducts", [], ct);
        var item = reply.Items.First(i => i.GetValueOrDefault("productname") == "成人票");
        return (item["productid"], decimal.Parse(item["price"], CultureInfo.InvariantCulture));
    }

    /// <summary>Waits until the tenant's delivery log has nothing pending (each wait moves its clock on, so retries fall due).</summary>
    static async Task DrainAsync(HttpClient http, Uri sim, string tenant, CancellationToken ct)
    {
        for (var i = 0; i < 60; i++)
        {
            var pending = (await http.GetFromJsonAsync<JsonArray>(new Uri(sim, $"admin/api/callbacks?tenant={tenant}&status=pending&limit=1"), ct))!;
            if (pending.Count == 0) return;
            await Admin(http, sim, HttpMethod.Post, $"tenants/{tenant}/clock/advance", new { by = "PT10M" });
            await Task.Delay(500, ct);
        }
    }

    /// <summary>Bus orders not at rest: still creating, waiting for payment or tickets, refunding, or with a Qimen retry due.</summary>
    static bool Unsettled(JsonNode? o) =>
        o?["status"]?.GetValue<string>() is "creating" or "1" or "2" or "9" || o?["pendingCall"] is JsonObject;

    /// <summary>
    /// Waits until every bus order of the tenant rests (each wait moves its clock on 10 minutes, so Qimen retries, the
    /// payment deadline and the ticketing timeout fall due); the sim's Qimen jobs themselves are durable timers.
    /// </summary>
    static async Task DrainBusAsync(HttpClient http, Uri sim, string tenant, CancellationToken ct)
    {
        for (var i = 0; i < 60; i++)
        {
            if (!(await OrdersAsync("fliggybus", tenant, http, sim)).Any(Unsettled)) return;
            await Admin(http, sim, HttpMethod.Post, $"tenants/{tenant}/clock/advance", new { by = "PT10M" });
            await Task.Delay(500, ct);
        }
    }

    async Task<string> VerifyAsync(string supplier, string tenant, HttpClient http, SimProcess sim, NoticeInbox inbox, TmcInbox tmc, BusOperator op,
        Ledger ledger, int cycles, List<double> restarts)
    {
        int lost = 0, notResumed = 0, callbacksExpected = 0, callbacksLost = 0, completed = 0, fallbacks = 0;
        var examples = new List<string>();
        // One listing from the store (the truth) rather than one request per order: tens of thousands of orders.
        var stored = await OrdersAsync(supplier, tenant, http, sim.Url);
        var statusOf = stored.OfType<JsonObject>().ToDictionary(o => o["id"]!.GetValue<string>(), o => o["status"]?.GetValue<string>() ?? "");
        foreach (var a in ledger.Orders)
        {
            if (!statusOf.TryGetValue(a.Entity, out var status))
            {
                lost++;
                if (examples.Count < 5) examples.Add($"lost {a.Entity}");
                continue;
            }
            if (supplier == "fliggybus")
            {
                // Every acknowledged booking owes the operator its order.create (retries carry the same alitripOrderId).
                callbacksExpected++;
                if (op.Seen("order.create", a.Entity) == 0)
                {
                    callbacksLost++;
                    if (examples.Count < 5) examples.Add($"no Qimen order.create for {a.Entity}");
                }
            }
            if (!a.Completed) continue;
            completed++;
            // What the integrator is owed for a completed order: one callback, or (Fliggy flights) the TMC TradeNotify of
            // the payment (type 1) and of the ticketing (type 3).
            var (final, owed) = supplier switch
            {
                "techhouse" => ("TICKETED", new[] { ("callback TICKETED", inbox.Received("techhouse", a.Entity, "TICKETED")) }),
                "bpt" => ("1", [("callback ticketnoinfo 1", inbox.Received("bpt:ticketnoinfo", a.Key, "1"))]),
                "fliggyflight" => ("TICKETED", [("TMC TradeNotify type 1", tmc.Received(a.Entity, "1")), ("TMC TradeNotify type 3", tmc.Received(a.Entity, "3"))]),
                "fliggybus" => ("3", [("Qimen order.confirm", op.Seen("order.confirm", a.Entity) > 0)]),
                _ => ("3", [("callback Notify_OrderChanged 3", inbox.Received("yobaoxing:Notify_OrderChanged", a.Entity, "3"))]),
            };
            // Bus: 4 (订单关闭, the user refunded) is the documented fallback of a paid order whose tickets never came
            // (order.confirm failed on every attempt and order.query too, or the ticketing timeout, closeType 2): resumed.
            if (supplier == "fliggybus" && status == "4")
            {
                fallbacks++;
                if (examples.Count < 5) examples.Add($"{a.Entity} closed (4) by a documented fallback");
            }
            else if (status != final)
            {
                notResumed++;
                if (examples.Count < 5) examples.Add($"{a.Entity} is {status}, not {final}");
            }
            foreach (var (what, received) in owed)
            {
                callbacksExpected++;
                if (received) continue;
                callbacksLost++;
                if (examples.Count < 5) examples.Add($"no {what} for {a.Entity}");
            }
        }
        var duplicates = Duplicates(supplier, stored);
        if (supplier == "fliggybus")
        {
            // Every order cancelled (5: the payment deadline passed, acknowledged or not) owes the operator an order.close.
            foreach (var o in stored.OfType<JsonObject>().Where(o => o["status"]?.GetValue<string>() == "5"))
            {
                var id = o["id"]!.GetValue<string>();
                callbacksExpected++;
                if (op.Seen("order.close", id) > 0) continue;
                callbacksLost++;
                if (examples.Count < 5) examples.Add($"no Qimen order.close for cancelled {id}");
            }
            // The operator's side: order.create asked for two different alitripOrderIds for one flow's passenger.
            var atOperator = op.CreatedPerPassenger().Where(p => p.Key.StartsWith("CR", StringComparison.Ordinal)).Sum(p => p.Value - 1);
            duplicates = Math.Max(duplicates, atOperator);
            var acknowledged = ledger.Orders.Select(a => a.Entity).ToHashSet(StringComparer.Ordinal);
            var others = stored.OfType<JsonObject>().Where(o => !acknowledged.Contains(o["id"]!.GetValue<string>()))
                .GroupBy(o => o["status"]?.GetValue<string>() ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} at {g.Key}").ToList();
            var unpaid = ledger.Orders.Where(a => !a.Completed).GroupBy(a => statusOf.GetValueOrDefault(a.Entity, "lost"))
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} at {g.Key}").ToList();
            examples.Add($"bus: {ledger.Unknown} bookings cut by a kill (outcome unknown, not retried); sandbox orders no flow acknowledged: " +
                         (others.Count == 0 ? "none" : string.Join(", ", others)) + "; acknowledged orders whose payment was not acknowledged: " +
                         (unpaid.Count == 0 ? "none" : string.Join(", ", unpaid)) + $"; {fallbacks} paid orders closed by a fallback; " +
                         $"{stored.Count(Unsettled)} orders unsettled; operator signature refusals {op.RefusedSignatures}; " +
                         $"operator duplicates {atOperator}");
        }
        var pending = (await http.GetFromJsonAsync<JsonArray>(new Uri(sim.Url, $"admin/api/callbacks?tenant={tenant}&status=pending&limit=1000")))!.Count;
        if (supplier == "fliggybus") pending += stored.Count(Unsettled);
        if (supplier == "fliggyflight")
        {
            pending += await TmcInbox.PendingAsync(http, sim.Url, tenant);
            examples.Add($"TMC: {tmc.Total} messages received ({tmc.Drained} by the HTTP drain after the run), {tmc.Connects} WebSocket connections");
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"| {supplier} | {cycles} | {ledger.Flows} | {ledger.Orders.Count} | {completed} | {lost} | {notResumed} | {callbacksExpected} | {callbacksLost} | {pending} | {duplicates} | {ledger.Retries} | {restarts.Average():0.0} s |");
        foreach (var e in examples) sb.Append("\n<!-- ").Append(e).Append(" -->");
        return sb.ToString();
    }

    public const string CrashHeader =
        "| supplier | kills | flows started | orders acknowledged | of them completed (paid/committed/activated) | acknowledged orders lost | state machines not resumed | callbacks owed | callbacks lost | still pending | duplicate orders | calls retried across a crash | mean restart |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    /// <summary>Orders sharing the integrator's key (TechHouse passenger surname, BPT pnrsrcid, Yobaoxing XCDDH, Fliggy out_order_no, bus passenger name): duplicates from retries.</summary>
    static int Duplicates(string supplier, JsonArray all)
    {
        string? Key(JsonNode? o) => supplier switch
        {
            "techhouse" => o?["passengers"]?[0]?["lastName"]?.GetValue<string>(),
            "bpt" => o?["pnrsrcid"]?.GetValue<string>(),
            "fliggyflight" => o?["outOrderNo"]?.GetValue<string>(),
            "fliggybus" => o?["tickets"]?[0]?["passengerName"]?.GetValue<string>(),
            _ => o?["senderId"]?.GetValue<string>(),
        };
        return all.Select(Key).Where(k => !string.IsNullOrEmpty(k)).GroupBy(k => k).Sum(g => g.Count() - 1);
    }

    static async Task<JsonArray> OrdersAsync(string supplier, string tenant, HttpClient http, Uri sim) =>
        (await http.GetFromJsonAsync<JsonArray>(new Uri(sim, $"admin/api/tenants/{tenant}/orders?supplier={supplier}&limit=1000000")))!;

    public async Task<string> SoakAsync(TimeSpan duration, int workers, CancellationToken ct)
    {
        var dir = Path.Combine(workDir, "soak");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        await using var sim = new SimProcess(simDll, dir, port, bptPort);
        using var http = Http();
        await using var inbox = await NoticeInbox.StartAsync(callbackPort);
        // The bus operator Fliggy calls over Qimen, on any free loopback port: it lives in this process, so it keeps running across the kills.
        await using var op = await BusOperator.StartAsync(0);
        await sim.StartAsync(http, ct);
        var tenants = await CreateTenantsAsync(http, sim.Url, inbox.Url, op);
        var ledger = new Ledger();
        var flows = new ReliabilityFlows(ledger, inbox, Outage);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tmc = new TmcInbox();
        var consumer = tmc.ConsumeAsync(sim.Url, tenants.TopCredentials, stop.Token);
        var load = Load("mixed", workers, flows, http, sim, tenants, stop.Token);
        var sb = new StringBuilder(
            "| minute | flows | RSS MB | managed heap MB (after GC) | timers pending | threads | store MB (db+wal) | journal MB (db+wal) | callbacks received | TMC messages received | p50/p99 ms TechHouse | p50/p99 ms BPT | p50/p99 ms Yobaoxing | p50/p99 ms Fliggy flights | p50/p99 ms Fliggy bus |\n" +
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        var minutes = (int)Math.Ceiling(duration.TotalMinutes);
        for (var m = 0; m < minutes; m++)
        {
            await Task.Delay(TimeSpan.FromMinutes(1), ct);
            var stats = sim.ProcessStats();
            // The sim's own view: what the last GC left of the heap, and the timed work it holds for later virtual instants.
            var own = await http.GetFromJsonAsync<JsonObject>(new Uri(sim.Url, "admin/api/stats"), ct);
            var heap = (own?["gcHeapAfterLastGcBytes"]?.GetValue<long>() ?? 0) / 1048576.0;
            var timers = own?["timersPending"]?.GetValue<long>() ?? 0;
            string Lat(string s) => ledger.LatencyOf(s, m) is { } l ? $"{l.P50:0.0} / {l.P99:0.0}" : "–";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {m + 1} | {ledger.Flows} | {(stats?.RssBytes ?? 0) / 1048576.0:0} | {heap:0} | {timers} | {stats?.Threads ?? 0} | {SimProcess.FileSize(sim.DataPath) / 1048576.0:0.0} | " +
                $"{SimProcess.FileSize(sim.JournalPath) / 1048576.0:0.0} | {inbox.Total} | {tmc.Total} | {Lat("techhouse")} | {Lat("bpt")} | {Lat("yobaoxing")} | {Lat("fliggyflight")} | {Lat("fliggybus")} |");
            sb.AppendLine(line);
            Console.Error.WriteLine("soak " + line);
        }
        stop.Cancel();
        await load;
        await consumer;
        return sb.ToString();
    }

    async Task<Tenants> CreateTenantsAsync(HttpClient http, Uri sim, Uri inbox, BusOperator op)
    {
        var run = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8);
        var th = new TechHouseCredentials("rel" + RandomNumberGenerator.GetString(Alphanumeric, 13), RandomNumberGenerator.GetString(Alphanumeric, 32));
        var bpt = new BptCredentials("2088" + RandomNumberGenerator.GetString("0123456789", 12), "rel" + run, "pw" + run);
        var (_, ybx, ybxJson) = YobaoxingClient.NewLoadTenant(new Uri(inbox, "cb/ybx").ToString());
        var ybxTenant = JsonNode.Parse(ybxJson)!.AsObject();
        ybxTenant["id"] = "rel-ybx-" + run;
        var top = new TopCredentials(RandomNumberGenerator.GetString("123456789", 1) + RandomNumberGenerator.GetString("0123456789", 7),
            RandomNumberGenerator.GetString(Alphanumeric, 32), "rel-session-" + run);
        var tenants = new[]
        {
            new JsonObject
            {
                ["id"] = "rel-th-" + run, ["name"] = "reliability TechHouse",
                ["credentials"] = new JsonObject { ["techhouse"] = new JsonObject { ["key"] = th.Key, ["secret"] = th.Secret, ["balances"] = new JsonObject { ["CNY"] = 1_000_000_000_000 } } },
                ["callbacks"] = new JsonObject { ["techhouse"] = new Uri(inbox, "cb/techhouse").ToString() },
                ["scenarios"] = new JsonObject { ["techhouse"] = "default" },
                ["settings"] = new JsonObject { ["techhouse"] = new JsonObject { ["inventory"] = "unlimited" } },
            },
            new JsonObject
            {
                ["id"] = "rel-bpt-" + run, ["name"] = "reliability BPT",
                ["credentials"] = new JsonObject
                {
                    ["bpt"] = new JsonObject
                    {
                        ["partner"] = bpt.Partner, ["key"] = RandomNumberGenerator.GetString(Alphanumeric, 32), ["payaccount"] = "load@example.com",
                        ["b2baccounts"] = new JsonArray(new JsonObject { ["user"] = bpt.B2bUser, ["password"] = bpt.B2bPassword }),
                    },
                },
                ["scenarios"] = new JsonObject { ["bpt"] = "default" },
                ["settings"] = new JsonObject { ["bpt"] = new JsonObject { ["b2b_login"] = "listed" } },
            },
            ybxTenant,
            new JsonObject
            {
                ["id"] = "rel-fgf-" + run, ["name"] = "reliability Fliggy flights",
                ["credentials"] = new JsonObject
                {
                    ["top"] = new JsonObject
                    {
                        ["appKey"] = top.AppKey, ["appSecret"] = top.AppSecret, ["session"] = top.Session,
                        ["userId"] = 2_200_000_200_000 + RandomNumberGenerator.GetInt32(1_000_000), ["userNick"] = "rel_" + run,
                    },
                },
                // Default scenario: ticketing 10 s after pay is a timer that must survive the kills (TMC messages on the default channel settings).
                ["scenarios"] = new JsonObject { ["fliggyflight"] = "default" },
                ["settings"] = new JsonObject { ["fliggyflight"] = new JsonObject { ["inventory"] = "unlimited" } },
            },
            new JsonObject
            {
                ["id"] = "rel-fgb-" + run, ["name"] = "reliability Fliggy bus",
                ["credentials"] = new JsonObject
                {
                    ["fliggybus"] = new JsonObject
                    {
                        ["qimenUrl"] = op.Url.ToString(), ["qimenAppKey"] = BusOperator.AppKey, ["qimenSecret"] = op.Secret, ["customerId"] = "rel_" + run,
                    },
                    ["top"] = new JsonObject
                    {
                        ["appKey"] = RandomNumberGenerator.GetString("123456789", 1) + RandomNumberGenerator.GetString("0123456789", 7),
                        ["appSecret"] = RandomNumberGenerator.GetString(Alphanumeric, 32),
                    },
                },
                // Default scenario: payment deadline PT15M, ticketing timeout PT30M, the §3 retry policies — timers that must survive the kills.
                ["scenarios"] = new JsonObject { ["fliggybus"] = "default" },
            },
        };
        foreach (var t in tenants) await Admin(http, sim, HttpMethod.Post, "tenants", t);
        // The bus catalogue (fromcity, tocity, number.query into the operator) before any booking.
        var bus = new BusClient(http, sim, null, "rel-fgb-" + run);
        var sync = await bus.SyncAsync();
        if (sync.Status != 200 || sync.Field("status") != "complete") throw new HttpRequestException($"the bus catalogue sync did not complete: {sync.Describe()}");
        var schedules = Benchmarks.Saleable((await bus.CatalogueAsync()).Body, 1);
        if (schedules.Count == 0) throw new HttpRequestException("the bus operator's catalogue has no saleable schedule");
        return new Tenants("rel-th-" + run, th, "rel-bpt-" + run, bpt, "rel-ybx-" + run, ybx, "rel-fgf-" + run, top, "rel-fgb-" + run, schedules);
    }

    static async Task Admin(HttpClient http, Uri sim, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(sim, "admin/api/" + path))
        {
            Content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        request.Content.Headers.ContentType = new("application/json");
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{method} {path}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
