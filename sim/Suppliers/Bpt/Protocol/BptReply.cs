using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>How the caller asked for the reply: <c>fmt</c> (xml/json) and <c>xmlhashead</c> (spec §2).</summary>
public readonly record struct ReplyFormat(bool Json, bool XmlDeclaration)
{
    public static readonly ReplyFormat Default = new(false, true);

    /// <summary>The declaration is present unless xmlhashead=false; fmt defaults to xml.</summary>
    public static ReplyFormat Of(BptQuery q) =>
        new(q["fmt"].Equals("json", StringComparison.OrdinalIgnoreCase), !q["xmlhashead"].Equals("false", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A BPT reply as an ordered element tree. Element order is the samples' order (clients that parse by position or
/// substring depend on it); XML and JSON are written from the same tree, both GBK-encoded (spec §2, §4).
/// </summary>
public sealed class BptReply
{
    public const string XmlDeclaration = "<?xml version=\"1.0\" encoding=\"GB2312\"?>";
    public static readonly Encoding Gbk = Protocol.Gbk.Encoding;

    readonly Element _root;

    public BptReply(string root) => _root = new Element(root, null);

    public string RootName => _root.Name;

    /// <summary>The scalar <c>code</c> (or <c>Code</c>) for the journal's result column.</summary>
    public string? Code => _root.Children?.FirstOrDefault(c => c.Name.Equals("code", StringComparison.OrdinalIgnoreCase))?.Value;

    public BptReply Add(string name, string? value)
    {
        _root.Add(name, value ?? "");
        return this;
    }

    /// <summary>In JSON only, repeats the last child under a second name right after it.</summary>
    public BptReply AliasInJson(string alias)
    {
        _root.Children![^1].JsonAlias = alias;
        return this;
    }

    /// <summary>Replaces a scalar child's text, or appends the child (a scenario rule's <c>set:</c>).</summary>
    public void Set(string name, string value)
    {
        var existing = _root.Children?.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && c.Children is null);
        if (existing is not null) existing.Value = value;
        else _root.Add(name, value);
    }

    /// <summary>A nested element with scalar children (<c>pay</c>, <c>result</c>).</summary>
    public Element Child(string name) => _root.Child(name);

    /// <summary>A container of repeated items (<c>policies</c>/<c>policy</c>, <c>tickets</c>/<c>ticket</c>).</summary>
    public Element List(string name, string item) => _root.List(name, item);

    /// <summary>A reply that is only a root element with text (TRP's legacy <c>&lt;errorInfo&gt;text&lt;/errorInfo&gt;</c>).</summary>
    public static BptReply TextRoot(string root, string text)
    {
        var r = new BptReply(root);
        r._root.Value = text;
        return r;
    }

    public string ToXml(bool declaration)
    {
        var sb = new StringBuilder(256);
        if (declaration) sb.Append(XmlDeclaration);
        _root.WriteXml(sb);
        return sb.ToString();
    }

    static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, JsonOptions))
        {
            w.WriteStartObject();
            w.WritePropertyName(_root.Name);
            _root.WriteJsonValue(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    public SupplierReply Encode(ReplyFormat format)
    {
        var text = format.Json ? ToJson() : ToXml(format.XmlDeclaration);
        return new SupplierReply
        {
            ContentType = format.Json ? "application/json; charset=GB2312" : "text/xml; charset=GB2312",
            Body = Gbk.GetBytes(text),
            ResultCode = Code,
            JournalText = text,
        };
    }

    public sealed class Element(string name, string? value)
    {
        public string Name { get; } = name;
        public string? Value { get; internal set; } = value;
        public List<Element>? Children { get; private set; }
        /// <summary>Set on containers: the name of their repeated item, so that an empty container is still an array in JSON.</summary>
        public string? ItemName { get; private init; }
        public string? JsonAlias { get; internal set; }

        public Element Add(string child, string? text)
        {
            (Children ??= []).Add(new Element(child, text ?? ""));
            return this;
        }

        public Element Child(string child)
        {
            var e = new Element(child, null);
            (Children ??= []).Add(e);
            return e;
        }

        public Element List(string child, string item)
        {
            var e = new Element(child, null) { ItemName = item };
            (Children ??= []).Add(e);
            return e;
        }

        /// <summary>A new repeated item inside this container.</summary>
        public Element Item() => Child(ItemName ?? throw new InvalidOperationException($"{Name} is not a list"));

        internal void WriteXml(StringBuilder sb)
        {
            sb.Append('<').Append(Name).Append('>');
            if (Children is not null)
                foreach (var c in Children) c.WriteXml(sb);
            else if (Value is not null) Escape(sb, Value);
            sb.Append("</").Append(Name).Append('>');
        }

        internal void WriteJsonValue(Utf8JsonWriter w)
        {
            if (ItemName is not null)
            {
                w.WriteStartObject();
                w.WritePropertyName(ItemName);
                w.WriteStartArray();
                foreach (var c in Children ?? []) c.WriteJsonValue(w);
                w.WriteEndArray();
                w.WriteEndObject();
                return;
            }
            if (Children is null)
            {
                w.WriteStringValue(Value ?? "");
                return;
            }
            w.WriteStartObject();
            foreach (var c in Children)
            {
                w.WritePropertyName(c.Name);
                c.WriteJsonValue(w);
                if (c.JsonAlias is null) continue;
                w.WritePropertyName(c.JsonAlias);
                c.WriteJsonValue(w);
            }
            w.WriteEndObject();
        }

        /// <summary>
        /// Markup escaped; a character XML 1.0 cannot carry (control characters, lone surrogates — an echoed value in
        /// UTF-16 or raw bytes) becomes '?', as GBK writes what it cannot encode, so the reply always parses.
        /// </summary>
        static void Escape(StringBuilder sb, string s)
        {
            for (var i = 0; i < s.Length; i++)
            {
                var ch = s[i];
                switch (ch)
                {
                    case '&': sb.Append("&amp;"); break;
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case var _ when char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]):
                        sb.Append(ch).Append(s[++i]);
                        break;
                    case var _ when !System.Xml.XmlConvert.IsXmlChar(ch): sb.Append('?'); break;
                    default: sb.Append(ch); break;
                }
            }
        }
    }
}

/// <summary>Amounts as the samples write them (spec §4): a .NET/Java double with at least one decimal, rebates with two.</summary>
public static class Amount
{
    /// <summary>1180 → 1180.0, 1289.2 → 1289.2, 1289.25 → 1289.25.</summary>
    public static string Money(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("0.0#", CultureInfo.InvariantCulture);

    /// <summary>policynum (6.00) and newqueryorder's payprice (3225.00).</summary>
    public static string Two(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    public static bool TryParse(string s, out decimal v) =>
        decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out v);
}
