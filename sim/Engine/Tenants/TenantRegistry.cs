using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using Sandbox.Engine.Storage;

namespace Sandbox.Engine.Tenants;

/// <summary>
/// Resolves a supplier credential (TechHouse key, TOP app_key, …) to its tenant in one dictionary lookup.
/// Each supplier module says which credential field identifies the caller.
/// </summary>
public sealed class TenantRegistry(IStore store)
{
    readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _identityField = new(StringComparer.OrdinalIgnoreCase);
    volatile FrozenDictionary<(string Supplier, string Credential), Tenant> _byCredential =
        FrozenDictionary<(string, string), Tenant>.Empty;
    readonly Lock _gate = new();

    public event Action<Tenant>? Removed;

    /// <summary>Declares that <paramref name="supplier"/> identifies tenants by credentials.{supplier}.{field}.</summary>
    public void RegisterIdentity(string supplier, string field)
    {
        _identityField[supplier] = field;
        Reindex();
    }

    public IReadOnlyCollection<Tenant> All => _tenants.Values.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();

    public Tenant? Find(string id) => _tenants.GetValueOrDefault(id);

    public Tenant? FindByCredential(string supplier, string? credential) =>
        credential is null ? null : _byCredential.GetValueOrDefault((supplier.ToLowerInvariant(), credential));

    public void LoadFromStore()
    {
        foreach (var json in store.LoadTenants())
        {
            var t = JsonSerializer.Deserialize<Tenant>(json, StoreJson.Options)!;
            _tenants[t.Id] = t;
        }
        Reindex();
    }

    /// <summary>Reads one tenant again (another replica changed or deleted it); memory only, nothing is written.</summary>
    public void Refresh(string id)
    {
        if (store.FindTenant(id) is { } json)
        {
            var t = JsonSerializer.Deserialize<Tenant>(json, StoreJson.Options)!;
            _tenants[t.Id] = t;
        }
        else if (_tenants.TryRemove(id, out var gone))
        {
            Reindex();
            Removed?.Invoke(gone);
            return;
        }
        Reindex();
    }

    /// <summary>Adds tenants from tenants.yaml that the store does not know yet: admin changes win over the file.</summary>
    public async Task SeedAsync(IEnumerable<Tenant> tenants)
    {
        foreach (var t in tenants)
            if (!_tenants.ContainsKey(t.Id)) await UpsertAsync(t);
    }

    /// <summary>Validates that no other tenant uses the same supplier credential; returns an error text or null.</summary>
    public string? Conflict(Tenant candidate)
    {
        foreach (var (supplier, field) in _identityField)
        {
            var value = candidate.Credential(supplier, field);
            if (value is null) continue;
            if (_byCredential.TryGetValue((supplier.ToLowerInvariant(), value), out var other) && other.Id != candidate.Id)
                return $"credentials.{supplier}.{field} '{value}' is already used by tenant '{other.Id}'";
        }
        return null;
    }

    public async Task UpsertAsync(Tenant t)
    {
        await store.Write(w => w.UpsertTenant(t.Id, JsonSerializer.Serialize(t, StoreJson.Options)));
        _tenants[t.Id] = t;
        Reindex();
    }

    public async Task<bool> DeleteAsync(string id)
    {
        if (!_tenants.TryRemove(id, out var t)) return false;
        await store.Write(w => w.DeleteTenant(id));
        Reindex();
        Removed?.Invoke(t);
        return true;
    }

    void Reindex()
    {
        lock (_gate)
        {
            var map = new Dictionary<(string, string), Tenant>();
            foreach (var t in _tenants.Values)
            foreach (var (supplier, field) in _identityField)
                if (t.Credential(supplier, field) is { } value)
                    map[(supplier.ToLowerInvariant(), value)] = t;
            _byCredential = map.ToFrozenDictionary();
        }
    }
}
