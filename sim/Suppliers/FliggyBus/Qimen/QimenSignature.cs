using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>
/// The Qimen signature as the merchant's <c>SpiUtils.checkSign</c> verifies it (spec §2.2):
/// <c>UPPER(HEX(MD5(secret + Σ sorted(key + value) + body + secret)))</c> over the signed headers, the query
/// parameters and (for form requests) the form fields, <c>sign</c> left out. Unlike TOP signing, an empty value
/// is not skipped: it contributes its key alone.
/// </summary>
public static class QimenSignature
{
    public const string SignParameter = "sign";

    /// <summary>
    /// The string the MD5 runs over. <paramref name="parameters"/> is the merged map (headers, then query, then
    /// form; later keys win); keys sort ordinally like Java's <c>Arrays.sort</c> on strings.
    /// </summary>
    public static string StringToSign(IReadOnlyDictionary<string, string> parameters, string? body, string secret)
    {
        var keys = parameters.Keys.Where(k => k != SignParameter).ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var sb = new StringBuilder(secret);
        foreach (var key in keys) sb.Append(key).Append(parameters[key]);
        if (body is not null) sb.Append(body);
        return sb.Append(secret).ToString();
    }

    /// <summary>The sign of a string to sign, in the request charset (UTF-8 unless the Content-Type says otherwise).</summary>
    public static string Sign(string stringToSign, Encoding? charset = null) =>
        Convert.ToHexString(MD5.HashData((charset ?? Encoding.UTF8).GetBytes(stringToSign)));

    /// <summary>The string to sign with the secret replaced, for call logs and diagnostics.</summary>
    public static string Mask(string stringToSign, string secret) =>
        secret.Length > 0 && stringToSign.Length >= 2 * secret.Length && stringToSign.StartsWith(secret, StringComparison.Ordinal)
                          && stringToSign.EndsWith(secret, StringComparison.Ordinal)
            ? "{secret}" + stringToSign[secret.Length..^secret.Length] + "{secret}"
            : stringToSign;
}
