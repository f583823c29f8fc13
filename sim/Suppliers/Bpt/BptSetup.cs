using Sandbox.Engine;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Catalog;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt;

public static class BptSetup
{
    /// <summary>
    /// Registers the BPT module. Requests without a partner or a listed b2buser belong to Sandbox:Bpt:DefaultTenant
    /// (default "demo"), as a real server belongs to one agent.
    /// </summary>
    public static IServiceCollection AddBpt(this IServiceCollection services, IConfiguration config)
    {
        var defaultTenant = config["Sandbox:Bpt:DefaultTenant"] is { Length: > 0 } d ? d : "demo";
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<SqliteStore>();
            var tenants = sp.GetRequiredService<TenantRegistry>();
            return new BptServices(
                new EntitySet<BptOrder>(store, sp.GetRequiredService<EntityCatalog>(), BptServices.Supplier, BptServices.OrderKind),
                new TenantPnrs(store),
                new BptTenantDirectory(tenants, defaultTenant),
                sp.GetRequiredService<Lifecycle>(),
                sp.GetRequiredService<VirtualClock>(),
                sp.GetRequiredService<VirtualScheduler>(),
                sp.GetRequiredService<CallbackDispatcher>(),
                tenants,
                sp.GetRequiredService<ScenarioCatalog>(),
                store);
        });
        services.AddSupplier<BptSupplier>();
        return services;
    }
}
