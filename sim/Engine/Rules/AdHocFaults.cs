using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Engine.Yaml;

namespace Sandbox.Engine.Rules;

/// <summary>
/// Ad-hoc fault rules as the admin API adds them: parsed like scenario rules and held by the <see cref="RuleEngine"/>.
/// When replicas share the store, each rule is also kept in the tenant's key-values, so that every replica (one started
/// later too) reads the same rules, and a change on one is seen by the others with the key-value's signal.
/// </summary>
public sealed class AdHocFaults(RuleEngine rules, IStore store, IReplicas replicas, TenantRegistry tenants, IEnumerable<ISupplierModule> modules)
{
    public const string KeyPrefix = "engine:fault:";

    sealed record Stored(string Id, string Supplier, JsonObject Rule, int Seed, DateTimeOffset Created);

    /// <summary>Parses a rule in the scenario rule syntax for a supplier; throws <see cref="YamlLoadException"/> with the reason.</summary>
    public async Task<AdHocRule> AddAsync(string tenant, ISupplierModule module, JsonObject ruleJson, int seed)
    {
        var entry = new AdHocRule(Guid.NewGuid().ToString("N")[..12], module.Supplier.ToLowerInvariant(), Parse(module, ruleJson, seed), DateTimeOffset.UtcNow);
        if (replicas.Shared)
        {
            var json = JsonSerializer.Serialize(new Stored(entry.Id, entry.Supplier, ruleJson, seed, entry.Created), StoreJson.Options);
            await store.Write(w => w.PutKv(tenant, KeyPrefix + entry.Id, json));
        }
        return rules.Add(tenant, entry);
    }

    public async Task<bool> RemoveAsync(string tenant, string id)
    {
        if (!rules.Remove(tenant, id)) return false;
        if (replicas.Shared) await store.Write(w => w.DeleteKv(tenant, KeyPrefix + id));
        return true;
    }

    static Rule Parse(ISupplierModule module, JsonObject ruleJson, int seed) =>
        // JSON is YAML: the same parser and validation as scenario files.
        ScenarioParser.Rule("ad-hoc", Yml.LoadMapping(ruleJson.ToJsonString(), "fault"), module, seed, 0);

    /// <summary>Reads a tenant's rules from the store again (shared store only); every tenant's without one.</summary>
    public void Load(string? tenant = null)
    {
        if (!replicas.Shared) return;
        foreach (var t in tenant is null ? tenants.All.Select(x => x.Id) : [tenant])
        {
            var list = new List<AdHocRule>();
            foreach (var (_, json) in store.ListKv(t, KeyPrefix))
            {
                var s = JsonSerializer.Deserialize<Stored>(json, StoreJson.Options)!;
                if (modules.FirstOrDefault(m => m.Supplier.Equals(s.Supplier, StringComparison.OrdinalIgnoreCase)) is not { } module) continue;
                list.Add(new AdHocRule(s.Id, s.Supplier, Parse(module, s.Rule, s.Seed), s.Created));
            }
            rules.Replace(t, list);
        }
    }
}
