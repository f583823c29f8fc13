using System.Collections.Concurrent;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.FliggyBus.Config;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// One merchant tenant as Fliggy's side of the flow needs it: its Qimen access, its settings (scenario values with the
/// tenant's overrides), the calls into it, the order and ticket machines and the rule refund fees are checked against.
/// </summary>
public sealed record BusTenant(Tenant Tenant, Scenario Scenario, FliggyBusCredentials Credentials, FliggyBusSettings Settings, MerchantCalls Calls,
    BusMachines Machines, IReadOnlyList<RefundRule> DefaultRefundRules)
{
    public string Id => Tenant.Id;
}

/// <summary>
/// Resolves <see cref="BusTenant"/>s, parsed once per tenant version and scenario version: a PUT of the tenant or a
/// scenario reload yields new objects, which is what invalidates the cached one.
/// </summary>
public sealed class BusTenants(QimenClient client)
{
    readonly ConcurrentDictionary<string, BusTenant> _cache = new(StringComparer.Ordinal);

    /// <summary>The tenant's configuration, or the reasons it cannot call its merchant (each naming its field).</summary>
    public ConfigResult<BusTenant> Resolve(Tenant tenant, Scenario scenario)
    {
        if (_cache.TryGetValue(tenant.Id, out var cached) && ReferenceEquals(cached.Tenant, tenant) && ReferenceEquals(cached.Scenario, scenario))
            return new(cached, []);
        var credentials = FliggyBusCredentials.From(tenant);
        var settings = FliggyBusSettings.Parse(scenario.Settings, tenant.SettingsFor(FliggyBusCredentials.Supplier));
        var errors = credentials.Errors.Concat(settings.Errors.Select(e => e with { Path = "settings.fliggybus" + e.Path["settings".Length..] })).ToList();
        if (errors.Count > 0) return new(null, errors);
        var resolved = new BusTenant(tenant, scenario, credentials.Value!, settings.Value!, MerchantCalls.ForTenant(client, credentials.Value!, settings.Value!),
            BusMachines.From(scenario), RefundRulesSection.From(scenario.Catalog));
        _cache[tenant.Id] = resolved;
        return new(resolved, []);
    }

    public void ForgetTenant(string tenant) => _cache.TryRemove(tenant, out _);
}
