using Sandbox.Engine;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Messages;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Model;

namespace Sandbox.Suppliers.Yobaoxing;

public static class YobaoxingSetup
{
    public static IServiceCollection AddYobaoxing(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<SqliteStore>();
            var catalog = sp.GetRequiredService<EntityCatalog>();
            return new YobaoxingServices(
                new EntitySet<TicketOrder>(store, catalog, YobaoxingServices.Supplier, YobaoxingServices.OrderKind),
                new EntitySet<SenderRef>(store, catalog, YobaoxingServices.Supplier, YobaoxingServices.SenderKind),
                new EntitySet<AccountRecord>(store, catalog, YobaoxingServices.Supplier, YobaoxingServices.RecordKind, 2_000),
                new AgentAccounts(store),
                new StockStore(store),
                sp.GetRequiredService<Lifecycle>(),
                sp.GetRequiredService<VirtualClock>(),
                sp.GetRequiredService<TenantRegistry>(),
                sp.GetRequiredService<ScenarioCatalog>(),
                sp.GetRequiredService<CallbackDispatcher>(),
                sp.GetRequiredService<MessageLog>(),
                store);
        });
        services.AddSupplier<YobaoxingSupplier>();
        return services;
    }
}
