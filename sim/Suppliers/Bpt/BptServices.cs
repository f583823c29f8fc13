using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Sandbox.Engine;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Catalog;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt;

/// <summary>What BPT commands share: the engine, orders, PNR fixtures and the tenant directory of port 6350.</summary>
public sealed class BptServices([FromKeyedServices(BptServices.Supplier)] SupplierContext engine, IConfiguration config)
{
    public const string Supplier = "bpt";
    public const string OrderKind = "order";
    public const string ListenerName = "bpt";
    const string SmallPnrKey = "bpt:small:";

    public SupplierContext Engine { get; } = engine;
    public EntitySet<BptOrder> Orders { get; } = engine.Entities<BptOrder>(OrderKind);
    public TenantPnrs TenantPnrs { get; } = new(engine);
    /// <summary>Requests without a partner or a listed b2buser belong to Sandbox:Bpt:DefaultTenant (default "demo"), as a real server belongs to one agent.</summary>
    public BptTenantDirectory Directory { get; } = new(engine.Tenants, config["Sandbox:Bpt:DefaultTenant"] is { Length: > 0 } d ? d : "demo");

    public static string OrderKey(string orderId) => EntityCatalog.Key(Supplier, OrderKind, orderId);

    public Scenario ScenarioOf(Tenant tenant) => Engine.ScenarioFor(tenant);

    /// <summary>China-local date of the tenant's virtual clock: flight dates and trade numbers are China dates.</summary>
    public static DateTime ChinaTime(DateTimeOffset now) => now.ToOffset(TimeSpan.FromHours(8)).DateTime;

    long _serial = Random.Shared.Next(0, 900_000);

    /// <summary>Airline order number, Alipay trade number (28 digits) and the airline's merchant trade number, shaped like the samples.</summary>
    public (string OrderNo, string TradeNo, string OutTradeNo) NextPaymentNumbers(string air, DateTimeOffset now)
    {
        var n = Interlocked.Increment(ref _serial);
        var day = ChinaTime(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var six = (n % 1_000_000).ToString("000000", CultureInfo.InvariantCulture);
        return (air + day + six, day + "21001004" + (n % 1_000_000_000_000).ToString("000000000000", CultureInfo.InvariantCulture), air + "PAY" + day + six);
    }

    // Creating an order for a PNR must not race with another request creating it: a striped lock per order key.
    readonly object[] _creation = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    public object CreationLock(string orderId) => _creation[BigPnr.Fnv(orderId) % (uint)_creation.Length];

    readonly ConcurrentDictionary<(string Tenant, string Small), string> _bySmall = new();

    /// <summary>Indexes the order by its small PNR, in memory and in the store (with the order's unit of work).</summary>
    public void RememberSmall(UnitOfWork uow, string tenant, BptOrder order)
    {
        if (order.SmallPnr is not { } s) return;
        if (_bySmall.TryGetValue((tenant, s), out var known) && known == order.Id) return;
        _bySmall[(tenant, s)] = order.Id;
        var json = JsonSerializer.Serialize(order.Id);
        Engine.WriteKv(uow, tenant, SmallPnrKey + s, () => json);
    }

    /// <summary>The order whose small PNR this is (bigpnr=0 requests on a PNR input with its big PNR), memory first, then the store.</summary>
    public BptOrder? OrderBySmall(string tenant, string small)
    {
        if (_bySmall.TryGetValue((tenant, small), out var id) && Orders.Get(tenant, id) is { } o && o.SmallPnr == small) return o;
        return Engine.ReadKv(tenant, SmallPnrKey + small) is { } json && JsonSerializer.Deserialize<string>(json) is { } found
               && Orders.Get(tenant, found) is { } order && order.SmallPnr == small
            ? order
            : null;
    }

    public void TrimSmallIndex(int max)
    {
        if (_bySmall.Count > max) _bySmall.Clear();
    }

    public void ForgetTenant(string tenant)
    {
        TenantPnrs.Forget(tenant);
        foreach (var k in _bySmall.Keys.Where(k => k.Tenant == tenant)) _bySmall.TryRemove(k, out _);
    }
}
