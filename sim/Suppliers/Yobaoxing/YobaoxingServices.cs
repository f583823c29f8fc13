using System.Globalization;
using System.Text.Json.Serialization;
using Sandbox.Engine;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Model;

namespace Sandbox.Suppliers.Yobaoxing;

/// <summary>Links an integrator order id (XCDDH / senderid) to the order it created: OrderAndPay* idempotency.</summary>
public sealed class SenderRef : Entity
{
    [JsonPropertyName("orderId")] public string OrderId { get; set; } = "";
}

/// <summary>What Yobaoxing operations share: the engine, orders, idempotency references, records, accounts and stock.</summary>
public sealed class YobaoxingServices([FromKeyedServices(YobaoxingServices.Supplier)] SupplierContext engine)
{
    public const string Supplier = "yobaoxing";
    public const string OrderKind = "order";
    public const string SenderKind = "sender";
    public const string RecordKind = "txn";
    /// <summary>The supplier's local time: every date and time on the wire is China time.</summary>
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    public SupplierContext Engine { get; } = engine;
    public EntitySet<TicketOrder> Orders { get; } = engine.Entities<TicketOrder>(OrderKind);
    public EntitySet<SenderRef> Senders { get; } = engine.Entities<SenderRef>(SenderKind);
    public EntitySet<AccountRecord> Records { get; } = engine.Entities<AccountRecord>(RecordKind, 2_000);
    public AgentAccounts Accounts { get; } = new(engine);
    public StockStore Stock { get; } = new(engine);

    public Scenario ScenarioFor(Tenant tenant) => Engine.ScenarioFor(tenant);

    long _orderSeq = Random.Shared.Next(0, 1_000_000);
    long _ticketSeq = Random.Shared.Next(0, 100_000_000);

    /// <summary>20 characters: yyyyMMddHHmmss (China time) + 6 digits.</summary>
    public string NextOrderId(DateTimeOffset now) =>
        now.ToOffset(China).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)
        + (Interlocked.Increment(ref _orderSeq) % 1_000_000).ToString("000000", CultureInfo.InvariantCulture);

    /// <summary>Sell bill numbers share the order id's shape with an "S" prefix instead of the century.</summary>
    public string NextSellBillId(DateTimeOffset now) => "S" + NextOrderId(now)[3..];

    public string NextTicketCode() =>
        "8" + (Interlocked.Increment(ref _ticketSeq) % 1_000_000_000_000_000L).ToString("000000000000000", CultureInfo.InvariantCulture);

    long _docSeq = Random.Shared.Next(0, 1_000_000);

    /// <summary>A 20-character document number with a one-letter prefix: J transaction records, Z password-change requests, T payments.</summary>
    public string NextDocumentId(char prefix, DateTimeOffset now) =>
        prefix + now.ToOffset(China).ToString("yyMMddHHmmss", CultureInfo.InvariantCulture)
        + (Interlocked.Increment(ref _docSeq) % 10_000_000).ToString("0000000", CultureInfo.InvariantCulture);

    public static string OrderKey(string orderId) => EntityCatalog.Key(Supplier, OrderKind, orderId);

    public static string Local(DateTimeOffset t, string format) => t.ToOffset(China).ToString(format, CultureInfo.InvariantCulture);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(China).DateTime);
}

/// <summary>
/// A setting of the module, from the tenant (settings.yobaoxing.{name}) first, then the scenario's <c>settings:</c>
/// (documented in docs/suppliers/yobaoxing.md).
/// </summary>
public sealed class YobaoxingSettings(Tenant tenant, Scenario scenario)
{
    public string? Get(string name) => tenant.SettingsFor(YobaoxingServices.Supplier)[name]?.ToString() ?? scenario.SettingString(name);

    public string Str(string name, string fallback) => Get(name) is { Length: > 0 } v ? v : fallback;

    public bool Flag(string name, bool fallback) => Get(name) is { } v ? v is "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) : fallback;

    public int Int(string name, int fallback) => int.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    public TimeSpan Duration(string name, TimeSpan fallback) => Get(name) is { } v && Durations.TryParse(v, out var d) ? d : fallback;

    /// <summary>"V4" (default) or "legacy": selects retcode tables and the behaviours where the two editions differ.</summary>
    public bool Legacy => Str("edition", "V4").Equals("legacy", StringComparison.OrdinalIgnoreCase);

    public bool EnforceSign => !Str("sign", "enforce").Equals("accept", StringComparison.OrdinalIgnoreCase);

    public bool DroppedPagesOff => Str("droppedPages", "on").Equals("off", StringComparison.OrdinalIgnoreCase);

    public bool TrackInventory => !Str("inventory", "tracked").Equals("unlimited", StringComparison.OrdinalIgnoreCase);

    public string ProviderType => Str("providerType", "1");
}
