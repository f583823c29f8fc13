using System.Globalization;
using Sandbox.Engine;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Messages;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.Top.Tmc;

namespace Sandbox.Suppliers.FliggyFlight;

/// <summary>What the flight APIs share: the engine, orders, refund and change orders, idempotency keys, seats, TMC messages.</summary>
public sealed class FliggyFlightServices([FromKeyedServices(FliggyFlightServices.Supplier)] SupplierContext engine, ITmcPublisher tmc)
{
    public const string Supplier = "fliggyflight";
    public const string OrderKind = "order";
    public const string RefundKind = "refund";
    public const string ChangeKind = "change";
    public const string KeyKind = "key";

    public SupplierContext Engine { get; } = engine;
    public EntitySet<FlightOrder> Orders { get; } = engine.Entities<FlightOrder>(OrderKind);
    public EntitySet<RefundOrder> Refunds { get; } = engine.Entities<RefundOrder>(RefundKind);
    public EntitySet<ChangeOrder> Changes { get; } = engine.Entities<ChangeOrder>(ChangeKind);
    public EntitySet<IdempotencyKey> Keys { get; } = engine.Entities<IdempotencyKey>(KeyKind);
    public Inventory Inventory { get; } = new();
    public Operations.SearchMemo Searches { get; } = new();
    public FlightMessages Messages { get; } = new(tmc);

    public Scenario ScenarioOf(Tenant tenant) => Engine.ScenarioFor(tenant);

    public static string Key(string kind, string id) => EntityCatalog.Key(Supplier, kind, id);

    /// <summary>Creating an entity for an idempotency key must not race with a retry creating it too: a striped lock per key.</summary>
    readonly object[] _creation = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    public object CreationLock(string key) => _creation[(uint)StableHash(key) % (uint)_creation.Length];

    static int StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var ch in s) h = (h ^ ch) * 16777619u;
        return (int)h;
    }

    static readonly long Epoch2020 = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    long _seq = Random.Shared.Next(0, 10_000);
    long _ticketSeq = Random.Shared.NextInt64(0, 1_000_000_000);
    long _tradeSeq = Random.Shared.NextInt64(0, 1_000_000_000);

    /// <summary>
    /// order_id, refund_order_id, change_order_id: 13 digits, seconds since 2020 (real time) and a sequence, so ids stay
    /// unique across restarts, grow with time and stay far below 2^53 (JavaScript clients parse them as doubles).
    /// </summary>
    public long NextId() =>
        (Engine.Clock.RealNow.ToUnixTimeSeconds() - Epoch2020) * 10_000 + Interlocked.Increment(ref _seq) % 10_000;

    /// <summary>A 28-digit Alipay trade number: the China date, 22001 and 15 digits.</summary>
    public string NextTradeNo(DateTimeOffset now) =>
        Times.Local(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "22001"
        + (Interlocked.Increment(ref _tradeSeq) % 1_000_000_000_000_000L).ToString("000000000000000", CultureInfo.InvariantCulture);

    /// <summary>999-1234567890: the carrier's accounting code, a dash and ten digits.</summary>
    public string NextTicketNo(string carrier) =>
        (ReferenceData.Carriers.TryGetValue(carrier, out var c) ? c.TicketPrefix : "999") + "-"
        + (Interlocked.Increment(ref _ticketSeq) % 10_000_000_000L).ToString("0000000000", CultureInfo.InvariantCulture);
}
