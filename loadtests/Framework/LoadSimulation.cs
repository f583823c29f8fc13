namespace Sandbox.LoadTests.Framework;

public abstract record LoadSimulation(TimeSpan During)
{
    /// <summary>
    /// Open model: starts <paramref name="rate"/> invocations per <paramref name="interval"/>, spread evenly, whether or
    /// not earlier ones have finished, so a slow server shows up as latency rather than as fewer requests.
    /// </summary>
    public static LoadSimulation Inject(int rate, TimeSpan interval, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new InjectSimulation(rate, interval, during);
    }

    /// <summary>Closed model: <paramref name="copies"/> loops each start the next invocation when the previous one ends.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        return new KeepConstantSimulation(copies, during);
    }

    public abstract string Describe();
}

public sealed record InjectSimulation(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"inject {Rate} per {Interval.TotalSeconds:0.###} s (open model)";
}

public sealed record KeepConstantSimulation(int Copies, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"keep constant {Copies} copies (closed model)";
}
