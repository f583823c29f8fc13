using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>A user's message service as taobao.tmc.user.permit opened it (spec §3.2.3); null topics = all the app subscribes to.</summary>
public sealed record TmcPermit(
    [property: JsonPropertyName("userId")] long UserId,
    [property: JsonPropertyName("userNick")] string UserNick,
    [property: JsonPropertyName("topics")] IReadOnlyList<string>? Topics,
    [property: JsonPropertyName("createdMs")] long CreatedMs,
    [property: JsonPropertyName("modifiedMs")] long ModifiedMs);

/// <summary>
/// The users each tenant's app opened the message service for, by nick (the key taobao.tmc.user.get and cancel use).
/// Kept in the store's kv table, so a restart keeps them and a tenant reset wipes them.
/// </summary>
public sealed class TmcPermits(IStore store, KvChanges changes)
{
    const string KeyPrefix = "top:tmc:permit:";

    // A permit another replica opened or closed drops this replica's copy of the tenant's permits.
    readonly ConcurrentDictionary<string, Lazy<ConcurrentDictionary<string, TmcPermit>>> _byTenant =
        changes.TenantCache<Lazy<ConcurrentDictionary<string, TmcPermit>>>(KeyPrefix);

    ConcurrentDictionary<string, TmcPermit> Of(string tenant) =>
        _byTenant.GetOrAdd(tenant, t => new Lazy<ConcurrentDictionary<string, TmcPermit>>(() => Load(t))).Value;

    ConcurrentDictionary<string, TmcPermit> Load(string tenant)
    {
        var map = new ConcurrentDictionary<string, TmcPermit>(StringComparer.Ordinal);
        foreach (var (_, json) in store.ListKv(tenant, KeyPrefix))
            if (JsonSerializer.Deserialize<TmcPermit>(json, StoreJson.Options) is { } p) map[p.UserNick] = p;
        return map;
    }

    public TmcPermit? Find(string tenant, string nick) => Of(tenant).GetValueOrDefault(nick);

    public IReadOnlyList<TmcPermit> All(string tenant) => Of(tenant).Values.OrderBy(p => p.UserNick, StringComparer.Ordinal).ToList();

    /// <summary>Whether the user's messages on <paramref name="topic"/> reach the app: an explicit permit decides, else auto_permit.</summary>
    public bool Permits(string tenant, TmcSettings settings, string nick, string topic) =>
        Find(tenant, nick) is { } p ? p.Topics is null || p.Topics.Contains(topic) : settings.AutoPermit;

    /// <summary>Opens (or replaces: topics are overwritten, not merged) a user's message service.</summary>
    public TmcPermit Put(UnitOfWork uow, string tenant, long userId, string nick, IReadOnlyList<string>? topics, long nowMs)
    {
        var map = Of(tenant);
        var p = new TmcPermit(userId, nick, topics, map.GetValueOrDefault(nick)?.CreatedMs ?? nowMs, nowMs);
        map[nick] = p;
        var json = JsonSerializer.Serialize(p, StoreJson.Options);
        uow.Add(w => w.PutKv(tenant, KeyPrefix + nick, json));
        return p;
    }

    /// <summary>Closes a user's message service; false when the app had not opened it.</summary>
    public bool Remove(UnitOfWork uow, string tenant, string nick)
    {
        if (!Of(tenant).TryRemove(nick, out _)) return false;
        uow.Add(w => w.DeleteKv(tenant, KeyPrefix + nick));
        return true;
    }

    public void ForgetTenant(string tenant) => _byTenant.TryRemove(tenant, out _);
}
