using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

/// <summary>
/// The supplier's key handling (spec §2.5): the .Bin key export/import routine, the 3DES field encryption with
/// the 36-character KEY, and the password formula TripleDes(Upper(MD5(pwd)), KEY).
/// </summary>
public static class YobaoxingCrypto
{
    const string Zeros = "000000000000000000000000";
    static readonly ConcurrentDictionary<string, TripleDesEcb> Ciphers = new(StringComparer.Ordinal);

    /// <summary>§2.5.1 step 1: the export password right-padded with '0' and cut to 24 characters, UTF-8 encoded.</summary>
    public static byte[] ExportKeyBytes(string exportPassword)
    {
        var bytes = Encoding.UTF8.GetBytes((exportPassword + Zeros)[..24]);
        if (bytes.Length != 24)
            throw new ArgumentException("the export password must be ASCII: the supplier's routine UTF-8 encodes 24 characters into the 24-byte TripleDES key");
        return bytes;
    }

    /// <summary>The .Bin file content: Base64(TripleDES-ECB-PKCS7(UTF8(KEY), key = padded export password)).</summary>
    public static string ExportKey(string key, string exportPassword) =>
        Convert.ToBase64String(new TripleDesEcb(ExportKeyBytes(exportPassword)).Encrypt(Encoding.UTF8.GetBytes(key)));

    /// <summary>Recovers the KEY from .Bin content; null when the password or content is wrong.</summary>
    public static string? ImportKey(string binContent, string exportPassword)
    {
        var cipher = FromBase64(binContent);
        if (cipher is null) return null;
        var plain = new TripleDesEcb(ExportKeyBytes(exportPassword)).Decrypt(cipher);
        return plain is null ? null : Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// The field cipher for a KEY (sandbox definition of §2.5.2, the spec's inference): the export routine with
    /// the KEY's first 24 characters as the key. Cached per KEY: building the key schedule is the expensive part.
    /// </summary>
    public static TripleDesEcb FieldCipher(string key)
    {
        if (Ciphers.TryGetValue(key, out var c)) return c;
        if (Ciphers.Count > 10_000) Ciphers.Clear();
        return Ciphers.GetOrAdd(key, k => new TripleDesEcb(ExportKeyBytes(k)));
    }

    public static string Encrypt(string plain, string key) => Convert.ToBase64String(FieldCipher(key).Encrypt(Encoding.UTF8.GetBytes(plain)));

    /// <summary>Decrypts a field; null when it is not valid Base64 ciphertext under this KEY.</summary>
    public static string? Decrypt(string? cipherText, string key)
    {
        if (string.IsNullOrEmpty(cipherText)) return null;
        var cipher = FromBase64(cipherText);
        if (cipher is null) return null;
        var plain = FieldCipher(key).Decrypt(cipher);
        if (plain is null) return null;
        try
        {
            return new UTF8Encoding(false, true).GetString(plain);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Upper-case hex MD5 of the UTF-8 text: the inner part of every password field.</summary>
    public static string Md5Upper(string text) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The login/payment password field: TripleDes(Upper(MD5(password)), KEY).</summary>
    static readonly ConcurrentDictionary<(string Password, string Key), string> PasswordFields = new();

    /// <summary>
    /// TripleDes(Upper(MD5(password)), KEY). ECB makes it the same string every time, and every callback carries it:
    /// computed once per password and KEY.
    /// </summary>
    public static string PasswordField(string password, string key)
    {
        if (PasswordFields.TryGetValue((password, key), out var field)) return field;
        if (PasswordFields.Count > 10_000) PasswordFields.Clear();
        return PasswordFields.GetOrAdd((password, key), k => Encrypt(Md5Upper(k.Password), k.Key));
    }

    /// <summary>
    /// Base64 as integrators send it in query strings: a '+' that was not percent-encoded arrives as a space,
    /// and some clients drop the '=' padding.
    /// </summary>
    static byte[]? FromBase64(string text)
    {
        var s = text.Trim().Replace(' ', '+');
        if (s.Length % 4 != 0) s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
