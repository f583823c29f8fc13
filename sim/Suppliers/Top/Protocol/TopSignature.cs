using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// TOP request signing (spec §1.4, the Java SDK's <c>TaobaoUtils.signTopRequest</c>): every parameter but
/// <c>sign</c> and file parts, keys in ordinal order, <c>key + value</c> concatenated with no separator and no
/// URL-encoding, UTF-8; <c>md5</c> wraps the string in the secret, <c>hmac</c> (HMAC-MD5) and <c>hmac-sha256</c> key
/// the MAC with it; upper-case hex.
/// </summary>
public static class TopSignature
{
    public static readonly string[] Methods = ["md5", "hmac", "hmac-sha256"];

    /// <summary>How a client treated empty values when it signed.</summary>
    public enum EmptyValues
    {
        /// <summary>Java (<c>StringUtils.areNotEmpty</c>: empty or blank values skipped) and Go (never sends them).</summary>
        Skipped,
        /// <summary>PHP and the Node SDK: an empty value still contributes its key.</summary>
        KeyKept,
    }

    public static bool IsMethod(string? signMethod) => signMethod is "md5" or "hmac" or "hmac-sha256";

    /// <summary>The concatenation fed to the digest (without the md5 secret wrapping).</summary>
    public static string Canonical(IEnumerable<KeyValuePair<string, string>> parameters, EmptyValues empty)
    {
        var sorted = parameters.Where(p => p.Key != "sign" && p.Key.Length > 0).OrderBy(p => p.Key, StringComparer.Ordinal);
        var sb = new StringBuilder(512);
        foreach (var (k, v) in sorted)
        {
            if (empty == EmptyValues.Skipped && string.IsNullOrWhiteSpace(v)) continue;
            sb.Append(k).Append(v);
        }
        return sb.ToString();
    }

    public static string Sign(string canonical, string secret, string signMethod)
    {
        var data = Encoding.UTF8.GetBytes(canonical);
        var key = Encoding.UTF8.GetBytes(secret);
        var digest = signMethod switch
        {
            "md5" => MD5.HashData([.. key, .. data, .. key]),
            "hmac" => HMACMD5.HashData(key, data),
            "hmac-sha256" => HMACSHA256.HashData(key, data),
            _ => throw new ArgumentException($"unsupported sign_method '{signMethod}'", nameof(signMethod)),
        };
        return Convert.ToHexString(digest);
    }

    /// <summary>
    /// Signs <paramref name="parameters"/> the way a client would; the variants a verifier accepts are the two empty-value
    /// conventions, and for multipart requests also the Go SDK's, which signs each file as <c>@file name</c>.
    /// </summary>
    public static IEnumerable<string> Candidates(TopRequest request, string secret, string signMethod)
    {
        yield return Sign(Canonical(request.Params, EmptyValues.Skipped), secret, signMethod);
        if (request.Params.Values.Any(string.IsNullOrWhiteSpace))
            yield return Sign(Canonical(request.Params, EmptyValues.KeyKept), secret, signMethod);
        if (request.Files.Count > 0)
            yield return Sign(Canonical(WithFileNames(request), EmptyValues.Skipped), secret, signMethod);
    }

    static IEnumerable<KeyValuePair<string, string>> WithFileNames(TopRequest request) =>
        request.Params.Concat(request.Files.Select(f => KeyValuePair.Create(f.Key, "@" + f.Value.FileName)));

    public static bool Verify(TopRequest request, string secret, string signMethod, string sign)
    {
        var given = Encoding.ASCII.GetBytes(sign.Trim().ToUpperInvariant());
        foreach (var expected in Candidates(request, secret, signMethod))
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), given))
                return true;
        return false;
    }

    /// <summary>
    /// Explains a mismatch like AWS explains a SigV4 failure: the string the sandbox digested (secret masked, middle cut
    /// when long, non-ASCII escaped so the header stays ASCII) and the end of the signature it expected.
    /// </summary>
    public static string Explain(TopRequest request, string secret, string signMethod, string sign)
    {
        var canonical = Canonical(request.Params, EmptyValues.Skipped);
        var expected = Sign(canonical, secret, signMethod);
        var masked = Mask(secret);
        var how = signMethod switch
        {
            "md5" => $"MD5(secret + S + secret), secret {masked}",
            "hmac" => $"HMAC-MD5(key = secret {masked}, S)",
            _ => $"HMAC-SHA256(key = secret {masked}, S)",
        };
        var head = $"sign mismatch: sign_method={signMethod}, expected {how}, upper-case hex, ending '...{expected[^8..]}'; received '{TopDiagnostic.Ascii(Clip(sign))}'. " +
                   "S = every parameter but sign and files, keys in ordinal order, key+value with no separators, no URL-encoding, UTF-8" +
                   (request.Params.Values.Any(string.IsNullOrWhiteSpace) ? " (empty values skipped; their keys alone are accepted too)" : "") + ": S='";
        var budget = TopDiagnostic.MaxLength - head.Length - 1;
        return head + Excerpt(TopDiagnostic.Ascii(canonical), budget) + "'";
    }

    static string Mask(string secret) => secret.Length <= 4 ? "****" : secret[..2] + new string('*', secret.Length - 2);

    static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "...";

    static string Excerpt(string s, int budget)
    {
        if (s.Length <= budget) return s;
        var marker = $"...({s.Length} chars, middle omitted)...";
        var keep = Math.Max(0, budget - marker.Length);
        return s[..(keep * 2 / 3)] + marker + s[^(keep - keep * 2 / 3)..];
    }
}
