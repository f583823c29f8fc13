using Sandbox.Engine;
using Sandbox.Suppliers.FliggyBus.Flow;
using Sandbox.Suppliers.Top;

namespace Sandbox.Suppliers.FliggyBus;

public static class FliggyBusSetup
{
    /// <summary>Registers the Fliggy custom-bus module and contributes taobao.bus.* to the TOP gateway (which must be added too).</summary>
    public static IServiceCollection AddFliggyBus(this IServiceCollection services)
    {
        services.AddSingleton<CallJobs>();
        services.AddSingleton<FliggyTimers>();
        services.AddSingleton<OrderTransitions>();
        services.AddSingleton<Customers>();
        services.AddHostedService<ScheduledBookings>();
        return services.AddSupplier<FliggyBusSupplier, FliggyBusServices>(FliggyBusServices.Supplier).AddTopApi<FliggyBusTopApi>();
    }
}
