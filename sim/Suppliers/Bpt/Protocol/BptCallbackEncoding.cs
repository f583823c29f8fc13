using System.Text;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// Callback framing. The default (single) is the one both public receivers parse: BPB's notify handler on its own
/// HTTP server keeps the raw form value and URL-decodes it once as GB2312, while an ASP.NET page (BPB's SyncTicketCall
/// comment, PB3's notice page) form-decodes it in whatever request encoding the site has and then URL-decodes it once
/// more as GB2312. So the field is V = percent_encode_GBK(xml), and the XML is first made ASCII: every non-ASCII
/// character, '%' and '+' becomes a character reference. The form decoding then yields the same ASCII XML in any
/// request encoding, and the second URL-decode finds nothing left to change. The double framing (F = V encoded once
/// more, spec §6.1, tenant switch callback_encoding=double) suits only receivers that decode twice.
/// Both steps keep RFC 3986 unreserved characters and write a space as '+'.
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

    /// <summary>
    /// The XML with every character outside printable ASCII, and '%' and '+', written as a decimal character reference
    /// (tags and names are ASCII, so only text changes; a passenger's %XX encoding arrives as it was sent).
    /// </summary>
    public static string AsciiXml(string xml)
    {
        var sb = new StringBuilder(xml.Length + 64);
        for (var i = 0; i < xml.Length; i++)
        {
            var c = xml[i];
            if (c is >= ' ' and <= '~' and not '%' and not '+') sb.Append(c);
            else if (char.IsHighSurrogate(c) && i + 1 < xml.Length && char.IsLowSurrogate(xml[i + 1]))
                sb.Append("&#").Append(char.ConvertToUtf32(c, xml[++i])).Append(';');
            else sb.Append("&#").Append((int)c).Append(';');
        }
        return sb.ToString();
    }

    /// <summary>The field value as sent: V of the ASCII XML (the default) or F (tenant switch callback_encoding=double).</summary>
    public static string FieldValue(string xml, bool doubleEncoded) =>
        doubleEncoded ? PercentEncode(Encoding.ASCII.GetBytes(PercentEncode(xml))) : PercentEncode(AsciiXml(xml));
}
