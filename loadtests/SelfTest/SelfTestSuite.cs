using Sandbox.LoadTests.Framework;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.SelfTest;

/// <summary>
/// Runs every benchmark, through the same wiring as the real commands, against <see cref="FakeTechHouse"/>, and checks
/// that clean runs are clean and that a broken one is reported as broken.
/// </summary>
internal static class SelfTestSuite
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(TimeSpan duration, Action<string> publish)
    {
        var checks = new List<(string Name, bool Passed)> { ("signature matches the published test vector", TechHouseSignature.MatchesTestVector()) };
        await using var fake = await FakeTechHouse.StartAsync();

        LoadSettings Settings(LoadSimulation simulation, TechHouseCredentials? credentials = null) =>
            new(fake.BaseUrl, simulation, WarmUp, AdminToken: null, CallbackPort: 0, credentials);

        async Task Check(string name, Func<LoadSettings, Task<BenchmarkRun>> benchmark, LoadSettings settings, Func<RunResult, bool> expectation)
        {
            var run = await benchmark(settings);
            publish(run.Report);
            checks.Add((name, expectation(run.Result)));
        }

        await Check("booking flow, open model, clean with callbacks timed",
            Benchmarks.TechHouseFlowAsync, Settings(LoadSimulation.Inject(200, TimeSpan.FromSeconds(1), duration)),
            r => Clean(r) && r.Measured.Latencies.Sum(l => l.Histogram.Count) == r.Measured.Scenario.Ok);
        await Check("booking flow, closed model, clean",
            Benchmarks.TechHouseFlowAsync, Settings(LoadSimulation.KeepConstant(8, duration)), Clean);
        await Check("getbalance on a fresh tenant, clean",
            Benchmarks.GetBalanceAsync, Settings(LoadSimulation.KeepConstant(4, duration)), Clean);
        await Check("baseline, clean",
            Benchmarks.BaselineAsync, Settings(LoadSimulation.KeepConstant(4, duration)), Clean);
        await Check("getbalance with a wrong secret fails with the server's message",
            Benchmarks.GetBalanceAsync,
            Settings(LoadSimulation.KeepConstant(2, TimeSpan.FromSeconds(1)), TechHouseCredentials.Demo with { Secret = "wrong" }),
            r => r.HasErrors && r.Measured.Scenario.Ok == 0
                && r.Measured.Steps.Single().Errors.Distinct.Any(e => e.Message == "1001: signature error"));
        checks.Add(("every push was acknowledged with status 0", fake.FailedPushes == 0));

        foreach (var (name, passed) in checks)
        {
            Console.WriteLine($"{(passed ? "PASS" : "FAIL")}  {name}");
        }

        var failed = checks.Count(c => !c.Passed);
        Console.WriteLine($"selftest: {checks.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static bool Clean(RunResult result) => !result.HasErrors && result.Measured.Scenario.Ok > 0;
}
