using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Engine;

/// <summary>
/// Two sim processes on one PostgreSQL database under a booking load; the replica that runs the tenant's timers and
/// callbacks is killed with SIGKILL mid-load. The survivor takes the tenant over and every order a Commit acknowledged
/// gets its SyncOrderStatus push (at least once). Skipped without a PostgreSQL server.
/// </summary>
public sealed class ReplicaFailoverTests
{
    static Dictionary<string, string> Settings(string cs, string replica) => new()
    {
        ["Sandbox:Store"] = "postgres", ["Sandbox:ConnectionStrings:Postgres"] = cs, ["Sandbox:ScenariosPath"] = RepoPaths.Scenarios,
        ["Sandbox:ReplicaId"] = replica,
    };

    [SkippableFact]
    public async Task When_the_home_replica_is_killed_mid_load_the_other_finishes_its_callbacks()
    {
        PostgresServer.SkipUnlessConfigured();
        var cs = PostgresServer.CreateDatabase();
        await using var receiver = await CallbackReceiver.StartAsync();
        // Slow acknowledgements keep pushes in flight when the kill comes: those are sent again by the survivor.
        receiver.Reply = _ =>
        {
            Thread.Sleep(150);
            return (200, "{\"status\":0,\"msg\":\"success\"}");
        };
        await using var r1 = await SimProcess.StartAsync(SimProcess.FreePort(), Settings(cs, "r1"));
        await using var r2 = await SimProcess.StartAsync(SimProcess.FreePort(), Settings(cs, "r2"));

        var tenant = JsonNode.Parse(await r1.Http.GetStringAsync("/admin/api/tenants/demo"))!.AsObject();
        tenant["callbacks"]!["techhouse"] = receiver.Url + "/sync";
        tenant["scenarios"]!["techhouse"] = "instant";
        (await r1.Http.PutAsync("/admin/api/tenants/demo", new StringContent(tenant.ToJsonString(), System.Text.Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        await WaitUntil(async () => JsonNode.Parse(await r2.Http.GetStringAsync("/admin/api/tenants/demo"))!["scenarios"]!["techhouse"]!
            .GetValue<string>() == "instant", "r2 to see the tenant change");

        var home = (string)PostgresServer.Scalar(cs, "SELECT replica FROM homes WHERE tenant = 'demo'")!;
        var (victim, survivor) = home == "r1" ? (r1, r2) : (r2, r1);

        var committed = new ConcurrentBag<string>();
        var killed = 0;
        async Task Worker(int n)
        {
            while (committed.Count < 40)
            {
                // Half the workers book on the home until it is killed; then everyone books on the survivor.
                var sim = n % 2 == 0 && Volatile.Read(ref killed) == 0 ? victim : survivor;
                try
                {
                    var commit = await new TechHouseClient(sim.Http).BookAsync();
                    if (TechHouseClient.Status(commit) == 0) committed.Add(commit["orderNo"]!.GetValue<string>());
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    // A booking cut by the kill was never acknowledged: it owes nothing; book again.
                }
                if (committed.Count >= 15 && Interlocked.Exchange(ref killed, 1) == 0) victim.Kill();
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(Worker));
        Assert.Equal(1, killed);

        // Every acknowledged order is pushed, the ones the killed replica owed too (its tenant is taken over within seconds).
        await WaitUntil(() => Task.FromResult(committed.All(o => receiver.All.Any(r => r.Body.Contains(o)))),
            "a SyncOrderStatus push for every committed order", TimeSpan.FromSeconds(60));
        Assert.Equal("r" + (victim == r1 ? 2 : 1), (string)PostgresServer.Scalar(cs, "SELECT replica FROM homes WHERE tenant = 'demo'")!);
        await WaitUntil(async () => JsonNode.Parse(await survivor.Http.GetStringAsync("/admin/api/callbacks?tenant=demo&status=pending&limit=1000"))!
            .AsArray().Count == 0, "no callback left pending", TimeSpan.FromSeconds(30));
    }

    static async Task WaitUntil(Func<Task<bool>> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(100);
        }
    }
}
