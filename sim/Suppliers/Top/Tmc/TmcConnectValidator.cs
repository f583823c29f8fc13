using System.Globalization;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Top.Tmc.Protocol;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>Why a CONNECT is refused: the CONNECTACK status and phrase of spec §3.3.4.</summary>
public sealed record TmcRefusal(int Status, string Phrase)
{
    public static readonly TmcRefusal InvalidAppKey = new(401, "invalid app_key");
    public static readonly TmcRefusal InvalidGroup = new(402, "invalid group_name");
    public static readonly TmcRefusal InvalidSign = new(403, "invalid sign");
    public static readonly TmcRefusal TimestampOutOfRange = new(408, "timestamp out of range");
}

/// <summary>The outcome of a CONNECT check: the tenant and group, or a refusal with a diagnostic for the journal.</summary>
public sealed record TmcConnectCheck(Tenant? Tenant, string? Group, TmcRefusal? Refusal, string? Diagnostic);

/// <summary>
/// Checks a CONNECT (spec §3.3.4): the app key names a tenant (<c>credentials.top.appKey</c>), the group exists, the
/// timestamp (epoch ms) is within the tolerance of the real time or of the tenant's virtual time, and the md5 sign
/// matches <c>credentials.top.appSecret</c>. Each outcome is journalled as operation <c>tmc.connect</c>, a refused
/// sign with the canonical string expected (secret masked), as the gateway does for a signature mismatch.
/// </summary>
public sealed class TmcConnectValidator(TenantRegistry tenants, VirtualClock clock, RequestJournal journal)
{
    public const string Supplier = "top";
    public const string IdentityField = "appKey";
    public const string SecretField = "appSecret";

    public TmcConnectCheck Check(TmcFrame connect, DateTimeOffset realNow)
    {
        var appKey = connect.Text("app_key");
        if (tenants.FindByCredential(Supplier, appKey) is not { Disabled: false } tenant)
            return new(null, null, TmcRefusal.InvalidAppKey, $"no tenant has credentials.top.appKey '{appKey}'");
        var settings = TmcSettings.For(tenant);
        var groupName = connect.Text("group_name");
        var group = string.IsNullOrWhiteSpace(groupName) ? TmcSettings.DefaultGroup : groupName;
        if (!settings.HasGroup(group))
            return new(tenant, null, TmcRefusal.InvalidGroup,
                $"the app has no group '{group}' (groups: {string.Join(", ", new[] { TmcSettings.DefaultGroup }.Concat(settings.Groups.Select(g => g.Name)))})");
        var timestamp = connect.Text("timestamp") ?? connect.Integer("timestamp")?.ToString(CultureInfo.InvariantCulture);
        if (!long.TryParse(timestamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || !Near(ms, realNow, clock.Now(tenant.Id), settings.TimestampTolerance))
            return new(tenant, null, TmcRefusal.TimestampOutOfRange,
                $"timestamp '{timestamp}' is not epoch milliseconds within {settings.TimestampTolerance.TotalSeconds:0} s of now ({realNow.ToUnixTimeMilliseconds()})");
        var secret = tenant.Credential(Supplier, SecretField) ?? "";
        if (!TmcSign.Verify(secret, appKey, groupName, timestamp, connect.Text("sign")))
            return new(tenant, null, TmcRefusal.InvalidSign,
                $"expected sign = upper(hex(md5(secret + \"{TmcSign.Canonical(appKey, groupName, timestamp)}\" + secret))) with secret {Mask(secret)}");
        return new(tenant, group, null, null);
    }

    static bool Near(long ms, DateTimeOffset realNow, DateTimeOffset virtualNow, TimeSpan tolerance) =>
        Math.Abs(ms - realNow.ToUnixTimeMilliseconds()) <= tolerance.TotalMilliseconds
        || Math.Abs(ms - virtualNow.ToUnixTimeMilliseconds()) <= tolerance.TotalMilliseconds;

    static string Mask(string secret) => secret.Length <= 4 ? "****" : secret[..4] + new string('*', secret.Length - 4);

    public void Journal(TmcFrame connect, TmcConnectCheck check, string remote, string path)
    {
        var request = string.Join(", ", connect.Headers.Where(h => h.Key != "sign").Select(h => $"{h.Key}={h.Value}"));
        journal.Record(new JournalEntry(
            clock.RealNow.ToUnixTimeMilliseconds(), check.Tenant?.Id, Supplier, "tmc.connect", "WS", path, null, 101,
            check.Refusal is { } r ? r.Status.ToString(CultureInfo.InvariantCulture) : "0",
            check.Refusal == TmcRefusal.InvalidSign ? "failed" : check.Refusal is null ? "ok" : "none", 0, null,
            $"CONNECT from {remote}: {request}", null, check.Refusal?.Phrase ?? "CONNECTACK", null, check.Diagnostic));
    }
}
