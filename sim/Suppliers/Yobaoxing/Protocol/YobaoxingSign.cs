using System.Text;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

/// <summary>
/// The sandbox definition of the MD5 <c>sign</c> the document never defines (spec §2.6, docs/suppliers/yobaoxing.md):
/// every non-empty parameter except <c>sign</c> and <c>sign_type</c>, names lower-cased, values exactly as sent
/// (encrypted ones in their Base64 form, after URL-decoding), sorted by name (ordinal), joined as name=value with
/// '&amp;', then "&amp;key=" + KEY; MD5 over UTF-8, upper-case hex. Replies and callbacks are signed by the same rule
/// over their own fields.
/// </summary>
public static class YobaoxingSign
{
    public static string Canonical(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var pairs = fields
            .Where(p => p.Value.Length > 0 && !IsExcluded(p.Key))
            .Select(p => (Name: p.Key.ToLowerInvariant(), p.Value))
            .OrderBy(p => p.Name, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (sb.Length > 0) sb.Append('&');
            sb.Append(name).Append('=').Append(value);
        }
        return sb.ToString();
    }

    static bool IsExcluded(string name) =>
        name.Equals("sign", StringComparison.OrdinalIgnoreCase) || name.Equals("sign_type", StringComparison.OrdinalIgnoreCase);

    public static string StringToSign(IEnumerable<KeyValuePair<string, string>> fields, string key) => Canonical(fields) + "&key=" + key;

    public static string Sign(IEnumerable<KeyValuePair<string, string>> fields, string key) => YobaoxingCrypto.Md5Upper(StringToSign(fields, key));

    public static bool Verify(IEnumerable<KeyValuePair<string, string>> fields, string key, string? sign) =>
        sign is not null && Sign(fields, key).Equals(sign.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>What the integrator should have signed, the KEY masked, for the X-Sandbox-Diagnostic header.</summary>
    public static string Explain(IEnumerable<KeyValuePair<string, string>> fields, string key, string? sign)
    {
        var list = fields.ToList();
        return $"sign mismatch: expected MD5(UTF-8(\"{Canonical(list)}&key={Diagnostic.Mask(key)}\")) upper-case hex = {Sign(list, key)}, got '{Diagnostic.Clip(sign)}'";
    }
}
