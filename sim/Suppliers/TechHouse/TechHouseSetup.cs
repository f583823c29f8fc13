using Microsoft.Extensions.Options;
using Sandbox.Engine;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;

namespace Sandbox.Suppliers.TechHouse;

public static class TechHouseSetup
{
    public static IServiceCollection AddTechHouse(this IServiceCollection services)
    {
        services.AddSingleton(sp => new TechHouseServices(
            new EntitySet<FlightOrder>(sp.GetRequiredService<SqliteStore>(), sp.GetRequiredService<EntityCatalog>(), TechHouseServices.Supplier, TechHouseServices.OrderKind),
            new SessionStore(),
            new Accounts(sp.GetRequiredService<SqliteStore>()),
            new Inventory(),
            sp.GetRequiredService<Engine.Machines.Lifecycle>(),
            sp.GetRequiredService<Engine.Clock.VirtualClock>(),
            sp.GetRequiredService<IOptions<SandboxOptions>>().Value.TokenSecret));
        services.AddSupplier<TechHouseSupplier>();
        return services;
    }
}
