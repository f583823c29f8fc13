using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sandbox.Engine;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Model;

/// <summary>An SMS verification code the supplier sent to one of the agent's phones.</summary>
public sealed class SmsCode
{
    [JsonPropertyName("code")] public string Code { get; set; } = "";
    [JsonPropertyName("orderId")] public string OrderId { get; set; } = "";
    [JsonPropertyName("phone")] public string Phone { get; set; } = "";
    [JsonPropertyName("issuedMs")] public long IssuedMs { get; set; }
    /// <summary>Codes sent for this purpose on <see cref="Day"/> (China date): the re-send cap counts per day.</summary>
    [JsonPropertyName("sends")] public int Sends { get; set; }
    [JsonPropertyName("day")] public string Day { get; set; } = "";
}

/// <summary>
/// The agent's internet account as the supplier keeps it (spec §2.3, §3.4): deposit (预订金) and rebate (返款) balances,
/// the payment password, the callback address and official-notification switch from SetAgentParameters, and the
/// SMS codes in flight. Persisted in the tenant's kv table in the same unit of work as the order that changes it.
/// </summary>
public sealed class AgentAccount : IVersioned
{
    /// <summary>The stored version this account was read at (checked when it is written back, replicas sharing the store).</summary>
    [JsonIgnore] public long Version { get; set; }

    [JsonPropertyName("deposit")] public decimal Deposit { get; set; }
    [JsonPropertyName("rebate")] public decimal Rebate { get; set; }
    [JsonPropertyName("payPasswordMd5")] public string PayPasswordMd5 { get; set; } = "";
    /// <summary>Null until SetAgentParameters: then tenant callbacks.yobaoxing applies. Empty means "no callbacks".</summary>
    [JsonPropertyName("responseAddr")] public string? ResponseAddr { get; set; }
    [JsonPropertyName("sendOfficiallyNotify")] public string SendOfficiallyNotify { get; set; } = "1";
    [JsonPropertyName("email")] public string Email { get; set; } = "";
    /// <summary>Codes by purpose: "YFK:{order}", "FK:{order}", "PWD".</summary>
    [JsonPropertyName("sms")] public Dictionary<string, SmsCode> Sms { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("smsSeq")] public int SmsSeq { get; set; }
}

/// <summary>The tenants' agent accounts, kept in memory and dropped when another replica changed one (then read again).</summary>
public sealed class AgentAccounts(SupplierContext engine)
{
    public const string KvKey = "yobaoxing.account";
    readonly ConcurrentDictionary<string, AgentAccount> _byTenant = engine.KvCache<AgentAccount>(KvKey);

    public AgentAccount For(Tenant tenant) => _byTenant.GetOrAdd(tenant.Id, _ => Load(tenant));

    AgentAccount Load(Tenant tenant)
    {
        if (engine.ReadKvDocument(tenant.Id, KvKey) is { } doc)
        {
            var stored = JsonSerializer.Deserialize<AgentAccount>(doc.Json, StoreJson.Options)!;
            stored.Version = doc.Version;
            return stored;
        }
        var c = tenant.CredentialsFor(YobaoxingServices.Supplier);
        return new AgentAccount
        {
            Deposit = Dec(c?["depositBalance"]?.ToString(), 100_000m),
            Rebate = Dec(c?["rebateBalance"]?.ToString(), 10_000m),
            PayPasswordMd5 = c?["payPassword"]?.ToString() is { } pwd ? pwd.Length == 0 ? "" : YobaoxingCrypto.Md5Upper(pwd) : YobaoxingCrypto.Md5Upper("123456"),
            Email = c?["email"]?.ToString() ?? "",
        };
    }

    static decimal Dec(string? s, decimal fallback) => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : fallback;

    /// <summary>Queues the account document on the unit of work; call under the account's lock after changing it.</summary>
    public void Save(UnitOfWork uow, Tenant tenant, AgentAccount account) =>
        engine.WriteKv(uow, tenant.Id, KvKey, JsonSerializer.Serialize(account, StoreJson.Options), account);

    public void ForgetTenant(string tenant) => _byTenant.TryRemove(tenant, out _);
}
