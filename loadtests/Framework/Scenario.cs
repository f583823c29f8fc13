namespace Sandbox.LoadTests.Framework;

/// <summary>A named flow plus how to load it; built fluently as in NBomber (<c>Scenario.Create(...).WithLoadSimulations(...)</c>).</summary>
public sealed record Scenario
{
    private Scenario(string name, Func<ScenarioContext, Task<Response>> run)
    {
        Name = name;
        Run = run;
    }

    public string Name { get; }

    public Func<ScenarioContext, Task<Response>> Run { get; }

    public TimeSpan WarmUpDuration { get; private init; }

    public LoadSimulation? LoadSimulation { get; private init; }

    public static Scenario Create(string name, Func<ScenarioContext, Task<Response>> run) => new(name, run);

    /// <summary>The load runs this long before measuring starts; its stats are kept apart and only their errors are reported.</summary>
    public Scenario WithWarmUpDuration(TimeSpan duration) => this with { WarmUpDuration = duration };

    public Scenario WithLoadSimulations(LoadSimulation simulation) => this with { LoadSimulation = simulation };
}

/// <summary>Per-invocation context handed to the flow and to every <see cref="Step.Run{T}"/>.</summary>
public sealed class ScenarioContext
{
    internal ScenarioContext(string scenarioName, long invocationNumber, RunStats stats, CancellationToken cancellationToken)
    {
        ScenarioName = scenarioName;
        InvocationNumber = invocationNumber;
        Stats = stats;
        CancellationToken = cancellationToken;
    }

    public string ScenarioName { get; }

    public long InvocationNumber { get; }

    public Random Random => Random.Shared;

    /// <summary>Cancelled only when in-flight invocations outlive the drain period after the run.</summary>
    public CancellationToken CancellationToken { get; }

    internal RunStats Stats { get; }

    /// <summary>Records a latency that is not a step's own duration (e.g. push delivery) into the current phase.</summary>
    public void RecordLatency(string metric, TimeSpan latency) => Stats.Latency(metric).Record(latency);

    public void IncrementCounter(string counter) => Stats.Increment(counter);
}
