using Sandbox.Engine;
using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Sessions;

namespace Sandbox.Suppliers.Top;

public static class TopSetup
{
    /// <summary>Registers the TOP gateway module; API modules add their methods with <see cref="AddTopApi{T}"/>.</summary>
    public static IServiceCollection AddTopGateway(this IServiceCollection services)
    {
        services.AddSingleton<TopGateway>();
        return services.AddSupplier<TopSupplier, TopSessions>(TopCredentials.Supplier);
    }

    /// <summary>Contributes a module's API methods to the gateway.</summary>
    public static IServiceCollection AddTopApi<T>(this IServiceCollection services) where T : class, ITopApi
    {
        services.AddSingleton<T>();
        services.AddSingleton<ITopApi>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
