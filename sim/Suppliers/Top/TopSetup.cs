using Sandbox.Engine;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Sessions;

namespace Sandbox.Suppliers.Top;

public static class TopSetup
{
    /// <summary>Registers the TOP gateway module; API modules add their methods with <see cref="AddTopApi{T}"/>.</summary>
    public static IServiceCollection AddTopGateway(this IServiceCollection services)
    {
        services.AddSingleton(sp => new EntitySet<TopSession>(sp.GetRequiredService<SqliteStore>(), sp.GetRequiredService<EntityCatalog>(),
            TopCredentials.Supplier, TopSessions.Kind));
        services.AddSingleton(sp => new TopSessions(sp.GetRequiredService<EntitySet<TopSession>>(), sp.GetRequiredService<VirtualClock>(),
            sp.GetRequiredService<SqliteStore>()));
        services.AddSingleton<TopGateway>();
        services.AddSupplier<TopSupplier>();
        return services;
    }

    /// <summary>Contributes a module's API methods to the gateway.</summary>
    public static IServiceCollection AddTopApi<T>(this IServiceCollection services) where T : class, ITopApi
    {
        services.AddSingleton<T>();
        services.AddSingleton<ITopApi>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
