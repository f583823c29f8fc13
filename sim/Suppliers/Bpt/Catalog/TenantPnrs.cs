using System.Collections.Concurrent;
using System.Text.Json;
using Sandbox.Engine;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Catalog;

/// <summary>
/// PNR fixtures a tenant loaded through the admin API. They are the tenant's own airline data: persisted in the
/// store's kv table (so a restart keeps them, a tenant reset wipes them) and consulted before the scenario's.
/// </summary>
public sealed class TenantPnrs(SupplierContext engine)
{
    const string KeyPrefix = "bpt:pnr:";

    sealed class Set
    {
        public ConcurrentDictionary<(string Air, string Big), PnrFixture> ByBig { get; } = new();
        public ConcurrentDictionary<string, PnrFixture> BySmall { get; } = new(StringComparer.Ordinal);

        public void Add(PnrFixture f)
        {
            ByBig[(f.Air, f.BigPnr)] = f;
            if (f.SmallPnr is { } s) BySmall[s] = f;
        }
    }

    // Another replica's upload drops this replica's copy of the tenant's fixtures; the next request reads them again.
    readonly ConcurrentDictionary<string, Lazy<Set>> _sets = engine.KvCache<Lazy<Set>>(KeyPrefix);

    Set For(string tenant) => _sets.GetOrAdd(tenant, t => new Lazy<Set>(() => Load(t))).Value;

    Set Load(string tenant)
    {
        var set = new Set();
        foreach (var (_, json) in engine.ReadKvs(tenant, KeyPrefix))
            if (JsonSerializer.Deserialize<PnrFixture>(json, StoreJson.Options) is { } f) set.Add(f);
        return set;
    }

    public PnrFixture? ByBig(string tenant, string air, string big) => For(tenant).ByBig.GetValueOrDefault((air, big));

    public PnrFixture? BySmall(string tenant, string small) => For(tenant).BySmall.GetValueOrDefault(small);

    public IReadOnlyList<PnrFixture> All(string tenant) =>
        For(tenant).ByBig.Values.OrderBy(f => f.Air, StringComparer.Ordinal).ThenBy(f => f.BigPnr, StringComparer.Ordinal).ToList();

    public async Task PutAsync(string tenant, IReadOnlyList<PnrFixture> fixtures)
    {
        var rows = fixtures.Select(f => (Key: KeyPrefix + f.Air + ":" + f.BigPnr, Json: JsonSerializer.Serialize(f, StoreJson.Options))).ToList();
        await engine.WriteKvsAsync(tenant, rows);
        var set = For(tenant);
        foreach (var f in fixtures) set.Add(f);
    }

    public void Forget(string tenant) => _sets.TryRemove(tenant, out _);
}
