using System.Collections.Concurrent;
using System.Globalization;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Catalog;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt;

/// <summary>What BPT commands share: orders, PNR fixtures, the clock, the state machines and the callback outbox.</summary>
public sealed class BptServices(
    EntitySet<BptOrder> orders,
    TenantPnrs tenantPnrs,
    BptTenantDirectory directory,
    Lifecycle lifecycle,
    VirtualClock clock,
    VirtualScheduler scheduler,
    CallbackDispatcher dispatcher,
    TenantRegistry tenants,
    ScenarioCatalog scenarios,
    SqliteStore store)
{
    public const string Supplier = "bpt";
    public const string OrderKind = "order";
    public const string ListenerName = "bpt";

    public EntitySet<BptOrder> Orders { get; } = orders;
    public TenantPnrs TenantPnrs { get; } = tenantPnrs;
    public BptTenantDirectory Directory { get; } = directory;
    public Lifecycle Lifecycle { get; } = lifecycle;
    public VirtualClock Clock { get; } = clock;
    public VirtualScheduler Scheduler { get; } = scheduler;
    public CallbackDispatcher Dispatcher { get; } = dispatcher;
    public TenantRegistry Tenants { get; } = tenants;
    public ScenarioCatalog Scenarios { get; } = scenarios;
    public SqliteStore Store { get; } = store;

    public static string OrderKey(string orderId) => EntityCatalog.Key(Supplier, OrderKind, orderId);

    public Scenario ScenarioOf(Tenant tenant) => Scenarios.For(Supplier, tenant.ScenarioSet(Supplier));

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

    public void RememberSmall(string tenant, BptOrder order)
    {
        if (order.SmallPnr is { } s) _bySmall[(tenant, s)] = order.Id;
    }

    /// <summary>The order whose small PNR this is (bigpnr=0 requests on a PNR input with its big PNR), memory first, then the store.</summary>
    public BptOrder? OrderBySmall(string tenant, string small)
    {
        if (_bySmall.TryGetValue((tenant, small), out var id) && Orders.Get(tenant, id) is { } o && o.SmallPnr == small) return o;
        using var c = Store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM entities WHERE tenant = $t AND supplier = 'bpt' AND kind = 'order' AND json_extract(json, '$.pnrc') = $s LIMIT 1";
        cmd.Parameters.AddWithValue("$t", tenant);
        cmd.Parameters.AddWithValue("$s", small);
        return cmd.ExecuteScalar() is string found && Orders.Get(tenant, found) is { } order ? order : null;
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
