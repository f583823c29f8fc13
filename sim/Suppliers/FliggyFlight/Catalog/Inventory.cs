using System.Collections.Concurrent;

namespace Sandbox.Suppliers.FliggyFlight.Catalog;

/// <summary>
/// Seats each tenant's orders and change orders hold per flight and booking class, in memory: after a restart the
/// catalogue's seats are all for sale again (docs/suppliers/fliggy-flight.md). With <c>inventory: unlimited</c> nothing
/// is counted (load tests).
/// </summary>
public sealed class Inventory
{
    readonly ConcurrentDictionary<(string Tenant, string Key), int> _held = new();
    readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    /// <summary>Changes whenever a seat of the tenant is held or released: a search answered before may now differ.</summary>
    public long Version(string tenant) => _versions.GetValueOrDefault(tenant);

    void Changed(string tenant) => _versions.AddOrUpdate(tenant, 1, (_, v) => v + 1);

    public static string Key(Flight flight, Cabin cabin) => flight.Key + ":" + cabin.Code;

    public int Left(string tenant, Flight flight, Cabin cabin) => Math.Max(0, cabin.Seats - _held.GetValueOrDefault((tenant, Key(flight, cabin))));

    public void Hold(string tenant, string key, int seats)
    {
        _held.AddOrUpdate((tenant, key), seats, (_, n) => n + seats);
        Changed(tenant);
    }

    public void Release(string tenant, string key, int seats)
    {
        _held.AddOrUpdate((tenant, key), 0, (_, n) => Math.Max(0, n - seats));
        Changed(tenant);
    }

    public void ForgetTenant(string tenant)
    {
        foreach (var k in _held.Keys.Where(k => k.Tenant == tenant)) _held.TryRemove(k, out _);
        Changed(tenant);
    }
}
