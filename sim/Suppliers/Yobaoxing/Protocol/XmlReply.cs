using System.Globalization;
using System.Text;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

/// <summary>
/// A reply page: <c>&lt;root&gt;&lt;retcode/&gt;&lt;retmsg/&gt;&lt;sign/&gt;</c> then the page's records, well-formed UTF-8 XML
/// with the element names of the spec's opening tags (the document's samples are not well-formed, spec §2.7).
/// <c>sign</c> covers the scalar children of <c>&lt;root&gt;</c> (retcode, retmsg and page totals) by the request rule.
/// </summary>
public sealed class XmlReply
{
    public const string ContentType = "text/xml; charset=utf-8";
    readonly List<KeyValuePair<string, string>> _scalars = [];
    readonly StringBuilder _body = new(256);

    public int Retcode { get; }
    public string Retmsg { get; }

    public XmlReply(int retcode, string retmsg = "")
    {
        Retcode = retcode;
        Retmsg = retmsg;
        _scalars.Add(new("retcode", retcode.ToString(CultureInfo.InvariantCulture)));
        _scalars.Add(new("retmsg", retmsg));
    }

    /// <summary>A scalar directly under &lt;root&gt; (QueryOrderRefund's totals): part of the signed fields.</summary>
    public XmlReply Top(string name, string value)
    {
        _scalars.Add(new(name, value));
        return this;
    }

    public XmlReply Open(string name)
    {
        _body.Append('<').Append(name).Append('>');
        return this;
    }

    public XmlReply Close(string name)
    {
        _body.Append("</").Append(name).Append('>');
        return this;
    }

    public XmlReply Leaf(string name, string? value)
    {
        _body.Append('<').Append(name).Append('>');
        Escape(_body, value ?? "");
        _body.Append("</").Append(name).Append('>');
        return this;
    }

    public XmlReply Leaf(string name, int value) => Leaf(name, value.ToString(CultureInfo.InvariantCulture));

    public XmlReply Leaf(string name, long value) => Leaf(name, value.ToString(CultureInfo.InvariantCulture));

    public XmlReply Money(string name, decimal value) => Leaf(name, Format(value));

    public static string Format(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Encodes the page; <paramref name="key"/> null (caller unknown) or <paramref name="withSign"/> false leaves out &lt;sign&gt;.</summary>
    public SupplierReply Build(string? key, bool withSign = true, int httpStatus = 200)
    {
        var sb = new StringBuilder(_body.Length + 160);
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><root>");
        sb.Append("<retcode>").Append(_scalars[0].Value).Append("</retcode><retmsg>");
        Escape(sb, Retmsg);
        sb.Append("</retmsg>");
        if (withSign && key is not null) sb.Append("<sign>").Append(YobaoxingSign.Sign(_scalars, key)).Append("</sign>");
        for (var i = 2; i < _scalars.Count; i++)
        {
            sb.Append('<').Append(_scalars[i].Key).Append('>');
            Escape(sb, _scalars[i].Value);
            sb.Append("</").Append(_scalars[i].Key).Append('>');
        }
        sb.Append(_body).Append("</root>");
        return new SupplierReply
        {
            HttpStatus = httpStatus,
            ContentType = ContentType,
            Body = Encoding.UTF8.GetBytes(sb.ToString()),
            ResultCode = _scalars[0].Value,
        };
    }

    static void Escape(StringBuilder sb, string s)
    {
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                // Control characters are not allowed in XML 1.0; dropping them keeps every reply well-formed.
                case < ' ' and not '\t' and not '\n' and not '\r': break;
                default:
                    if (char.IsSurrogate(ch) || ch is not ('\uFFFE' or '\uFFFF')) sb.Append(ch);
                    break;
            }
        }
    }
}
