using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sandbox.Engine.Storage;

/// <summary>An entity with a lifecycle (order, ticket, refund …): the unit a state machine instance runs on.</summary>
public abstract class Entity : IVersioned
{
    /// <summary>The stored version this instance was read at or last written as (checked on write when replicas share the store).</summary>
    [JsonIgnore] public long Version { get; set; }

    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    /// <summary>Creation time on the tenant's virtual clock, Unix ms.</summary>
    [JsonPropertyName("createdMs")] public long CreatedMs { get; set; }
    [JsonPropertyName("updatedMs")] public long UpdatedMs { get; set; }
    /// <summary>Scenario tags picked up from rules when the entity was created (e.g. ticketing-fails); transitions can require them.</summary>
    [JsonPropertyName("tags")] public HashSet<string> Tags { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The non-generic face of an entity set, for the admin API and tenant resets.</summary>
public interface IEntitySet
{
    string Supplier { get; }
    string Kind { get; }
    Entity? Find(string tenant, string id);
    /// <summary>Queues the entity's document on the unit of work (it must be of this set's type).</summary>
    void Save(UnitOfWork uow, string tenant, Entity entity);
    IReadOnlyList<JsonObject> List(string tenant, int limit);
    void ForgetTenant(string tenant);
    /// <summary>Drops a cached entity older than <paramref name="version"/> (another replica wrote it; 0: whatever its version).</summary>
    void Evict(string tenant, string id, long version);
}

/// <summary>
/// The entities of one kind. The store is the truth; recently used entities stay in a bounded cache so the
/// hot path reads memory, and an entity is written through the caller's unit of work. Callers lock on the entity
/// object, so there is one instance per entity for as long as anyone holds it: an entity evicted from the cache
/// while a caller still holds it (a backlog larger than the cache) is found again through a weak reference instead
/// of being loaded a second time, which would let two callers update two copies and lose one update.
/// </summary>
public sealed class EntitySet<T> : IEntitySet where T : Entity
{
    readonly IStore _store;
    readonly ConcurrentDictionary<(string Tenant, string Id), T> _cache = new();
    readonly ConcurrentQueue<(string Tenant, string Id)> _age = new();
    // Entities that left the cache, for as long as something still holds them.
    readonly ConcurrentDictionary<(string Tenant, string Id), WeakReference<T>> _evicted = new();
    // Admission and eviction of one entity are serialised, so a load never races a move between the two maps.
    readonly object[] _stripes = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();
    // Ids looked up and not in the store, so that a miss costs a store read once, not on every call (a TOP app's standing
    // session is looked up on every request and is stored only once revoked). Cleared for a key whenever it is saved,
    // evicted by a replica's signal or its tenant forgotten; bounded like the cache.
    readonly ConcurrentDictionary<(string Tenant, string Id), byte> _absent = new();
    int _absentCount;
    readonly int _capacity;
    int _evictions;

    public string Supplier { get; }
    public string Kind { get; }

    public EntitySet(IStore store, EntityCatalog catalog, string supplier, string kind, int cacheCapacity = 10_000)
    {
        _store = store;
        _capacity = Math.Max(1, cacheCapacity);
        Supplier = supplier;
        Kind = kind;
        catalog.Register(this);
    }

    object Stripe((string, string) key) => _stripes[(key.GetHashCode() & int.MaxValue) % _stripes.Length];

    public T? Get(string tenant, string id)
    {
        var key = (tenant, id);
        if (_cache.TryGetValue(key, out var e)) return e;
        if (_absent.ContainsKey(key)) return null;
        T? admitted;
        lock (Stripe(key))
        {
            if (_cache.TryGetValue(key, out e)) return e;
            if (_absent.ContainsKey(key)) return null;
            admitted = Held(key) ?? Load(tenant, id);
            if (admitted is null)
            {
                RememberAbsent(key);
                return null;
            }
            _evicted.TryRemove(key, out _);
            _cache[key] = admitted;
        }
        Age(key);
        return admitted;
    }

    T? Load(string tenant, string id)
    {
        if (_store.FindEntity(tenant, Supplier, Kind, id) is not { } doc) return null;
        var entity = JsonSerializer.Deserialize<T>(doc.Json, StoreJson.Options)!;
        entity.Version = doc.Version;
        return entity;
    }

    void RememberAbsent((string, string) key)
    {
        if (Interlocked.Increment(ref _absentCount) > _capacity)
        {
            _absent.Clear();
            Interlocked.Exchange(ref _absentCount, 1);
        }
        _absent[key] = 0;
    }

    T? Held((string, string) key) => _evicted.TryGetValue(key, out var weak) && weak.TryGetTarget(out var held) ? held : null;

    void Age((string, string) key)
    {
        _age.Enqueue(key);
        // The oldest entries were committed long ago; evicting them only costs a read later. The queue's count is
        // cheap; ConcurrentDictionary.Count takes every lock, which showed in the profile of Save.
        while (_age.Count > _capacity && _age.TryDequeue(out var old)) Evict(old);
    }

    void Evict((string, string) key)
    {
        lock (Stripe(key))
            if (_cache.TryRemove(key, out var e)) _evicted[key] = new WeakReference<T>(e);
        if (Interlocked.Increment(ref _evictions) % _capacity == 0) Sweep();
    }

    /// <summary>Drops the weak entries nobody holds any more (amortised: once per cache-full of evictions).</summary>
    void Sweep()
    {
        foreach (var entry in _evicted)
            if (!entry.Value.TryGetTarget(out _)) _evicted.TryRemove(entry);
    }

    /// <summary>Entities created in a virtual-time window, newest first (from the store: it holds all of them).</summary>
    public IReadOnlyList<T> Query(string tenant, long fromMs, long toMs, int limit = 10_000) =>
        _store.QueryEntities(tenant, Supplier, Kind, fromMs, toMs, limit)
            .Select(row => _cache.TryGetValue((tenant, row.Id), out var cached) ? cached
                : Held((tenant, row.Id)) ?? JsonSerializer.Deserialize<T>(row.Json, StoreJson.Options)!)
            .ToList();

    /// <summary>Makes the entity visible now and queues its document on the unit of work.</summary>
    public void Save(UnitOfWork uow, string tenant, T entity)
    {
        var key = (tenant, entity.Id);
        if (!_cache.TryGetValue(key, out var cached) || !ReferenceEquals(cached, entity))
        {
            bool added;
            lock (Stripe(key))
            {
                _evicted.TryRemove(key, out _);
                _absent.TryRemove(key, out _);
                added = _cache.TryAdd(key, entity);
                if (!added) _cache[key] = entity;
            }
            if (added) Age(key);
        }
        // Serialised when the writer runs, under the entity's lock: whichever unit of work commits last writes
        // the entity's latest state, even if two units of work commit in another order than they saved.
        uow.Add(w =>
        {
            string json, status;
            long created, updated;
            lock (entity)
            {
                json = JsonSerializer.Serialize(entity, StoreJson.Options);
                (status, created, updated) = (entity.Status, entity.CreatedMs, entity.UpdatedMs);
            }
            w.UpsertEntity(tenant, Supplier, Kind, entity.Id, status, created, updated, json, entity);
        });
    }

    Entity? IEntitySet.Find(string tenant, string id) => Get(tenant, id);

    void IEntitySet.Save(UnitOfWork uow, string tenant, Entity entity) => Save(uow, tenant, (T)entity);

    public IReadOnlyList<JsonObject> List(string tenant, int limit) =>
        Query(tenant, long.MinValue, long.MaxValue, limit).Select(e => JsonSerializer.SerializeToNode(e, StoreJson.Options)!.AsObject()).ToList();

    public void ForgetTenant(string tenant)
    {
        foreach (var k in _cache.Keys.Where(k => k.Tenant == tenant)) _cache.TryRemove(k, out _);
        foreach (var k in _evicted.Keys.Where(k => k.Tenant == tenant)) _evicted.TryRemove(k, out _);
        foreach (var k in _absent.Keys.Where(k => k.Tenant == tenant)) _absent.TryRemove(k, out _);
    }

    /// <summary>Another replica committed a newer version: the next read loads it from the store.</summary>
    public void Evict(string tenant, string id, long version)
    {
        var key = (tenant, id);
        lock (Stripe(key))
        {
            if (_cache.TryGetValue(key, out var cached) && (version == 0 || cached.Version < version))
                _cache.TryRemove(new KeyValuePair<(string, string), T>(key, cached));
            if (Held(key) is { } held && (version == 0 || held.Version < version)) _evicted.TryRemove(key, out _);
            _absent.TryRemove(key, out _);
        }
    }
}

/// <summary>Every entity set of every supplier, so supplier-neutral code (admin, scheduler) can find an entity by kind.</summary>
public sealed class EntityCatalog(IStore store)
{
    readonly ConcurrentDictionary<(string Supplier, string Kind), IEntitySet> _sets = new();

    public void Register(IEntitySet set) => _sets[(set.Supplier.ToLowerInvariant(), set.Kind)] = set;

    public IEntitySet? Find(string supplier, string kind) => _sets.GetValueOrDefault((supplier.ToLowerInvariant(), kind));

    public IEnumerable<IEntitySet> All => _sets.Values;

    public void ForgetTenant(string tenant)
    {
        foreach (var s in _sets.Values) s.ForgetTenant(tenant);
    }

    /// <summary>The entity's timeline: requests, transitions and callbacks in the order they happened.</summary>
    public JsonArray Timeline(string tenant, string entityKey) =>
        new(store.Timeline(tenant, entityKey).Select(r => (JsonNode)new JsonObject
        {
            ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs).ToString("O"),
            ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(r.VirtualMs).ToString("O"),
            ["kind"] = r.Kind,
            ["detail"] = JsonNode.Parse(r.Detail),
        }).ToArray());

    public static string Key(string supplier, string kind, string id) => $"{supplier}:{kind}:{id}";

    /// <summary>Drops a cached entity another replica changed (or a failed unit of work left stale).</summary>
    public void Evict(string tenant, string supplier, string kind, string id, long version) => Find(supplier, kind)?.Evict(tenant, id, version);
}

public static class TimelineExtensions
{
    /// <summary>Adds an event to an entity's timeline in the same transaction as the change it describes.</summary>
    public static void Timeline(this UnitOfWork uow, string tenant, string entityKey, long realMs, long virtualMs, string kind, JsonObject detail)
    {
        var text = detail.ToJsonString(StoreJson.Options);
        uow.Add(w => w.AddTimeline(tenant, entityKey, realMs, virtualMs, kind, text));
    }
}
