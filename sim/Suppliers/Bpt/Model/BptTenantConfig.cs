using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Bpt.Model;

/// <summary>An airline B2B login the tenant's server holds; <c>airlines</c> empty means every airline.</summary>
public sealed record B2bAccount(string User, string? Password, IReadOnlySet<string> Airlines);

/// <summary>
/// A tenant's BPT set-up: credentials.bpt (PID, 安全校验码, default Alipay account, signed accounts, B2B logins)
/// and settings.bpt — what the real server's assistant programs (本票通服务器版小助手, 多支付账户小助手) hold
/// (rules document §4.3–§4.5). Scenario <c>settings:</c> give defaults; the tenant's settings win.
/// Parsed once per tenant version: a tenant update replaces the Tenant object, so the cache key is the object.
/// </summary>
public sealed class BptTenantConfig
{
    public string? Partner { get; private init; }
    public string? Key { get; private init; }
    /// <summary>The default Alipay account (the one set in the assistant).</summary>
    public string? PayAccount { get; private init; }
    /// <summary>Accounts signed for withholding in 多支付账户小助手 (multiple-account mode).</summary>
    public IReadOnlyList<string> PayAccounts { get; private init; } = [];
    public IReadOnlyList<B2bAccount> B2bAccounts { get; private init; } = [];

    /// <summary>Airlines allowed to auto-ticket (设置允许自动出票的航空公司); null = all.</summary>
    public IReadOnlySet<string>? AutoTicketAirlines { get; private init; }
    /// <summary>单/多支付宝账户模式.</summary>
    public bool MultipleAccounts { get; private init; }
    /// <summary>平台第三方代扣: the request's payaccount is charged; off: the assistant's account is.</summary>
    public bool PlatformWithholding { get; private init; } = true;
    /// <summary>The account chosen in 多支付账户小助手 when platform withholding is off (multiple-account mode).</summary>
    public string? DeductAccount { get; private init; }
    /// <summary>b2b_login=listed: only credentials.bpt.b2baccounts log in; any (default): every non-empty login does (spec §3).</summary>
    public bool ListedB2bOnly { get; private init; }
    public bool PlainPassengerNames { get; private init; }
    /// <summary>callback_encoding=double (spec §6.1's F); single, the default, is the framing both public receivers parse.</summary>
    public bool DoubleEncodedCallbacks { get; private init; }
    public bool CallbacksByGet { get; private init; }

    sealed class Holder(Scenario scenario, BptTenantConfig config)
    {
        public Scenario Scenario { get; } = scenario;
        public BptTenantConfig Config { get; } = config;
    }

    static readonly ConditionalWeakTable<Tenant, Holder> Cache = new();

    public static BptTenantConfig For(Tenant tenant, Scenario scenario)
    {
        if (Cache.TryGetValue(tenant, out var h) && ReferenceEquals(h.Scenario, scenario)) return h.Config;
        var config = Parse(tenant, scenario);
        Cache.AddOrUpdate(tenant, new Holder(scenario, config));
        return config;
    }

    /// <summary>Credentials only (tenant resolution runs before a scenario is chosen).</summary>
    public static BptTenantConfig Credentials(Tenant tenant) => Parse(tenant, null);

    static BptTenantConfig Parse(Tenant tenant, Scenario? scenario)
    {
        var c = tenant.CredentialsFor(BptServices.Supplier) ?? [];
        var s = tenant.SettingsFor(BptServices.Supplier);
        var defaults = scenario?.Settings ?? [];
        JsonNode? Setting(string name) => s[name] ?? defaults[name];
        string? Str(JsonNode? n) => n is JsonValue v ? v.ToString() : null;
        bool Flag(string name, bool fallback) => Str(Setting(name)) is { } v ? v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" : fallback;
        return new BptTenantConfig
        {
            Partner = Str(c["partner"]),
            Key = Str(c["key"]),
            PayAccount = Str(c["payaccount"]),
            PayAccounts = Strings(c["payaccounts"]),
            B2bAccounts = c["b2baccounts"] is JsonArray list
                ? list.OfType<JsonObject>().Where(o => Str(o["user"]) is { Length: > 0 })
                    .Select(o => new B2bAccount(Str(o["user"])!, Str(o["password"]),
                        Strings(o["airlines"]).Select(a => a.ToUpperInvariant()).ToHashSet()))
                    .ToList()
                : [],
            AutoTicketAirlines = Setting("auto_ticket_airlines") is { } airlines && Strings(airlines) is { Count: > 0 } codes && !codes.Contains("*")
                ? codes.Select(a => a.ToUpperInvariant()).ToHashSet()
                : null,
            MultipleAccounts = Str(Setting("payment_accounts"))?.Equals("multiple", StringComparison.OrdinalIgnoreCase) == true,
            PlatformWithholding = Flag("platform_withholding", true),
            DeductAccount = Str(Setting("deduct_account")),
            ListedB2bOnly = Str(Setting("b2b_login"))?.Equals("listed", StringComparison.OrdinalIgnoreCase) == true,
            PlainPassengerNames = Str(Setting("passenger_name_encoding"))?.Equals("plain", StringComparison.OrdinalIgnoreCase) == true,
            DoubleEncodedCallbacks = Str(Setting("callback_encoding"))?.Equals("double", StringComparison.OrdinalIgnoreCase) == true,
            CallbacksByGet = Str(Setting("callback_method"))?.Equals("GET", StringComparison.OrdinalIgnoreCase) == true,
        };
    }

    /// <summary>A list of strings, or one comma-separated string.</summary>
    static List<string> Strings(JsonNode? n) => n switch
    {
        JsonArray a => a.Select(x => x?.ToString() ?? "").Where(x => x.Length > 0).ToList(),
        JsonValue v => v.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        _ => [],
    };

    public B2bAccount? FindB2b(string user) => B2bAccounts.FirstOrDefault(a => a.User == user);

    /// <summary>
    /// Whether the airline B2B login works (spec §3): any non-empty login by default; with b2b_login=listed the
    /// user must be listed (B2A accounts are case-sensitive, rules document §5), with its password and airline.
    /// </summary>
    public bool B2bLoginOk(string user, string password, string air)
    {
        if (user.Length == 0 || password.Length == 0) return false;
        if (!ListedB2bOnly) return true;
        return FindB2b(user) is { } a && (a.Password is null || a.Password == password) && (a.Airlines.Count == 0 || a.Airlines.Contains(air));
    }

    public bool AutoTicketEnabled(string air) => AutoTicketAirlines is null || AutoTicketAirlines.Contains(air);

    /// <summary>
    /// The Alipay account a payment charges (rules document §4.3): with platform withholding (平台第三方代扣) the
    /// request's payaccount, or the default when absent (spec §1); without it the request's value is ignored and the
    /// assistant's account is charged — in multiple-account mode the one chosen in 多支付账户小助手 (deduct_account).
    /// Returns the account, or the refusal text when none can be charged.
    /// </summary>
    public (string? Account, string? Refusal) ChargedAccount(string requested)
    {
        if (PlatformWithholding && requested.Length > 0) return (requested, null);
        if (!PlatformWithholding && MultipleAccounts && DeductAccount is { Length: > 0 } chosen)
            return PayAccounts.Contains(chosen) || chosen == PayAccount ? (chosen, null) : (null, $"支付宝账户{chosen}未签约第三方代扣");
        return PayAccount is { Length: > 0 } account ? (account, null) : (null, "未设置支付宝扣款账户，请在小助手中设置");
    }
}
