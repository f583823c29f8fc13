using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.Engine;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.TechHouse.Model;

/// <summary>
/// The merchant's prepaid balances per currency (GetBalance), debited by Commit in the same transaction that
/// creates the order. Opening balances come from <c>credentials.techhouse.balances</c>. The store applies each debit as
/// an addition, so replicas debiting the same balances at once all count; memory holds the balances for reading and
/// drops them when another replica changed them.
/// </summary>
public sealed class Accounts(SupplierContext engine)
{
    const string KvKey = "techhouse.balances";
    static readonly Dictionary<string, decimal> DefaultOpening = new() { ["CNY"] = 1_000_000m, ["USD"] = 100_000m };
    readonly ConcurrentDictionary<string, Balances> _byTenant = engine.KvCache<Balances>(KvKey);

    public sealed class Balances
    {
        public SortedDictionary<string, decimal> ByCurrency { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    public Balances For(Tenant tenant) => _byTenant.GetOrAdd(tenant.Id, _ => Load(tenant));

    Balances Load(Tenant tenant)
    {
        var b = new Balances();
        var stored = engine.ReadKv(tenant.Id, KvKey);
        foreach (var (cur, amount) in stored is null ? Opening(tenant) : JsonSerializer.Deserialize<Dictionary<string, decimal>>(stored)!)
            b.ByCurrency[cur] = amount;
        return b;
    }

    static Dictionary<string, decimal> Opening(Tenant tenant)
    {
        if (tenant.CredentialsFor("techhouse")?["balances"] is not JsonObject opening) return DefaultOpening;
        var balances = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var (cur, amount) in opening) balances[cur.ToUpperInvariant()] = decimal.Parse(amount!.ToString(), CultureInfo.InvariantCulture);
        return balances;
    }

    /// <summary>Debits (or with a negative amount credits) under the balances' lock; false when funds are short.</summary>
    public bool TryDebit(Tenant tenant, string currency, decimal amount, UnitOfWork uow)
    {
        var b = For(tenant);
        lock (b)
        {
            var have = b.ByCurrency.GetValueOrDefault(currency);
            if (amount > 0 && have < amount) return false;
            b.ByCurrency[currency] = have - amount;
        }
        // Applied as an addition to the stored balance: whatever order units of work commit in, on whichever replica,
        // every debit counts once. The opening balances are the document when the tenant has none stored yet.
        engine.AddToKv(uow, tenant.Id, KvKey, currency, -amount, JsonSerializer.Serialize(Opening(tenant)));
        return true;
    }

    public void ForgetTenant(string tenant) => _byTenant.TryRemove(tenant, out _);
}
