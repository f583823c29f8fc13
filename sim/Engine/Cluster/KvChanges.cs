using System.Collections.Concurrent;

namespace Sandbox.Engine.Cluster;

/// <summary>
/// Key-values another replica changed, for modules that keep a key-value in memory (balances, stock, fixtures …): they
/// drop it and read the store again. Never raised with the embedded store, where this process is the only writer.
/// </summary>
public sealed class KvChanges
{
    /// <summary>(tenant, key) that changed; (null, null) when anything may have (signals were missed).</summary>
    public event Action<string?, string?>? Changed;

    public void Raise(string? tenant, string? key) => Changed?.Invoke(tenant, key);

    /// <summary>
    /// A per-tenant cache of what a module reads from key-values starting with <paramref name="keyPrefix"/>: a tenant's
    /// entry is dropped when another replica changes one of them (every entry when anything may have changed).
    /// </summary>
    public ConcurrentDictionary<string, T> TenantCache<T>(string keyPrefix)
    {
        var cache = new ConcurrentDictionary<string, T>(StringComparer.Ordinal);
        Changed += (tenant, key) =>
        {
            if (!Touches(key, keyPrefix)) return;
            if (tenant is null) cache.Clear();
            else cache.TryRemove(tenant, out _);
        };
        return cache;
    }

    /// <summary>Whether a change of (<paramref name="tenant"/>, <paramref name="key"/>) concerns keys starting with <paramref name="prefix"/>.</summary>
    public static bool Touches(string? key, string prefix) => key is null || key.StartsWith(prefix, StringComparison.Ordinal);
}
