using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Sandbox.Engine;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.TechHouse.Model;

/// <summary>
/// Booking sessions per tenant. A session expires a fixed virtual time after AirPricing (spec §6.2: 30 minutes
/// by default); expired sessions answer 2002 and are swept from memory. A committed session is kept only as its
/// order number (for an idempotent re-Commit): under load, full sessions kept until the sweep were most of the heap.
/// With replicas sharing the store the next step of a booking may reach another replica, so sessions live in the store
/// instead, as short-lived key-values: read at each step, written back with the step's unit of work when it changed them.
/// </summary>
public sealed class SessionStore(SupplierContext engine)
{
    const string KeyPrefix = "techhouse:session:";
    /// <summary>How long a stored session stays before it is purged: twice the default session lifetime, in real time.</summary>
    static readonly TimeSpan StoredLifetime = TimeSpan.FromHours(1);

    readonly ConcurrentDictionary<(string Tenant, string Id), BookingSession> _sessions = new();
    readonly ConcurrentDictionary<(string Tenant, string Id), Committed> _committed = new();
    // The JSON a stored session was read as: a step that changed nothing writes nothing.
    readonly ConditionalWeakTable<BookingSession, string> _readAs = new();

    readonly record struct Committed(string OrderNo, long PricedMs);

    public void Add(UnitOfWork uow, BookingSession s)
    {
        if (engine.Shared) Track(uow, s);
        else _sessions[(s.Tenant, s.Id)] = s;
    }

    /// <summary>Writes the session back with <paramref name="uow"/> if the step changed it (shared store only).</summary>
    public void Track(UnitOfWork uow, BookingSession s)
    {
        if (!engine.Shared) return;
        uow.Add(w =>
        {
            string json;
            lock (s) json = JsonSerializer.Serialize(s, StoreJson.Options);
            if (_readAs.TryGetValue(s, out var before) && before == json) return;
            w.PutKv(s.Tenant, KeyPrefix + s.Id, json, engine.Clock.RealNow.Add(StoredLifetime).ToUnixTimeMilliseconds());
        });
    }

    /// <summary>The session a request names; a stored one is read once per request (the rules' facts and the handler share it).</summary>
    public BookingSession? Get(OperationContext ctx, string id, TimeSpan ttl)
    {
        if (!engine.Shared) return Get(ctx.Tenant.Id, id, ctx.NowMs, ttl);
        var memo = (typeof(SessionStore), id);
        if (ctx.Http.Items.TryGetValue(memo, out var read)) return (BookingSession?)read;
        var s = Get(ctx.Tenant.Id, id, ctx.NowMs, ttl);
        ctx.Http.Items[memo] = s;
        return s;
    }

    public BookingSession? Get(string tenant, string id, long nowMs, TimeSpan ttl)
    {
        if (engine.Shared)
        {
            if (engine.ReadKv(tenant, KeyPrefix + id) is not { } json) return null;
            var stored = JsonSerializer.Deserialize<BookingSession>(json, StoreJson.Options)!;
            _readAs.AddOrUpdate(stored, json);
            return Live(stored, nowMs, ttl);
        }
        if (_sessions.TryGetValue((tenant, id), out var s)) return Live(s, nowMs, ttl);
        if (_committed.TryGetValue((tenant, id), out var c))
        {
            var committed = new BookingSession { Id = id, Tenant = tenant, PricedMs = c.PricedMs, Routing = PricedRouting.None };
            committed.Compact(c.OrderNo);
            return committed;
        }
        return null;
    }

    static BookingSession? Live(BookingSession s, long nowMs, TimeSpan ttl) =>
        s.State != SessionState.Committed && nowMs - s.PricedMs > ttl.TotalMilliseconds ? null : s;

    /// <summary>After Commit (the session already compacted): keep the order number alone.</summary>
    public void MarkCommitted(BookingSession s)
    {
        // Stored sessions are written back compacted by the Commit's unit of work (Track).
        if (engine.Shared) return;
        _committed[(s.Tenant, s.Id)] = new Committed(s.OrderNo!, s.PricedMs);
        _sessions.TryRemove((s.Tenant, s.Id), out _);
    }

    /// <summary>Drops sessions well past their lifetime; a committed session stays for idempotent re-Commit until then.</summary>
    public int Sweep(Func<string, long> nowMsOf, TimeSpan ttl)
    {
        if (engine.Shared) _ = engine.PurgeExpiredKvsAsync();
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
