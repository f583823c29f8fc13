using System.Security.Cryptography;
using System.Text;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// ver=2 MD5 signing (spec §9): every parameter except sign/sign_type and empty values, sorted by name (ordinal),
/// joined as name=value with '&amp;', the tenant's key (安全校验码) appended, lower-case MD5 of the GBK bytes.
/// A signature over the UTF-8 bytes is accepted too, for clients that never transcode.
/// </summary>
public static class BptSignature
{
    static readonly Encoding Gbk = Protocol.Gbk.Encoding;

    static bool Excluded(string name) =>
        name.Equals("sign", StringComparison.OrdinalIgnoreCase) || name.Equals("sign_type", StringComparison.OrdinalIgnoreCase);

    /// <summary>The string signed before the key is appended.</summary>
    public static string Canonical(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters
            .Where(p => !Excluded(p.Key) && p.Value.Length > 0)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));

    public static string Sign(string canonical, string key, Encoding encoding) =>
        Convert.ToHexStringLower(MD5.HashData(encoding.GetBytes(canonical + key)));

    public static string SignGbk(IEnumerable<KeyValuePair<string, string>> parameters, string key) => Sign(Canonical(parameters), key, Gbk);

    public static bool Verify(IEnumerable<KeyValuePair<string, string>> parameters, string key, string? sign)
    {
        if (string.IsNullOrEmpty(sign)) return false;
        var canonical = Canonical(parameters);
        return sign.Equals(Sign(canonical, key, Gbk), StringComparison.OrdinalIgnoreCase)
               || sign.Equals(Sign(canonical, key, Encoding.UTF8), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What the integrator needs to find a mismatch: the canonical string and the expected value, the key masked.</summary>
    public static string Explain(IEnumerable<KeyValuePair<string, string>> parameters, string key, string? sign)
    {
        var canonical = Canonical(parameters);
        return $"ver=2 signature mismatch: expected md5(GBK bytes of \"{canonical}\" + key {Diagnostic.Mask(key)}) = {Sign(canonical, key, Gbk)}" +
               $" (UTF-8 bytes: {Sign(canonical, key, Encoding.UTF8)}), got '{Diagnostic.Clip(sign)}'";
    }
}
