using System.Collections.Concurrent;
using Sandbox.Engine;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// Every tenant's <see cref="TenantCatalogue"/>: read from the tenant's key-values on first use, written back through
/// the unit of work of the sync call that changed it (so a restart keeps what was synced, and stable ids stay checked).
/// </summary>
public sealed class Catalogues(SupplierContext engine)
{
    readonly ConcurrentDictionary<string, TenantCatalogue> _byTenant = new(StringComparer.Ordinal);

    public TenantCatalogue For(string tenant) =>
        _byTenant.GetOrAdd(tenant, t => TenantCatalogue.Load(engine.ReadKv(t, TenantCatalogue.CitiesKey), engine.ReadKvs(t, TenantCatalogue.RoutePrefix)));

    public void SaveCities(UnitOfWork uow, string tenant, TenantCatalogue catalogue) =>
        engine.WriteKv(uow, tenant, TenantCatalogue.CitiesKey, catalogue.CitiesJson);

    public void SaveRoute(UnitOfWork uow, string tenant, TenantCatalogue catalogue, string routeKey) =>
        engine.WriteKv(uow, tenant, TenantCatalogue.RoutePrefix + routeKey, () => catalogue.RouteJson(routeKey));

    public void ForgetTenant(string tenant) => _byTenant.TryRemove(tenant, out _);
}
