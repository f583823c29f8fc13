using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Sandbox.Tests.Infrastructure;

/// <summary>
/// Golden XML replies, compared like <see cref="Golden"/>: the reply is normalised and compared with
/// tests/Golden/&lt;name&gt;.xml. Values that change from run to run become placeholders: generated ids (orders, sell
/// bills, tickets, documents) are numbered by first appearance within the reply, so that a reply that repeats an id
/// keeps saying so ({order1}); time stamps, dates, MD5 signs and Base64 images become fixed markers ({stamp}, {md5}). Text that is not XML (a
/// payment platform's "success") is compared as it is.
/// </summary>
public static partial class GoldenXml
{
    [GeneratedRegex(@"\b\d{20}\b")] private static partial Regex OrderId();
    [GeneratedRegex(@"\bS\d{17}\b")] private static partial Regex SellBill();
    [GeneratedRegex(@"\b[JZT]\d{19}\b")] private static partial Regex Document();
    [GeneratedRegex(@"\b8\d{15}\b")] private static partial Regex TicketCode();
    [GeneratedRegex(@"\b20\d{12}\b")] private static partial Regex Stamp();
    [GeneratedRegex(@"\b20\d{6}\b")] private static partial Regex Date();
    [GeneratedRegex(@"^[0-9A-F]{32}$")] private static partial Regex Md5();

    /// <summary>Elements whose whole value is the clock (year, HHmmss) rather than a stamp the patterns catch.</summary>
    static readonly HashSet<string> Clock = new(StringComparer.OrdinalIgnoreCase) { "ND", "createtime", "completetime" };

    public static string Normalise(string text)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            return text.Trim();
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Number(string kind, string value)
        {
            if (!names.TryGetValue(value, out var n)) names[value] = n = $"{{{kind}{names.Count(p => p.Value.StartsWith("{" + kind, StringComparison.Ordinal)) + 1}}}";
            return n;
        }
        foreach (var e in doc.Descendants().Where(e => !e.HasElements).ToList())
        {
            var v = e.Value;
            if (e.Name.LocalName == "sign" && Md5().IsMatch(v)) v = "{md5}";
            else if (e.Name.LocalName == "eticketimage" && v.StartsWith("/9j/", StringComparison.Ordinal)) v = "{jpeg base64}";
            else if (Clock.Contains(e.Name.LocalName) && v.Length > 0) v = "{" + e.Name.LocalName + "}";
            else
            {
                v = OrderId().Replace(v, m => Number("order", m.Value));
                v = SellBill().Replace(v, m => Number("sellbill", m.Value));
                v = Document().Replace(v, m => Number("doc", m.Value));
                v = TicketCode().Replace(v, m => Number("ticket", m.Value));
                v = Stamp().Replace(v, "{stamp}");
                v = Date().Replace(v, "{date}");
            }
            // Only a changed value is rewritten: untouched text keeps its form (a CDATA section stays one).
            if (v != e.Value) e.Value = v;
        }
        return (doc.Declaration is { } d ? d + "\n" : "") + doc.Root!.ToString(SaveOptions.None);
    }

    public static void Assert(string name, string reply)
    {
        if (Compare(name, reply) is { } failure) Xunit.Assert.Fail(failure);
    }

    /// <summary>The failure message, or null when the reply matches; lets a test compare many pages and report them all.</summary>
    public static string? Compare(string name, string reply)
    {
        var actual = Normalise(reply).ReplaceLineEndings("\n") + "\n";
        var path = Path.Combine(RepoPaths.Golden, name + ".xml");
        var received = Path.Combine(RepoPaths.Golden, name + ".received.xml");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return $"golden file {path} did not exist; it was written now — review it and run again";
        }
        if (File.ReadAllText(path).ReplaceLineEndings("\n") != actual)
        {
            File.WriteAllText(received, actual);
            return $"reply differs from golden {path}; the new reply is in {received}";
        }
        if (File.Exists(received)) File.Delete(received);
        return null;
    }
}
