using Sandbox.Engine;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Messages;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.Top;

namespace Sandbox.Suppliers.FliggyFlight;

public static class FliggyFlightSetup
{
    /// <summary>Registers the Fliggy flight module and contributes its methods to the TOP gateway (which must be added too).</summary>
    public static IServiceCollection AddFliggyFlight(this IServiceCollection services)
    {
        services.AddSingleton<TmcOutlet>();
        services.AddSingleton<FlightMessages>();
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<SqliteStore>();
            var catalog = sp.GetRequiredService<EntityCatalog>();
            const string s = FliggyFlightServices.Supplier;
            return new FliggyFlightServices(
                new EntitySet<FlightOrder>(store, catalog, s, FliggyFlightServices.OrderKind),
                new EntitySet<RefundOrder>(store, catalog, s, FliggyFlightServices.RefundKind),
                new EntitySet<ChangeOrder>(store, catalog, s, FliggyFlightServices.ChangeKind),
                new EntitySet<IdempotencyKey>(store, catalog, s, FliggyFlightServices.KeyKind),
                new Inventory(),
                sp.GetRequiredService<FlightMessages>(),
                sp.GetRequiredService<Lifecycle>(),
                sp.GetRequiredService<VirtualClock>(),
                sp.GetRequiredService<TenantRegistry>(),
                sp.GetRequiredService<ScenarioCatalog>(),
                store);
        });
        services.AddTopApi<FliggyFlightApi>();
        services.AddSupplier<FliggyFlightSupplier>();
        return services;
    }
}
