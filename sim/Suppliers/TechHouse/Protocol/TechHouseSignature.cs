using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>
/// The TechHouse <c>signature</c> (spec §2.3, reproduced from the document's sample): Base64 of AES-256-CBC
/// over UTF-8 <c>key&amp;timestamp</c>, AES key = the secret's bytes zero-padded or truncated to 32, IV = 16 zero
/// bytes, PKCS#7. Deterministic, so verification re-encrypts and compares.
/// </summary>
public static class TechHouseSignature
{
    static readonly ConcurrentDictionary<string, ConcurrentBag<Aes>> Pools = new(StringComparer.Ordinal);
    static readonly byte[] ZeroIv = new byte[16];

    public static string Sign(string key, string secret, string timestamp)
    {
        var bag = Pools.GetOrAdd(secret, _ => []);
        if (!bag.TryTake(out var aes))
        {
            aes = Aes.Create();
            aes.Key = AesKey(secret);
        }
        try
        {
            var plain = Encoding.UTF8.GetBytes(key + "&" + timestamp);
            return Convert.ToBase64String(aes.EncryptCbc(plain, ZeroIv, PaddingMode.PKCS7));
        }
        finally
        {
            bag.Add(aes);
        }
    }

    public static byte[] AesKey(string secret)
    {
        var k = new byte[32];
        var s = Encoding.UTF8.GetBytes(secret);
        Array.Copy(s, k, Math.Min(32, s.Length));
        return k;
    }

    public static bool Verify(string key, string secret, string timestamp, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(key, secret, timestamp));
        var actual = Encoding.ASCII.GetBytes(signature.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>
    /// Explains a mismatch the way AWS explains a SigV4 failure: the exact plaintext that was signed and how,
    /// with the key and secret masked and only a prefix of the expected value.
    /// </summary>
    public static string Explain(string key, string secret, string timestamp, string signature)
    {
        var expected = Sign(key, secret, timestamp);
        var secretLength = Encoding.UTF8.GetByteCount(secret);
        var keyNote = secretLength == 32 ? "32 bytes" : secretLength < 32 ? $"{secretLength} bytes, zero-padded to 32" : $"{secretLength} bytes, truncated to 32";
        return $"signature mismatch: plaintext '{Diagnostic.Mask(key)}&{Diagnostic.Clip(timestamp)}' (key&timestamp exactly as sent, UTF-8); " +
               $"AES-256-CBC, key = secret {Diagnostic.Mask(secret)} ({keyNote}), IV = 16 zero bytes, PKCS7, Base64; " +
               $"expected value ends '…{expected[^8..]}' ({expected.Length} chars), received ends '…{(signature.Length > 8 ? signature[^8..] : signature)}' ({signature.Length} chars)";
    }
}
