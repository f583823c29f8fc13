namespace Sandbox.Suppliers.FliggyBus.Config;

/// <summary>
/// How Fliggy calls one merchant API (spec §3): how long it waits for a reply, how many attempts it makes and the
/// delays between them. Every retry is a fresh timestamp and sign over the same body.
/// </summary>
public sealed record CallPolicy(TimeSpan Timeout, int Attempts, IReadOnlyList<TimeSpan> Delays)
{
    /// <summary>The delay before attempt <paramref name="attempt"/> (2 = the first retry), or null when no attempt is left.</summary>
    public TimeSpan? DelayBefore(int attempt) =>
        attempt >= 2 && attempt <= Attempts ? Delays[attempt - 2] : null;
}
