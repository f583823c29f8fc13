using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Tmc;

public static class TmcSetup
{
    /// <summary>Registers TMC: queues, publisher (<see cref="ITmcPublisher"/>), the HTTP method service, the WebSocket channel.</summary>
    public static IServiceCollection AddTmc(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TmcOptions>(config.GetSection("Sandbox:Tmc"));
        services.AddSingleton<TmcQueues>();
        services.AddSingleton<TmcPermits>();
        services.AddSingleton<TmcPublisher>();
        // A test may put a recording publisher in its place.
        services.TryAddSingleton<ITmcPublisher>(sp => sp.GetRequiredService<TmcPublisher>());
        services.AddSingleton<TmcApi>();
        services.AddTopApi<TmcTopApi>();
        services.AddSingleton<TmcConnectValidator>();
        services.AddSingleton<TmcDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TmcDispatcher>());
        services.AddSingleton<TmcChannel>();
        return services;
    }

    /// <summary>Maps the WebSocket channel and the admin endpoints; tenants are found by credentials.top.appKey.</summary>
    public static WebApplication MapTmc(this WebApplication app)
    {
        var sp = app.Services;
        sp.GetRequiredService<TenantAdministration>().Forgotten += tenant =>
        {
            sp.GetRequiredService<TmcDispatcher>().ForgetTenant(tenant);
            sp.GetRequiredService<TmcQueues>().ForgetTenant(tenant);
            sp.GetRequiredService<TmcPermits>().ForgetTenant(tenant);
        };
        TmcChannel.Map(app);
        TmcAdmin.Map(app);
        return app;
    }
}
