using System.Collections.Concurrent;

namespace Sandbox.Engine.Clock;

/// <summary>One tenant's view of time: the real clock shifted by an offset, or frozen at an instant.</summary>
public sealed record ClockState(long OffsetMs, long? FrozenAtMs)
{
    public static readonly ClockState Real = new(0, null);

    public DateTimeOffset Now(DateTimeOffset real) =>
        FrozenAtMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : real.AddMilliseconds(OffsetMs);
}

/// <summary>
/// Virtual clocks per tenant. Everything time-dependent (timed transitions, expiries, callback retry schedules)
/// reads time from here, so advancing a tenant's clock moves only that tenant's world.
/// </summary>
public sealed class VirtualClock(TimeProvider real)
{
    readonly ConcurrentDictionary<string, ClockState> _states = new();

    /// <summary>Raised after a tenant's clock moved, so the scheduler can fire what became due.</summary>
    public event Action<string>? Changed;

    public DateTimeOffset RealNow => real.GetUtcNow();

    public DateTimeOffset Now(string tenant) =>
        _states.TryGetValue(tenant, out var s) ? s.Now(real.GetUtcNow()) : real.GetUtcNow();

    public long NowMs(string tenant) => Now(tenant).ToUnixTimeMilliseconds();

    public ClockState Get(string tenant) => _states.GetValueOrDefault(tenant, ClockState.Real);

    public void Load(string tenant, ClockState state) => _states[tenant] = state;

    public void Remove(string tenant) => _states.TryRemove(tenant, out _);

    public ClockState Set(string tenant, ClockState state)
    {
        _states[tenant] = state;
        Changed?.Invoke(tenant);
        return state;
    }
}
