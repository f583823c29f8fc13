using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top;

/// <summary>
/// A tenant's TOP app (<c>credentials.top</c>): <c>appKey</c> and <c>appSecret</c>; optionally a standing
/// <c>session</c> for the user <c>userId</c> / <c>userNick</c> (never expires; revocable), its
/// <c>channelAssigned</c> / <c>payAgreementSigned</c> flags, and <c>ipWhitelist</c> (addresses allowed to call; empty
/// = any, code 11 otherwise).
/// </summary>
public sealed record TopCredentials(
    string? AppKey, string AppSecret, string? Session, long UserId, string UserNick, bool ChannelAssigned, bool PayAgreementSigned,
    IReadOnlyList<string> IpWhitelist)
{
    public const string Supplier = "top";
    public const long DefaultUserId = 2_200_000_000_001;

    public static TopCredentials Of(Tenant tenant)
    {
        var c = tenant.CredentialsFor(Supplier) ?? [];
        var userId = c["userId"] is JsonValue u && long.TryParse(u.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : DefaultUserId;
        return new TopCredentials(
            tenant.Credential(Supplier, "appKey"),
            tenant.Credential(Supplier, "appSecret") ?? "",
            tenant.Credential(Supplier, "session") is { Length: > 0 } s ? s : null,
            userId,
            tenant.Credential(Supplier, "userNick") ?? "sandbox_" + userId.ToString(CultureInfo.InvariantCulture),
            Flag(c["channelAssigned"]),
            Flag(c["payAgreementSigned"]),
            c["ipWhitelist"] is JsonArray list ? list.Select(x => x?.ToString() ?? "").Where(x => x.Length > 0).ToList() : []);
    }

    static bool Flag(JsonNode? n) => n is null || !n.ToString().Equals("false", StringComparison.OrdinalIgnoreCase);
}
