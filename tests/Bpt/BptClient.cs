using System.Text;
using System.Web;
using System.Xml.Linq;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Bpt;

/// <summary>
/// A ticketing agent's BPT client as BPB writes it: GET /alidz.do with query parameters, values UTF-8 URL-encoded
/// except raw callback URLs, replies read as GBK.
/// </summary>
public sealed class BptClient(HttpClient http)
{
    public static readonly Encoding Gbk;

    static BptClient()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gbk = Encoding.GetEncoding("GBK");
    }

    public const string DemoKey = "sbxkey0123456789abcdefghijklmnop";
    public const string DemoPartner = "2088000000000000";

    public sealed record Reply(int Status, string ContentType, byte[] Bytes, string Text, IReadOnlyDictionary<string, string> Headers)
    {
        public XElement Xml => XElement.Parse(Text.StartsWith("<?xml", StringComparison.Ordinal) ? Text[(Text.IndexOf("?>", StringComparison.Ordinal) + 2)..] : Text);
        public string? this[string element] => Xml.Element(element)?.Value;
        public string Code => (Xml.Element("code") ?? Xml.Element("Code"))!.Value;
    }

    public static async Task<BptClient> StartAsync(SandboxHost host) =>
        new(new HttpClient { BaseAddress = new Uri(host.ListenerUrl("bpt")) });

    /// <summary>Sends cmd with parameters; values are UTF-8 URL-encoded unless <paramref name="raw"/> lists the name.</summary>
    public async Task<Reply> Get(string cmd, IEnumerable<(string Name, string Value)> parameters, params string[] raw)
    {
        var sb = new StringBuilder("/alidz.do?cmd=").Append(cmd);
        foreach (var (n, v) in parameters)
            sb.Append('&').Append(n).Append('=').Append(raw.Contains(n) ? v : HttpUtility.UrlEncode(v, Encoding.UTF8));
        return await Send(HttpMethod.Get, sb.ToString());
    }

    public Task<Reply> Get(string cmd, params (string Name, string Value)[] parameters) => Get(cmd, parameters, "callbackurl", "callbackurlforpay");

    public async Task<Reply> Send(HttpMethod method, string pathAndQuery)
    {
        using var req = new HttpRequestMessage(method, pathAndQuery);
        using var resp = await http.SendAsync(req);
        var bytes = await resp.Content.ReadAsByteArrayAsync();
        var headers = resp.Headers.Concat(resp.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Reply((int)resp.StatusCode, resp.Content.Headers.ContentType?.ToString() ?? "", bytes, Gbk.GetString(bytes), headers);
    }

    /// <summary>The login and format parameters every command but checkclt carries in BPB.</summary>
    public static (string, string)[] Common(string pnr, string air, string pnrsrcid = "P0001", string? pnrc = null, string b2bpwd = "sandboxpwd") =>
    [
        ("fmt", "xml"), ("xmlhashead", "false"), ("pnr", pnr), ("bigpnr", "1"), ("air", air), ("pnrsrcid", pnrsrcid),
        ("b2buser", "urc221"), ("b2bpwd", b2bpwd), .. pnrc is null ? Array.Empty<(string, string)>() : [("pnrc", pnrc)],
    ];

    /// <summary>What the public receiver (BPB SyncTicketCall) does: form-decode the field, then URL-decode it with GB2312.</summary>
    public static XElement DecodeNotice(CallbackReceiver.Received r, string field)
    {
        var form = HttpUtility.ParseQueryString(r.Method == "GET" ? r.Query : r.Body, Encoding.ASCII);
        var value = form[field] ?? throw new InvalidOperationException($"no {field} in {r.Body}{r.Query}");
        return XElement.Parse(HttpUtility.UrlDecode(value, Gbk));
    }
}
