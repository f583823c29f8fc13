using System.Collections.Concurrent;

namespace Sandbox.Suppliers.TechHouse.Model;

/// <summary>
/// Booking sessions per tenant. A session expires a fixed virtual time after AirPricing (spec §6.2: 30 minutes
/// by default); expired sessions answer 2002 and are swept from memory. A committed session is kept only as its
/// order number (for an idempotent re-Commit): under load, full sessions kept until the sweep were most of the heap.
/// </summary>
public sealed class SessionStore
{
    readonly ConcurrentDictionary<(string Tenant, string Id), BookingSession> _sessions = new();
    readonly ConcurrentDictionary<(string Tenant, string Id), Committed> _committed = new();

    readonly record struct Committed(string OrderNo, long PricedMs);

    public void Add(BookingSession s) => _sessions[(s.Tenant, s.Id)] = s;

    public BookingSession? Get(string tenant, string id, long nowMs, TimeSpan ttl)
    {
        if (_sessions.TryGetValue((tenant, id), out var s))
            return s.State != SessionState.Committed && nowMs - s.PricedMs > ttl.TotalMilliseconds ? null : s;
        if (_committed.TryGetValue((tenant, id), out var c))
        {
            var committed = new BookingSession { Id = id, Tenant = tenant, PricedMs = c.PricedMs, Routing = PricedRouting.None };
            committed.Compact(c.OrderNo);
            return committed;
        }
        return null;
    }

    /// <summary>After Commit (the session already compacted): keep the order number alone.</summary>
    public void MarkCommitted(BookingSession s)
    {
        _committed[(s.Tenant, s.Id)] = new Committed(s.OrderNo!, s.PricedMs);
        _sessions.TryRemove((s.Tenant, s.Id), out _);
    }

    /// <summary>Drops sessions well past their lifetime; a committed session stays for idempotent re-Commit until then.</summary>
    public int Sweep(Func<string, long> nowMsOf, TimeSpan ttl)
    {
        var removed = 0;
        var keep = (long)(ttl.TotalMilliseconds * 2);
        foreach (var (key, s) in _sessions)
            if (nowMsOf(key.Tenant) - s.PricedMs > keep && _sessions.TryRemove(key, out _)) removed++;
        foreach (var (key, c) in _committed)
            if (nowMsOf(key.Tenant) - c.PricedMs > keep && _committed.TryRemove(key, out _)) removed++;
        return removed;
    }

    public int Count => _sessions.Count + _committed.Count;

    public void ForgetTenant(string tenant)
    {
        foreach (var k in _sessions.Keys.Where(k => k.Tenant == tenant)) _sessions.TryRemove(k, out _);
        foreach (var k in _committed.Keys.Where(k => k.Tenant == tenant)) _committed.TryRemove(k, out _);
    }
}
