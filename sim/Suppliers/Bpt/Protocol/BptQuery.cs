using System.Text;
using System.Text.Unicode;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// The parameters of one BPT request (spec §2): names matched case-insensitively (TRP sends both b2bPwd and
/// b2bpwd), the first occurrence of a name wins, and the list as received is kept for the ver=2 signature.
/// </summary>
public sealed class BptQuery
{
    readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<KeyValuePair<string, string>> AsReceived { get; }

    BptQuery(List<KeyValuePair<string, string>> pairs)
    {
        AsReceived = pairs;
        foreach (var (k, v) in pairs) _byName.TryAdd(k, v);
    }

    public IReadOnlyDictionary<string, string> ByName => _byName;

    /// <summary>The value, or "" when the parameter is absent (BPT treats absent and empty alike).</summary>
    public string this[string name] => _byName.GetValueOrDefault(name) ?? "";

    public bool Has(string name) => _byName.TryGetValue(name, out var v) && v.Length > 0;

    static readonly Encoding Gbk = Protocol.Gbk.Encoding;

    /// <summary>Parameters whose values real clients (BPB, PB3) append without encoding: a raw URL is taken up to the next '&amp;'.</summary>
    static bool IsRawUrlParameter(string name) =>
        name.Equals("callbackurl", StringComparison.OrdinalIgnoreCase) || name.Equals("callbackurlforpay", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a raw query string (with or without the leading '?').</summary>
    public static BptQuery Parse(string? raw)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(raw)) return new BptQuery(pairs);
        var s = raw.AsSpan();
        if (s[0] == '?') s = s[1..];
        while (s.Length > 0)
        {
            var amp = s.IndexOf('&');
            var part = amp < 0 ? s : s[..amp];
            s = amp < 0 ? [] : s[(amp + 1)..];
            if (part.IsEmpty) continue;
            var eq = part.IndexOf('=');
            var name = Decode(eq < 0 ? part : part[..eq]);
            var rawValue = eq < 0 ? [] : part[(eq + 1)..];
            if (name.Length == 0) continue;
            var value = IsRawUrlParameter(name) && LooksLikeRawUrl(rawValue) ? rawValue.ToString() : Decode(rawValue);
            pairs.Add(new(name, value));
        }
        return new BptQuery(pairs);
    }

    static bool LooksLikeRawUrl(ReadOnlySpan<char> v) =>
        v.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || v.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Percent-decodes to bytes ('+' is a space, as HttpUtility.UrlEncode writes it), then reads the bytes as UTF-8
    /// when they are valid UTF-8 and as GBK otherwise: BPB and PB3 encode in UTF-8, TRP in GB2312 (spec §2).
    /// </summary>
    public static string Decode(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAny('%', '+') < 0 && !HasNonAscii(text)) return text.ToString();
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+') bytes[n++] = (byte)' ';
            else if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes[n++] = (byte)(Hex(text[i + 1]) << 4 | Hex(text[i + 2]));
                i += 2;
            }
            else if (c < 0x80) bytes[n++] = (byte)c;
            else
            {
                // Raw non-ASCII in a query (not percent-encoded) is taken as the UTF-8 of that character.
                var width = char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
                n += Encoding.UTF8.GetBytes(text.Slice(i, width), bytes.AsSpan(n));
                i += width - 1;
            }
        }
        var span = bytes.AsSpan(0, n);
        return Utf8.IsValid(span) ? Encoding.UTF8.GetString(span) : Gbk.GetString(span);
    }

    static bool HasNonAscii(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c >= 0x80) return true;
        return false;
    }

    static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>The request as text for the journal: decoded values, in the order received.</summary>
    public string ToJournalText() => string.Join("&", AsReceived.Select(p => p.Key + "=" + p.Value));
}
