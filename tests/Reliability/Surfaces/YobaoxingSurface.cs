using System.Text;
using System.Xml.Linq;
using Sandbox.Suppliers.Yobaoxing;
using Sandbox.Suppliers.Yobaoxing.Protocol;
using Sandbox.Tests.Reliability.Hostile;
using Sandbox.Tests.Yobaoxing;

namespace Sandbox.Tests.Reliability.Surfaces;

/// <summary>
/// Yobaoxing: the 52 integrator pages (GET query or POST form, user + 3DES password + MD5 sign) answering
/// &lt;root&gt;&lt;retcode&gt;…, and the payment platforms' notify pages answering in the platform's own words.
/// </summary>
public sealed class YobaoxingSurface : ISupplierSurface
{
    static readonly YobaoxingClient Client = new(null!);

    public string Supplier => "yobaoxing";
    public string Listener => Sandbox.Engine.Pipeline.Listeners.Main;

    public IReadOnlyList<string> Operations { get; } = YobaoxingPages.All.Select(p => p.Name).ToList();

    public bool IsOutboundOrAdmin(string operation) => operation.StartsWith("Notify_", StringComparison.Ordinal) || operation == "NotifyURL";

    static PaymentPlatform PlatformOf(string page) => YobaoxingPages.All.Single(p => p.Name == page).Platform;

    /// <summary>Parameter names the pages read, with a plausible value each (3DES where the pages decrypt).</summary>
    static readonly (string Name, Func<string> Value)[] Params =
    [
        ("Order_id", () => "00000000000000000001"), ("orderid", () => "00000000000000000001"), ("Order_list", () => "1|1"),
        ("Mobile", () => Client.Enc("13800000001")), ("ID", () => Client.Enc("110101199001011234")), ("SXRQ", () => Client.Enc("20270101")),
        ("TicketDate", () => Client.Enc("20270101")), ("SenceID", () => Client.Enc("1")), ("SeatInfo", () => Client.Enc("1|2")),
        ("money", () => "150"), ("SmsCode", () => Client.PasswordField(YobaoxingClient.DemoPayPassword)), ("smsModel", () => "0"),
        ("Page_index", () => "0"), ("ticketcode", () => "123456789012"), ("activateall", () => "1"), ("activatedate", () => "20270101"),
        ("tickettype", () => "2"), ("activatemode", () => "1"), ("timespanindex", () => "-1"), ("memo", () => "x"), ("NumIndex", () => "1"),
        ("total_fee", () => "150"), ("PaybackReason", () => "不去了"), ("TheaterID", () => Client.Enc("1")), ("SeatAreaID", () => Client.Enc("1")),
        ("ProductID", () => Client.Enc("1")), ("YZM", () => "123456"), ("ZFDH", () => "Z0001"), ("NewPwd", () => Client.PasswordField("123456")),
        ("Email", () => "a@example.com"), ("DWSX", () => Client.Enc("2")), ("responseaddr", () => "http://127.0.0.1:9/ybx"),
        ("XCDDH", () => Client.Enc("X-1")), ("senderid", () => Client.Enc("S-1")), ("Paychannelid", () => "支付宝"), ("NeedInvoice", () => "1"),
        ("Start_datetime", () => "20260101"), ("End_datetime", () => "20271231"), ("Query_model", () => "1"), ("servicecode", () => "01"),
    ];

