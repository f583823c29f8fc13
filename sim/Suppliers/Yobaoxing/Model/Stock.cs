using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sandbox.Engine;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Yobaoxing.Model;

/// <summary>
/// What bookings consume, per tenant: tickets sold per product and day (inventory), tickets booked per day by the
/// agent (daily limit), persons per time slot, and theatre seats taken per session and date. One kv document.
/// </summary>
public sealed class StockState : IVersioned
{
    /// <summary>The stored version this document was read at (checked when it is written back, replicas sharing the store).</summary>
    [JsonIgnore] public long Version { get; set; }

    [JsonPropertyName("sold")] public Dictionary<string, int> Sold { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("daily")] public Dictionary<string, int> Daily { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("slots")] public Dictionary<string, int> Slots { get; set; } = new(StringComparer.Ordinal);
    /// <summary>"{senceId}|{date}|{seatId}" → order id.</summary>
    [JsonPropertyName("seats")] public Dictionary<string, string> Seats { get; set; } = new(StringComparer.Ordinal);
    /// <summary>ID numbers of real-name products in valid orders → order id (one valid order per ID, spec §3.6).</summary>
    [JsonPropertyName("ids")] public Dictionary<string, string> Ids { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public static string SoldKey(string productId, string date) => productId + "|" + date;
    public static string SlotKey(string serviceCode, string date, int index) => $"{serviceCode}|{date}|{index}";
    public static string SeatKey(string senceId, string date, string seatId) => $"{senceId}|{date}|{seatId}";

    public int SoldOf(string productId, string date) => Sold.GetValueOrDefault(SoldKey(productId, date));

    public void Add(Dictionary<string, int> map, string key, int delta)
    {
        var v = map.GetValueOrDefault(key) + delta;
        if (v <= 0) map.Remove(key);
        else map[key] = v;
    }
}

/// <summary>A tenant's stock, kept in memory and dropped when another replica changed it (then read from the store again).</summary>
public sealed class StockStore(SupplierContext engine)
{
    const string KvKey = "yobaoxing.stock";
    readonly ConcurrentDictionary<string, StockState> _byTenant = engine.KvCache<StockState>(KvKey);

    public StockState For(string tenant) => _byTenant.GetOrAdd(tenant, Load);

    StockState Load(string tenant)
    {
        if (engine.ReadKvDocument(tenant, KvKey) is not { } doc) return new StockState();
        var stored = JsonSerializer.Deserialize<StockState>(doc.Json, StoreJson.Options)!;
        stored.Version = doc.Version;
        return stored;
    }

    public void Save(UnitOfWork uow, string tenant, StockState state) =>
        engine.WriteKv(uow, tenant, KvKey, JsonSerializer.Serialize(state, StoreJson.Options), state);

    public void ForgetTenant(string tenant) => _byTenant.TryRemove(tenant, out _);
}
