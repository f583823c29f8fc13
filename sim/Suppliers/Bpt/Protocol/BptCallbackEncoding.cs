using System.Text;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// Callback framing (spec §6.1): the XML is percent-encoded in GBK (V), then V is percent-encoded once more (F),
/// so that the receiver's form decoding yields V whatever request encoding its web server assumes, and its own
/// GB2312 URL-decode yields the XML. Both steps keep RFC 3986 unreserved characters and write a space as '+'.
/// </summary>
public static class BptCallbackEncoding
{
    static readonly Encoding Gbk = Protocol.Gbk.Encoding;

    /// <summary>V = percent_encode_GBK(text), upper-case hex.</summary>
    public static string PercentEncode(string text) => PercentEncode(Gbk.GetBytes(text));

    static string PercentEncode(byte[] bytes)
    {
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
                sb.Append((char)b);
            else if (b == (byte)' ') sb.Append('+');
            else sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
        }
        return sb.ToString();
    }

    /// <summary>The field value as sent: F (double, the default) or V (tenant switch callback_encoding=single).</summary>
    public static string FieldValue(string xml, bool doubleEncoded)
    {
        var v = PercentEncode(xml);
        return doubleEncoded ? PercentEncode(Encoding.ASCII.GetBytes(v)) : v;
    }
}