    public HostileRequest Generate(Random rng, string operation, string category, string host)
    {
        var platform = PlatformOf(operation);
        var ps = new List<(string Name, string Value)>(Params.OrderBy(_ => rng.Next()).Take(rng.Next(1, 8)).Select(p => (p.Name, p.Value())));
        var post = rng.Next(3) == 0;
        var headers = new List<(string, string)>();
        var delivery = Delivery.Whole;
        long? declared = null;
        var signed = category != Categories.BadSignature;
        switch (category)
        {
            case Categories.WrongType:
                Replace(rng, ps, Values.WrongScalar(rng));
                break;
            case Categories.Injection:
                Replace(rng, ps, rng.Next(2) == 0 ? Values.Injection(rng) : Client.Enc(Values.Injection(rng)));
                break;
            case Categories.HeaderFlood:
                headers.AddRange(Values.HeaderFlood(rng));
                break;
            case Categories.Huge:
                post = true;
                ps.Add(("memo", new string('m', rng.Next(2) == 0 ? 3_000_000 : 5_000_000)));
                break;
        }
        var list = signed ? Client.Parameters([.. ps]) : BadlySigned(rng, ps);
        switch (category)
        {
            case Categories.Missing:
                for (var k = rng.Next(1, 3); k > 0 && list.Count > 0; k--) list.RemoveAt(rng.Next(list.Count));
                break;
            case Categories.Duplicated:
                var dup = list[rng.Next(list.Count)];
                list.Insert(rng.Next(list.Count + 1), new(dup.Key, Values.WrongScalar(rng)));
                break;
            case Categories.CaseVaried:
                for (var i = 0; i < list.Count; i++) list[i] = new(Values.CaseVaried(rng, list[i].Key), list[i].Value);
                break;
        }
        var query = YobaoxingClient.Query(list);
        byte[]? body = null;
        var method = post ? "POST" : "GET";
        var path = (post ? "/yobaoxing/POST/" : "/yobaoxing/") + (category == Categories.CaseVaried ? Values.CaseVaried(rng, operation) : operation) +
                   (rng.Next(6) == 0 ? "" : ".aspx");
        if (platform == PaymentPlatform.WeChat)
        {
            method = "POST";
            var xml = "<xml>" + string.Concat(ps.Select(p => $"<{Tag(p.Name)}>{System.Security.SecurityElement.Escape(p.Value)}</{Tag(p.Name)}>")) +
                      "<attach>00000000000000000001</attach></xml>";
            body = category == Categories.WrongEncoding ? Values.WrongEncoding(rng, xml) : Encoding.UTF8.GetBytes(rng.Next(10) == 0 ? BillionLaughs : xml);
            headers.Add(("Content-Type", "text/xml"));
            if (category == Categories.Huge) body = Encoding.UTF8.GetBytes("<xml><attach>1</attach><m>" + new string('m', 5_000_000) + "</m></xml>");
        }
        else if (post)
        {
            body = category == Categories.WrongEncoding ? Values.WrongEncoding(rng, query) : Encoding.ASCII.GetBytes(query);
            headers.Add(("Content-Type", rng.Next(10) == 0 ? "multipart/form-data; boundary=x" : "application/x-www-form-urlencoded"));
        }
        var target = post || platform == PaymentPlatform.WeChat ? path : path + "?" +
            (category == Categories.WrongEncoding ? Values.Percent(Values.WrongEncoding(rng, query)) : query);
        switch (category)
        {
            case Categories.WrongMethod:
                method = rng.Next(2) == 0 ? "PUT" : post ? "GET" : "POST";
                break;
            case Categories.Truncated:
                body ??= Encoding.ASCII.GetBytes(query);
                declared = body.Length + rng.Next(1, 300);
                body = body[..rng.Next(body.Length)];
                delivery = Delivery.Truncated;
                if (method == "GET") method = "POST";
                break;
            case Categories.Slow:
                body ??= Encoding.ASCII.GetBytes(query);
                delivery = Delivery.Slow;
                break;
        }
        return new HostileRequest(category, operation, HttpWire.Build(method, target, host, headers, body, declared), delivery);
    }

    const string BillionLaughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">" +
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">" +
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">" +
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\"><!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">" +
        "]><xml><attach>&lol8;</attach></xml>";

    static string Tag(string name) => System.Xml.XmlConvert.EncodeLocalName(name);

    static void Replace(Random rng, List<(string Name, string Value)> ps, string value)
    {
        if (ps.Count == 0) return;
        var i = rng.Next(ps.Count);
        ps[i] = (ps[i].Name, value);
    }

    /// <summary>A wrong password, a wrong sign, or no sign at all.</summary>
    static List<KeyValuePair<string, string>> BadlySigned(Random rng, List<(string Name, string Value)> ps)
    {
        var list = rng.Next(3) == 0 ? Client.Parameters([.. ps, ("password", Client.PasswordField("wrong"))]) : Client.Parameters([.. ps]);
        var sign = list.FindIndex(p => p.Key == "sign");
        if (rng.Next(2) == 0) list[sign] = new("sign", rng.Next(2) == 0 ? new string('0', 32) : Values.Injection(rng));
        else if (rng.Next(2) == 0) list.RemoveAt(sign);
        return list;
    }

    public string? FormatProblem(HostileRequest request, HostileReply reply)
    {
        var text = Encoding.UTF8.GetString(reply.Body);
        switch (PlatformOf(request.Operation))
        {
            case PaymentPlatform.Alipay:
                // A 404 for a misspelt page or a refusal before the page was known is the integrator pages' XML.
                if (text is "success" or "fail") return null;
                break;
            case PaymentPlatform.WeChat:
                if (text.StartsWith("<xml><return_code><![CDATA[", StringComparison.Ordinal)) return null;
                break;
        }
        try
        {
            var root = XDocument.Parse(text).Root!;
            if (root.Name.LocalName != "root") return $"root <{root.Name.LocalName}>";
            return int.TryParse(root.Element("retcode")?.Value, out _) ? null : "no integer retcode";
        }
        catch (System.Xml.XmlException e)
        {
            return "not XML: " + e.Message;
        }
    }
}
