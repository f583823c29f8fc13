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

    /// <summary>Whether a change of (<paramref name="tenant"/>, <paramref name="key"/>) concerns keys starting with <paramref name="prefix"/>.</summary>
    public static bool Touches(string? key, string prefix) => key is null || key.StartsWith(prefix, StringComparison.Ordinal);
}
