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
/// creates the order. Opening balances come from <c>credentials.techhouse.balances</c>.
/// </summary>
public sealed class Accounts(SupplierContext engine)
{
    const string KvKey = "techhouse.balances";
    static readonly Dictionary<string, decimal> DefaultOpening = new() { ["CNY"] = 1_000_000m, ["USD"] = 100_000m };
    readonly ConcurrentDictionary<string, Balances> _byTenant = new(StringComparer.Ordinal);

    public sealed class Balances
    {
        public SortedDictionary<string, decimal> ByCurrency { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    public Balances For(Tenant tenant) => _byTenant.GetOrAdd(tenant.Id, _ => Load(tenant));

    Balances Load(Tenant tenant)
    {
        var b = new Balances();
        if (engine.ReadKv(tenant.Id, KvKey) is { } json)
        {
            foreach (var (cur, amount) in JsonSerializer.Deserialize<Dictionary<string, decimal>>(json)!) b.ByCurrency[cur] = amount;
            return b;
        }
        if (tenant.CredentialsFor("techhouse")?["balances"] is JsonObject opening)
            foreach (var (cur, amount) in opening)
                b.ByCurrency[cur.ToUpperInvariant()] = decimal.Parse(amount!.ToString(), CultureInfo.InvariantCulture);
        else
            foreach (var (cur, amount) in DefaultOpening) b.ByCurrency[cur] = amount;
        return b;
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
        // Serialised when the writer runs: the last commit writes the latest balances whatever the commit order.
        engine.WriteKv(uow, tenant.Id, KvKey, () =>
        {
            lock (b) return JsonSerializer.Serialize(b.ByCurrency);
        });
        return true;
    }

    public void ForgetTenant(string tenant) => _byTenant.TryRemove(tenant, out _);
}
