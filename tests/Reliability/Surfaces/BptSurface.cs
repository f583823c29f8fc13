using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Sandbox.Suppliers.Bpt.Protocol;
using Sandbox.Tests.Bpt;
using Sandbox.Tests.Reliability.Hostile;

namespace Sandbox.Tests.Reliability.Surfaces;

/// <summary>BPT: GET /alidz.do?cmd=… on its own port; GBK XML (or JSON) with code/Code, TRP's bare errorInfo, or 405 empty.</summary>
public sealed class BptSurface : ISupplierSurface
{
    public string Supplier => "bpt";
    public string Listener => "bpt";

    public IReadOnlyList<string> Operations { get; } =
    [
        "checkclt", "newquerypricebypnr", "input", "pay", "ticketoutcallback", "ticketout", "newqueryorder", "orderex",
        "querypricebypnrex", "queryorder", "order",
    ];

    public bool IsOutboundOrAdmin(string operation) => operation is "ticketnoinfo" or "paymentinfo" or "cancel" or "void" or "negotiate";

    static readonly (string Name, string Value)[] Params =
    [
        ("pnr", "NJD40G"), ("pnrc", "HV7SEK"), ("bigpnr", "1"), ("air", "HU"), ("pnrsrcid", "P0001"), ("b2buser", "urc221"), ("b2bpwd", "sandboxpwd"),
        ("fmt", "xml"), ("xmlhashead", "false"), ("callbackurl", "http://127.0.0.1:9/cb"), ("callbackurlforpay", "http://127.0.0.1:9/pay"),
        ("payaccount", "buyer@example.com"), ("autopayflag", "1"), ("checkprice", "0-295"), ("getticketovertime", "3"), ("ticketprice", "1180"),
        ("qrytype", "one"), ("srcticketprice", "1180"), ("tktno", "880-2100000001"), ("srcpolicynum", "6"), ("hu_linkman", "王永磊"),
    ];

    public HostileRequest Generate(Random rng, string operation, string category, string host)
    {
        var ps = new List<(string Name, string Value)> { ("cmd", operation) };
        ps.AddRange(Params.OrderBy(_ => rng.Next()).Take(rng.Next(2, 10)));
        if (rng.Next(4) == 0) ps.Add(("fmt", "json"));
        var method = "GET";
        var path = rng.Next(5) == 0 ? "/" : "/alidz.do";
        var headers = new List<(string, string)>();
        var delivery = Delivery.Whole;
        byte[]? body = null;
        long? declared = null;
        string? rawQuery = null;
        switch (category)
        {
            case Categories.WrongType:
                Replace(rng, ps, Values.WrongScalar(rng));
                break;
            case Categories.Missing:
                for (var k = rng.Next(1, 4); k > 0 && ps.Count > 1; k--) ps.RemoveAt(rng.Next(ps.Count));
                break;
            case Categories.Duplicated:
                var (dup, _) = ps[rng.Next(ps.Count)];
                ps.Insert(rng.Next(ps.Count + 1), (dup, Values.WrongScalar(rng)));
                break;
            case Categories.CaseVaried:
                for (var i = 0; i < ps.Count; i++) ps[i] = (Values.CaseVaried(rng, ps[i].Name), ps[i].Value);
                break;
            case Categories.Injection:
                Replace(rng, ps, Values.Injection(rng));
                break;
            case Categories.WrongEncoding:
                var bytes = Values.WrongEncoding(rng, ps[^1].Value);
                rawQuery = Query(ps.Take(ps.Count - 1)) + "&" + ps[^1].Name + "=" +
                           (rng.Next(3) == 0 ? Encoding.Latin1.GetString(bytes) : Values.Percent(bytes));
                break;
            case Categories.Huge:
                ps.Add(("pnrsrcid", new string('9', rng.Next(2) == 0 ? 9_000 : 40_000)));
                break;
            case Categories.BadSignature:
                ps.AddRange([("ver", "2"), ("sign", rng.Next(2) == 0 ? "0123456789abcdef0123456789abcdef" : Values.Injection(rng)), ("sign_type", "MD5")]);
                break;
            case Categories.Replayed:
                ps.Add(("ver", "2"));
                ps.Add(("sign", BptSignature.SignGbk(ps.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)), BptClient.DemoKey)));
                break;
            case Categories.HeaderFlood:
                headers.AddRange(Values.HeaderFlood(rng));
                break;
            case Categories.WrongMethod:
                method = rng.Next(2) == 0 ? "POST" : "DELETE";
                body = Encoding.ASCII.GetBytes(Query(ps));
                break;
            case Categories.Truncated:
                // A GET with a body that stops: the server still reads (and must survive) the declared body.
                body = Encoding.ASCII.GetBytes(Query(ps));
                declared = body.Length + 100;
                delivery = Delivery.Truncated;
                break;
            case Categories.Slow:
                body = Encoding.ASCII.GetBytes(Query(ps) + new string(' ', 200));
                delivery = Delivery.Slow;
                break;
        }
        var target = path + "?" + (rawQuery ?? Query(ps));
        return new HostileRequest(category, operation, HttpWire.Build(method, target, host, headers, body, declared), delivery);
    }

    static void Replace(Random rng, List<(string Name, string Value)> ps, string value)
    {
        var i = 1 + rng.Next(ps.Count - 1);
        if (i < ps.Count) ps[i] = (ps[i].Name, value);
    }

    static string Query(IEnumerable<(string Name, string Value)> ps) =>
        string.Join("&", ps.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    public string? FormatProblem(HostileRequest request, HostileReply reply)
    {
        // Spec §2: any other method than GET gets 405 with an empty body.
        if (reply.Status == 405) return reply.Body.Length == 0 && reply.Headers.GetValueOrDefault("allow") == "GET" ? null : "405 not as specified";
        if (!reply.ContentType.Contains("charset=GB2312", StringComparison.OrdinalIgnoreCase)) return $"content type '{reply.ContentType}'";
        var text = BptClient.Gbk.GetString(reply.Body);
        if (reply.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement.EnumerateObject().SingleOrDefault();
                // TRP's legacy failure root carries its text directly: {"errorInfo":"…"}.
                if (root.Name == "errorInfo" && root.Value.ValueKind == JsonValueKind.String) return null;
                if (root.Value.ValueKind != JsonValueKind.Object) return "JSON without a root object";
                return root.Value.TryGetProperty("code", out _) || root.Value.TryGetProperty("Code", out _) ? null : "JSON without code";
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return "not JSON: " + e.Message;
            }
        }
        try
        {
            var xml = XElement.Parse(text.StartsWith("<?xml", StringComparison.Ordinal) ? text[(text.IndexOf("?>", StringComparison.Ordinal) + 2)..] : text);
            return xml.Name.LocalName switch
            {
                "errorInfo" => null,
                "pnrinfo" or "autopayinfo" when xml.Element("code") is not null || xml.Element("Code") is not null => null,
                var other => $"root <{other}> without code",
            };
        }
        catch (System.Xml.XmlException e)
        {
            return "not XML: " + e.Message;
        }
    }
}
