using System.Collections.Concurrent;

namespace Sandbox.Suppliers.TechHouse.Model;

/// <summary>
/// Booking sessions per tenant. A session expires a fixed virtual time after AirPricing (spec §6.2: 30 minutes
/// by default); expired sessions answer 2002 and are swept from memory.
/// </summary>
public sealed class SessionStore
{
    readonly ConcurrentDictionary<(string Tenant, string Id), BookingSession> _sessions = new();

    public void Add(BookingSession s) => _sessions[(s.Tenant, s.Id)] = s;

    public BookingSession? Get(string tenant, string id, long nowMs, TimeSpan ttl)
    {
        if (!_sessions.TryGetValue((tenant, id), out var s)) return null;
        if (s.State != SessionState.Committed && nowMs - s.PricedMs > ttl.TotalMilliseconds) return null;
        return s;
    }

    /// <summary>Drops sessions well past their lifetime; a committed session stays for idempotent re-Commit until then.</summary>
    public int Sweep(Func<string, long> nowMsOf, TimeSpan ttl)
    {
        var removed = 0;
        var keep = (long)(ttl.TotalMilliseconds * 2);
        foreach (var (key, s) in _sessions)
            if (nowMsOf(key.Tenant) - s.PricedMs > keep && _sessions.TryRemove(key, out _)) removed++;
        return removed;
    }

    public int Count => _sessions.Count;

    public void ForgetTenant(string tenant)
    {
        foreach (var k in _sessions.Keys.Where(k => k.Tenant == tenant)) _sessions.TryRemove(k, out _);
    }
}
