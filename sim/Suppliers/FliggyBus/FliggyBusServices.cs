using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Sandbox.Engine;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.FliggyBus.Config;
using Sandbox.Suppliers.FliggyBus.Flow;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus;

/// <summary>
/// What Fliggy's side of the custom-bus flow shares: the engine, the orders, the Qimen client and call log, each
/// tenant's resolved configuration and catalogue, and the admin requests waiting for calls they started.
/// </summary>
public sealed class FliggyBusServices
{
    public const string Supplier = FliggyBusCredentials.Supplier;
    public const string OrderKind = BusMachines.OrderKind;

    public FliggyBusServices([FromKeyedServices(Supplier)] SupplierContext engine, RequestJournal journal, IOptions<SandboxOptions> options)
    {
        Engine = engine;
        Orders = engine.Entities<BusOrder>(OrderKind);
        // One pool for every merchant: connections are kept (Fliggy calls the same hosts all day), no proxy, no cookies;
        // each call's own timeout cancels it (the client's timeout is off).
        Client = new QimenClient(new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 512,
        }) { Timeout = Timeout.InfiniteTimeSpan });
        Tenants = new BusTenants(Client);
        Catalogues = new Catalogues(engine);
        Stats = new CallStats();
        CallLog = new CallLog(journal, options, Stats);
    }

    public SupplierContext Engine { get; }
    public EntitySet<BusOrder> Orders { get; }
    public QimenClient Client { get; }
    public BusTenants Tenants { get; }
    public Catalogues Catalogues { get; }
    public CallStats Stats { get; }
    public CallLog CallLog { get; }
    public Waiters Waiters { get; } = new();
    public ConcurrentDictionary<string, SyncRun> SyncRuns { get; } = new(StringComparer.Ordinal);
    /// <summary>Tenants whose stopped-schedule poll is armed (in memory: after a restart the stored timer fires and re-arms itself).</summary>
    public ConcurrentDictionary<string, byte> PollingArmed { get; } = new(StringComparer.Ordinal);
    /// <summary>Tenants whose scheduled bookings are armed (likewise).</summary>
    public ConcurrentDictionary<string, byte> BookingsArmed { get; } = new(StringComparer.Ordinal);

    public static string OrderKey(string alitripOrderId) => EntityCatalog.Key(Supplier, OrderKind, alitripOrderId);

    /// <summary>The tenant's configuration for calling its merchant, with its current scenario set.</summary>
    public ConfigResult<BusTenant> Resolve(Tenant tenant) => Tenants.Resolve(tenant, Engine.ScenarioFor(tenant));

    // ---- the merchant's order id → Fliggy's (taobao.bus.* calls name the order by agent_order_id)

    static string AgentKey(string agentOrderId) => "fliggybus:agent:" + agentOrderId;

    public void IndexAgentOrder(UnitOfWork uow, string tenant, string agentOrderId, string alitripOrderId) =>
        Engine.WriteKv(uow, tenant, AgentKey(agentOrderId), () => "\"" + alitripOrderId + "\"");

    public BusOrder? OrderByAgentId(string tenant, string agentOrderId) =>
        Engine.ReadKv(tenant, AgentKey(agentOrderId)) is { Length: > 2 } json ? Orders.Get(tenant, json[1..^1]) : null;

    // ---- ids

    static readonly long Epoch2020 = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    long _orderSeq = Random.Shared.Next(0, 100_000);
    long _tradeSeq = Random.Shared.NextInt64(0, 1_000_000_000);

    /// <summary>
    /// alitripOrderId: digits only (taobao.bus.* carries it as the number main_biz_order_id), seconds since 2020 and a
    /// sequence — unique across restarts, below 2^53 so JavaScript merchants read it exactly.
    /// </summary>
    public string NextOrderId() =>
        ((Engine.Clock.RealNow.ToUnixTimeSeconds() - Epoch2020) * 100_000 + Interlocked.Increment(ref _orderSeq) % 100_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>alipayTradeNo, allocated before payment (spec §4.5): the China date, 22001 and 15 digits.</summary>
    public string NextTradeNo(DateTimeOffset now) =>
        now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "22001"
        + (Interlocked.Increment(ref _tradeSeq) % 1_000_000_000_000_000L).ToString("000000000000000", CultureInfo.InvariantCulture);

    public void ForgetTenant(string tenant)
    {
        Tenants.ForgetTenant(tenant);
        Catalogues.ForgetTenant(tenant);
        Stats.ForgetTenant(tenant);
        PollingArmed.TryRemove(tenant, out _);
        BookingsArmed.TryRemove(tenant, out _);
    }
}
