using System.Collections.Concurrent;

namespace Sandbox.Suppliers.TechHouse.Catalog;

/// <summary>
/// Seats each tenant's orders hold per flight and class, and the seat-map seats taken per flight. Held in
/// memory: on a restart inventory starts full again (documented in docs/suppliers/techhouse.md).
/// </summary>
public sealed class Inventory
{
    readonly ConcurrentDictionary<(string Tenant, string Key), int> _booked = new();
    readonly ConcurrentDictionary<(string Tenant, string Flight), ConcurrentDictionary<string, string>> _seats = new();

    public static string Key(Flight f, string cabin) => f.Key + ":" + cabin;

    public int Booked(string tenant, string key) => _booked.GetValueOrDefault((tenant, key));

    public void Hold(string tenant, string key, int count) => _booked.AddOrUpdate((tenant, key), count, (_, n) => n + count);

    public void Release(string tenant, string key, int count) => _booked.AddOrUpdate((tenant, key), 0, (_, n) => Math.Max(0, n - count));

    /// <summary>Who holds a seat-map seat: a session id or an order number.</summary>
    public ConcurrentDictionary<string, string> SeatHolders(string tenant, string flightKey) =>
        _seats.GetOrAdd((tenant, flightKey), _ => new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    public void ForgetTenant(string tenant)
    {
        foreach (var k in _booked.Keys.Where(k => k.Tenant == tenant)) _booked.TryRemove(k, out _);
        foreach (var k in _seats.Keys.Where(k => k.Tenant == tenant)) _seats.TryRemove(k, out _);
    }
}
