using System.Globalization;
using Sandbox.Engine;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;

namespace Sandbox.Suppliers.TechHouse;

/// <summary>What TechHouse operations share: the engine, orders, sessions, balances and inventory.</summary>
public sealed class TechHouseServices([FromKeyedServices(TechHouseServices.Supplier)] SupplierContext engine, IConfiguration config)
{
    public const string Supplier = "techhouse";
    public const string OrderKind = "order";

    public SupplierContext Engine { get; } = engine;
    public EntitySet<FlightOrder> Orders { get; } = engine.Entities<FlightOrder>(OrderKind);
    public SessionStore Sessions { get; } = new(engine);
    public Accounts Accounts { get; } = new(engine);
    public Inventory Inventory { get; } = new();
    readonly string _tokenSecret = TechHouseOptions.From(config).TokenSecret;

    long _orderSeq = Random.Shared.Next(0, 1_000_000);
    long _searchSeq = Random.Shared.Next(100_000, 900_000);
    readonly System.Collections.Concurrent.ConcurrentDictionary<(string Tenant, string Id), long> _asyncSearches = new();

    /// <summary>A search id: numeric, as the request types searchId as int. Synchronous searches only echo it.</summary>
    public string NextSearchId() => Interlocked.Increment(ref _searchSeq).ToString(CultureInfo.InvariantCulture);

    const string SearchKeyPrefix = "techhouse:search:";
    static readonly TimeSpan AsyncSearchLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Opens an asynchronous LowFareSearch whose later polls must name it; with replicas sharing the store it is kept there
    /// (a poll may reach another replica), written with the search's unit of work.
    /// </summary>
    public string StartAsyncSearch(UnitOfWork uow, string tenant, long nowMs)
    {
        var id = NextSearchId();
        if (Engine.Shared) Engine.WriteTransientKv(uow, tenant, SearchKeyPrefix + id, nowMs.ToString(CultureInfo.InvariantCulture), AsyncSearchLifetime);
        else _asyncSearches[(tenant, id)] = nowMs;
        return id;
    }

    /// <summary>Forgets asynchronous searches a virtual hour old (called by the module's housekeeping).</summary>
    public void SweepAsyncSearches()
    {
        foreach (var (key, started) in _asyncSearches)
            if (Engine.Clock.NowMs(key.Tenant) - started > 3_600_000) _asyncSearches.TryRemove(key, out _);
    }

    public bool IsAsyncSearch(string tenant, string id) =>
        Engine.Shared
            ? long.TryParse(Engine.ReadKv(tenant, SearchKeyPrefix + id), CultureInfo.InvariantCulture, out var started)
              && Engine.Clock.NowMs(tenant) - started <= AsyncSearchLifetime.TotalMilliseconds
            : _asyncSearches.ContainsKey((tenant, id));

    public byte[] TokenKey(string tenant) => FareToken.KeyFor(tenant, _tokenSecret);

    /// <summary>"lf" + yyMMddHHmmss (UTC+8) + 6 digits, like the Commit sample's lf170908141233456789.</summary>
    public string NextOrderNo(DateTimeOffset now)
    {
        var seq = Interlocked.Increment(ref _orderSeq) % 1_000_000;
        return "lf" + now.ToOffset(TimeSpan.FromHours(8)).ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + seq.ToString("000000", CultureInfo.InvariantCulture);
    }

    public static string OrderKey(string orderNo) => EntityCatalog.Key(Supplier, OrderKind, orderNo);
}

/// <summary>The scenario's <c>settings:</c> switches for TechHouse (documented in docs/suppliers/techhouse.md).</summary>
public sealed record TechHouseSettings(
    TimeSpan SessionTtl, TimeSpan PriceTtl, bool TrackInventory, bool CodeShareAsString, bool NoFlightsAsEmpty,
    bool AcceptPastDates, bool LenientPayment, bool CreditCard, TimeSpan? TimestampSkew)
{
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Scenario, TechHouseSettings> Cache = new();

    /// <summary>The settings of a scenario set, parsed once per loaded set.</summary>
    public static TechHouseSettings From(Scenario s) => Cache.GetValue(s, Parse);

    static TechHouseSettings Parse(Scenario s)
    {
        TimeSpan Dur(string name, TimeSpan fallback) => s.SettingString(name) is { } v && Durations.TryParse(v, out var d) ? d : fallback;
        bool Flag(string name, bool fallback) => s.SettingString(name) is { } v ? v.Equals("true", StringComparison.OrdinalIgnoreCase) : fallback;
        return new TechHouseSettings(
            Dur("sessionTtl", TimeSpan.FromMinutes(30)),
            Dur("priceTtl", TimeSpan.FromMinutes(20)),
            !string.Equals(s.SettingString("inventory"), "unlimited", StringComparison.OrdinalIgnoreCase),
            Flag("codeShareAsString", true),
            Flag("noFlightsAsEmpty", false),
            Flag("acceptPastDates", false),
            Flag("lenientPayment", false),
            Flag("creditCard", false),
            s.SettingString("timestampSkew") is { } skew && Durations.TryParse(skew, out var sk) ? sk : null);
    }
}
