namespace Sandbox.Engine.Faults;

public enum FaultType
{
    /// <summary>Delay, then answer normally.</summary>
    Latency,
    /// <summary>Delay, then answer with the supplier's own timeout error.</summary>
    Timeout,
    /// <summary>Hold the connection without answering, then drop it.</summary>
    Hang,
    /// <summary>Abort the connection (the client sees a reset).</summary>
    Reset,
    /// <summary>Answer HTTP 200 with a body cut off half-way.</summary>
    Malformed,
    /// <summary>Answer an HTTP error status (default 503) with a gateway-style body.</summary>
    Http,
    /// <summary>Answer with the supplier's own rate-limit error.</summary>
    RateLimit,
}

public enum FaultStage
{
    /// <summary>Instead of the operation: nothing is changed.</summary>
    Before,
    /// <summary>After the operation ran and its state was committed: the reply is lost, the effect is not.</summary>
    After,
}

public sealed record FaultSpec(FaultType Type, TimeSpan Delay, int HttpStatus, FaultStage Stage)
{
    public override string ToString() => $"{Type.ToString().ToLowerInvariant()}" +
                                         (Delay > TimeSpan.Zero ? $" after {Delay.TotalMilliseconds}ms" : "") +
                                         (Type == FaultType.Http ? $" status {HttpStatus}" : "") +
                                         (Stage == FaultStage.After ? " (after the operation)" : "");
}

/// <summary>Scenario-wide response latency: log-normal with the given median and 99th percentile.</summary>
public sealed record LatencyProfile(TimeSpan Median, TimeSpan P99)
{
    public TimeSpan Sample(Random random)
    {
        var mu = Math.Log(Math.Max(Median.TotalMilliseconds, 0.001));
        var sigma = P99 > Median ? Math.Log(P99.TotalMilliseconds / Median.TotalMilliseconds) / 2.326 : 0;
        // Box-Muller: one standard normal draw.
        var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Exp(mu + sigma * z));
    }
}
