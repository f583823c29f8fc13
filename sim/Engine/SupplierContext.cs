using System.Text.Json.Nodes;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Messages;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine;

/// <summary>
/// The engine as one supplier module sees it: its entities, tenants, clock, scenarios, state machines, callbacks,
/// durable timers, messages and key-value state — one object with the same names in every module, handed out per
/// supplier by <see cref="EngineSetup.AddSupplier{TModule,TServices}"/> (inject it as
/// <c>[FromKeyedServices(Supplier)] SupplierContext</c>).
/// </summary>
public sealed class SupplierContext(
    string supplier,
    IStore store,
    EntityCatalog entities,
    TenantRegistry tenants,
    VirtualClock clock,
    ScenarioCatalog scenarios,
    Lifecycle lifecycle,
    CallbackDispatcher callbacks,
    DurableTimers timers,
    MessageLog messages,
    IReplicas replicas,
    KvChanges kvChanges)
{
    public string Supplier { get; } = supplier;
    public TenantRegistry Tenants { get; } = tenants;
    public VirtualClock Clock { get; } = clock;
    public Lifecycle Lifecycle { get; } = lifecycle;
    public CallbackDispatcher Callbacks { get; } = callbacks;
    public DurableTimers Timers { get; } = timers;
    public MessageLog Messages { get; } = messages;

    /// <summary>The module's entities of one kind (a state machine runs on each); cached, written through units of work.</summary>
    public EntitySet<T> Entities<T>(string kind, int cacheCapacity = 10_000) where T : Entity =>
        new(store, entities, Supplier, kind, cacheCapacity);

    public string EntityKey(string kind, string id) => EntityCatalog.Key(Supplier, kind, id);

    public Scenario ScenarioFor(Tenant tenant) => scenarios.For(Supplier, tenant.ScenarioSet(Supplier));

    /// <summary>Work outside a request (timers, admin actions) commits through its own unit of work.</summary>
    public UnitOfWork NewUnitOfWork() => new(store);

    /// <summary>An event on an entity's timeline at the tenant's virtual now, written with the change it describes.</summary>
    public void Timeline(UnitOfWork uow, string tenant, string entityKey, string kind, JsonObject detail) =>
        uow.Timeline(tenant, entityKey, Clock.RealNow.ToUnixTimeMilliseconds(), Clock.NowMs(tenant), kind, detail);

    /// <summary>A tenant's key-value state (balances, accounts, fixtures): the JSON stored under the key, or null.</summary>
    public string? ReadKv(string tenant, string key) => store.GetKv(tenant, key);

    /// <summary>Every key-value of the tenant whose key starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<(string Key, string Json)> ReadKvs(string tenant, string prefix) => store.ListKv(tenant, prefix);

    /// <summary>
    /// Writes a key-value in the unit of work. <paramref name="json"/> runs when the writer commits, so that whichever
    /// unit of work commits last writes the latest value whatever order they commit in.
    /// </summary>
    public void WriteKv(UnitOfWork uow, string tenant, string key, Func<string> json) => uow.Add(w => w.PutKv(tenant, key, json()));

    public void DeleteKv(UnitOfWork uow, string tenant, string key) => uow.Add(w => w.DeleteKv(tenant, key));

    /// <summary>A key-value and the version it was read at, for a document the module changes and writes back whole.</summary>
    public StoredDocument? ReadKvDocument(string tenant, string key) => store.FindKv(tenant, key);

    /// <summary>
    /// Writes a whole document back over the version <paramref name="version"/> carries: when replicas share the store and
    /// another one wrote it meanwhile, the unit of work fails instead of losing that change (and the module's cached copy
    /// is dropped through <see cref="KvChanged"/>).
    /// </summary>
    public void WriteKv(UnitOfWork uow, string tenant, string key, string json, IVersioned version) =>
        uow.Add(w => w.PutKv(tenant, key, json, version: version));

    /// <summary>
    /// Adds to a number in a key-value's JSON object in the store itself (a balance), so that replicas debiting at once
    /// all count; <paramref name="initialJson"/> is the document when the key has none yet.
    /// </summary>
    public void AddToKv(UnitOfWork uow, string tenant, string key, string field, decimal delta, string initialJson) =>
        uow.Add(w => w.AddToKvNumber(tenant, key, field, delta, initialJson));

    /// <summary>
    /// Whether other replicas share the store. Then state a flow needs on its next request (a booking session) must be in
    /// the store, where the next request finds it whichever replica it reaches; alone, memory does.
    /// </summary>
    public bool Shared => replicas.Shared;

    /// <summary>A short-lived key-value (shared state of a flow), purged once <paramref name="ttl"/> of real time passed.</summary>
    public void WriteTransientKv(UnitOfWork uow, string tenant, string key, string json, TimeSpan ttl)
    {
        var expires = Clock.RealNow.Add(ttl).ToUnixTimeMilliseconds();
        uow.Add(w => w.PutKv(tenant, key, json, expires));
    }

    /// <summary>Deletes every short-lived key-value whose time is up (any tenant's, any module's).</summary>
    public Task PurgeExpiredKvsAsync()
    {
        var now = Clock.RealNow.ToUnixTimeMilliseconds();
        return store.Write(w => w.PurgeExpiredKv(now));
    }

    /// <summary>
    /// Raised with (tenant, key) when another replica changed a key-value (or a failed unit of work left one stale here),
    /// and with (null, null) when anything may have changed: a module that keeps a key-value in memory drops it.
    /// </summary>
    public event Action<string?, string?>? KvChanged
    {
        add => kvChanges.Changed += value;
        remove => kvChanges.Changed -= value;
    }

    /// <summary>A per-tenant cache of key-values under <paramref name="keyPrefix"/>, dropped per tenant when another replica changes them.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, T> KvCache<T>(string keyPrefix) => kvChanges.TenantCache<T>(keyPrefix);

    /// <summary>Writes key-values at once, outside any request (admin uploads).</summary>
    public Task WriteKvsAsync(string tenant, IReadOnlyList<(string Key, string Json)> rows) => store.Write(w =>
    {
        foreach (var (key, json) in rows) w.PutKv(tenant, key, json);
    });
}
