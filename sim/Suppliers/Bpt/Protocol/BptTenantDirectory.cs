using System.Collections.Frozen;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// Which tenant a request on port 6350 belongs to. A real BPT server serves one agent, so real clients send no
/// tenant identity; the sandbox finds it by, in order: the <c>partner</c> parameter (the PID, spec §3); the
/// <c>b2buser</c>, when a tenant lists it in credentials.bpt.b2baccounts; else the listener's default tenant
/// (Sandbox:Bpt:DefaultTenant, "demo"). The answer is a partner value, the identity the engine indexes.
/// </summary>
public sealed class BptTenantDirectory(TenantRegistry tenants, string defaultTenant)
{
    sealed record Snapshot(Tenant[] Tenants, FrozenDictionary<string, Tenant> ByB2bUser);

    volatile Snapshot _snapshot = new([], FrozenDictionary<string, Tenant>.Empty);

    public string DefaultTenant { get; } = defaultTenant;

    public string? Resolve(string partner, string b2bUser)
    {
        if (partner.Length > 0) return partner;
        if (b2bUser.Length > 0)
        {
            var s = _snapshot;
            // A hit is trusted while the tenant object is current (an update replaces it); a miss rebuilds when
            // the tenant set changed since the snapshot.
            if (!(s.ByB2bUser.TryGetValue(b2bUser, out var t) && ReferenceEquals(tenants.Find(t.Id), t)) && Stale(s))
                s = Rebuild();
            if (s.ByB2bUser.TryGetValue(b2bUser, out t) && !t.Disabled)
                return BptTenantConfig.Credentials(t).Partner;
        }
        return tenants.Find(DefaultTenant) is { } d ? BptTenantConfig.Credentials(d).Partner : null;
    }

    bool Stale(Snapshot s)
    {
        var all = tenants.All;
        if (all.Count != s.Tenants.Length) return true;
        var i = 0;
        foreach (var t in all)
            if (!ReferenceEquals(t, s.Tenants[i++])) return true;
        return false;
    }

    Snapshot Rebuild()
    {
        var all = tenants.All.ToArray();
        var map = new Dictionary<string, Tenant>(StringComparer.Ordinal);
        foreach (var t in all)
        {
            var c = BptTenantConfig.Credentials(t);
            if (c.Partner is null) continue;
            foreach (var a in c.B2bAccounts) map.TryAdd(a.User, t);
        }
        var s = new Snapshot(all, map.ToFrozenDictionary(StringComparer.Ordinal));
        _snapshot = s;
        return s;
    }
}
