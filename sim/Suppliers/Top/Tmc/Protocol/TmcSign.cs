using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Suppliers.Top.Tmc.Protocol;

/// <summary>
/// The CONNECT sign (spec §3.3.4): TOP md5 signing over app_key, group_name and timestamp — upper-case hex of
/// MD5(secret + k1v1k2v2k3v3 + secret) with the keys sorted and empty values skipped, as tmc.js lib/consumer.js
/// sign() and Java TmcClient (TaobaoUtils.signTopRequestNew) compute it.
/// </summary>
public static class TmcSign
{
    public static string Canonical(string? appKey, string? groupName, string? timestamp)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in new[] { ("app_key", appKey), ("group_name", groupName), ("timestamp", timestamp) })
            if (!string.IsNullOrWhiteSpace(v)) sb.Append(k).Append(v);
        return sb.ToString();
    }

    public static string Sign(string secret, string? appKey, string? groupName, string? timestamp) =>
        Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(secret + Canonical(appKey, groupName, timestamp) + secret)));

    public static bool Verify(string secret, string? appKey, string? groupName, string? timestamp, string? sign) =>
        sign is not null && string.Equals(Sign(secret, appKey, groupName, timestamp), sign.Trim(), StringComparison.OrdinalIgnoreCase);
}
