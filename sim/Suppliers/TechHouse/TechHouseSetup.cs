using Sandbox.Engine;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;

namespace Sandbox.Suppliers.TechHouse;

public static class TechHouseSetup
{
    public static IServiceCollection AddTechHouse(this IServiceCollection services, IConfiguration config)
    {
        var options = TechHouseOptions.From(config);
        services.AddSingleton(sp => new TechHouseServices(
            new EntitySet<FlightOrder>(sp.GetRequiredService<SqliteStore>(), sp.GetRequiredService<EntityCatalog>(), TechHouseServices.Supplier, TechHouseServices.OrderKind),
            new SessionStore(),
            new Accounts(sp.GetRequiredService<SqliteStore>()),
            new Inventory(),
            sp.GetRequiredService<Engine.Machines.Lifecycle>(),
            sp.GetRequiredService<Engine.Clock.VirtualClock>(),
            options.TokenSecret));
        services.AddSupplier<TechHouseSupplier>();
        return services;
    }
}
