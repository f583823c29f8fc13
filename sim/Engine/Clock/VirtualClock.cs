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
    readonly ConcurrentDictionary<string, long> _pins = new();
    // Checked before the dictionary on every read of the clock: no advance is running almost always.
    int _pinned;

    public DateTimeOffset RealNow => real.GetUtcNow();

    /// <summary>The tenant's virtual now: while an advance replays its window, the instant being replayed.</summary>
    public DateTimeOffset Now(string tenant) =>
        Volatile.Read(ref _pinned) > 0 && _pins.TryGetValue(tenant, out var pinned) ? DateTimeOffset.FromUnixTimeMilliseconds(pinned)
        : _states.TryGetValue(tenant, out var s) ? s.Now(real.GetUtcNow()) : real.GetUtcNow();

    public long NowMs(string tenant) => Now(tenant).ToUnixTimeMilliseconds();

    public ClockState Get(string tenant) => _states.GetValueOrDefault(tenant, ClockState.Real);

    public void Load(string tenant, ClockState state) => _states[tenant] = state;

    public void Remove(string tenant)
    {
        _states.TryRemove(tenant, out _);
        Unpin(tenant);
    }

    /// <summary>Raised after a tenant's clock was set to a new state (an advance raises it once, at its end).</summary>
    public event Action<string>? Changed;

    public void Set(string tenant, ClockState state)
    {
        _states[tenant] = state;
        Changed?.Invoke(tenant);
    }

    /// <summary>
    /// Holds the tenant's time at <paramref name="virtualMs"/>: the scheduler replays an advance instant by instant, and
    /// whatever runs meanwhile (timers, callbacks, requests) reads the instant being replayed.
    /// </summary>
    public void Pin(string tenant, long virtualMs)
    {
        if (_pins.TryAdd(tenant, virtualMs)) Interlocked.Increment(ref _pinned);
        else _pins[tenant] = virtualMs;
        PinChanged?.Invoke(tenant, virtualMs);
    }

    public void Unpin(string tenant)
    {
        if (_pins.TryRemove(tenant, out _))
        {
            Interlocked.Decrement(ref _pinned);
            PinChanged?.Invoke(tenant, null);
        }
    }

    /// <summary>Raised when an advance holds a tenant's time at an instant, and with null when it lets go (replicas follow it).</summary>
    public event Action<string, long?>? PinChanged;
}
