using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Engine;

/// <summary>
/// Two replicas on one PostgreSQL database, in this process: what one changes, the other sees within a second (clock,
/// tenants, scenario reloads, ad-hoc faults, cached orders and balances), and a booking whose steps alternate between
/// them goes through. Skipped without a PostgreSQL server.
/// </summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    SandboxHost _a = null!, _b = null!;
    string _scenarios = "";

    public async Task InitializeAsync()
    {
        if (PostgresServer.ConnectionString is null) return;
        var cs = PostgresServer.CreateDatabase();
        _scenarios = Path.Combine(Path.GetTempPath(), "sandbox-replicas", Guid.NewGuid().ToString("N"));
        Copy(RepoPaths.Scenarios, _scenarios);
        Dictionary<string, string?> Settings(string replica) => new()
        {
            ["Sandbox:Store"] = "postgres", ["Sandbox:ConnectionStrings:Postgres"] = cs, ["Sandbox:ScenariosPath"] = _scenarios,
            ["Sandbox:ReplicaId"] = replica,
        };
        _a = await SandboxHost.StartAsync(settings: Settings("a"));
        _b = await SandboxHost.StartAsync(settings: Settings("b"));
    }

    public async Task DisposeAsync()
    {
        if (_b is not null) await _b.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_scenarios.Length > 0) Directory.Delete(_scenarios, true);
    }

    static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) Copy(d, Path.Combine(to, Path.GetFileName(d)));
    }

    /// <summary>Polls until <paramref name="seen"/> holds, for at most a second (the promise) — plus slack for a loaded machine.</summary>
    static async Task Within(Func<Task<bool>> seen, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (!await seen())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the other replica did not see {what}");
            await Task.Delay(20);
        }
    }

    [SkippableFact]
    public async Task A_clock_change_on_one_replica_is_seen_by_the_other()
    {
        PostgresServer.SkipUnlessConfigured();
        var (status, _) = await _a.AdminSend(HttpMethod.Put, "/tenants/demo/clock", new { offset = "P3D", frozen = true });
        Assert.Equal(200, status);
        var expected = (await _a.AdminGet("/tenants/demo/clock"))!["now"]!.GetValue<string>();
        await Within(async () => (await _b.AdminGet("/tenants/demo/clock"))!["now"]!.GetValue<string>() == expected, "the frozen clock");
    }

    [SkippableFact]
    public async Task Tenants_scenario_reloads_and_faults_changed_on_one_replica_are_seen_by_the_other()
    {
        PostgresServer.SkipUnlessConfigured();
        var tenant = (await _a.AdminGet("/tenants/demo"))!.AsObject();
        tenant["name"] = "renamed on a";
        Assert.Equal(200, (await _a.AdminSend(HttpMethod.Put, "/tenants/demo", tenant)).Status);
        await Within(async () => (await _b.AdminGet("/tenants/demo"))!["name"]?.GetValue<string>() == "renamed on a", "the tenant change");

        await File.WriteAllTextAsync(Path.Combine(_scenarios, "techhouse", "replicated.yaml"), "supplier: techhouse\nextends: default\ndescription: added\n");
        Assert.Equal(200, (await _a.AdminSend(HttpMethod.Post, "/scenarios/reload")).Status);
        await Within(async () => (await _b.AdminGet("/scenarios"))!["sets"]!.AsArray().Any(s => s!["name"]!.GetValue<string>() == "replicated"),
            "the reloaded scenario set");

        var b = new TechHouseClient(_b.Http);
        Assert.Equal(0, TechHouseClient.Status(await b.Call("GetBalance", new JsonObject())));
        var (added, fault) = await _a.AdminSend(HttpMethod.Post, "/tenants/demo/faults",
            new { supplier = "techhouse", rule = new { when = new { operation = "GetBalance" }, reply = new { status = 1003, msg = "busy" } } });
        Assert.Equal(201, added);
        await Within(async () => TechHouseClient.Status(await b.Call("GetBalance", new JsonObject())) == 1003, "the ad-hoc fault");
        Assert.Equal(204, (await _a.AdminSend(HttpMethod.Delete, $"/tenants/demo/faults/{fault!["id"]!.GetValue<string>()}")).Status);
        await Within(async () => TechHouseClient.Status(await b.Call("GetBalance", new JsonObject())) == 0, "the fault removed");
    }

    [SkippableFact]
    public async Task A_booking_whose_steps_alternate_between_replicas_goes_through_and_both_see_the_order_and_the_balance()
    {
        PostgresServer.SkipUnlessConfigured();
        var a = new TechHouseClient(_a.Http);
        var b = new TechHouseClient(_b.Http);
        var before = await b.BalanceAsync();
        var (routing, sessionId) = await a.PriceAsync();
        Assert.Equal(0, TechHouseClient.Status(await b.SetPassengersAsync(sessionId, TechHouseClient.Passenger("0", "LIU"))));
        Assert.Equal(0, TechHouseClient.Status(await a.PayAsync(sessionId, routing["currency"]!.GetValue<string>())));
        var commit = await b.CommitAsync(sessionId);
        Assert.Equal(0, TechHouseClient.Status(commit));
        var orderNo = commit["orderNo"]!.GetValue<string>();
        // Idempotent re-Commit on the other replica: the same order.
        Assert.Equal(orderNo, (await a.CommitAsync(sessionId))["orderNo"]!.GetValue<string>());

        var total = commit["totalCost"]!.GetValue<decimal>();
        await Within(async () => await a.BalanceAsync() == before - total, "the debit");

        // Ticketing runs on the tenant's home (an advance brings it to the replica that advances); the order a cached
        // is dropped and read again.
        Assert.Equal("PENDING", (await a.Call("GetOrderDetail", new { orderno = orderNo }))["orderStatus"]!.GetValue<string>());
        Assert.Equal(200, (await _b.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by = "PT5M" })).Status);
        await Within(async () => (await a.Call("GetOrderDetail", new { orderno = orderNo }))["orderStatus"]!.GetValue<string>() == "TICKETED",
            "the ticketed order");
    }
}
