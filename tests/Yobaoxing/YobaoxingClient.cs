using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>
/// An integrator's client written from the spec, independent of the sandbox's code: 3DES with the platform's TripleDES
/// (the KEY's first 24 characters make a strong key), the password formula and the sandbox sign rule.
/// </summary>
public sealed class YobaoxingClient(HttpClient http, string user = YobaoxingClient.DemoUser, string password = YobaoxingClient.DemoPassword, string key = YobaoxingClient.DemoKey)
{
    public const string DemoUser = "demo_agent";
    public const string DemoPassword = "demo123456";
    public const string DemoKey = "6F2C1A9E-4B7D-4E21-9C3A-5D8E7F0B1A24";
    public const string DemoPayPassword = "888888";

    public string Key => key;

    public string Enc(string plain)
    {
        using var t = TripleDES.Create();
        t.Key = Encoding.UTF8.GetBytes(key[..24]);
        return Convert.ToBase64String(t.EncryptEcb(Encoding.UTF8.GetBytes(plain), PaddingMode.PKCS7));
    }

    public string Dec(string cipher)
    {
        using var t = TripleDES.Create();
        t.Key = Encoding.UTF8.GetBytes(key[..24]);
        return Encoding.UTF8.GetString(t.DecryptEcb(Convert.FromBase64String(cipher), PaddingMode.PKCS7));
    }

    public static string Md5(string s) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(s)));

    public string PasswordField(string pwd) => Enc(Md5(pwd));

    public static string Sign(IEnumerable<KeyValuePair<string, string>> fields, string key)
    {
        var text = string.Join("&", fields
            .Where(p => p.Value.Length > 0 && !p.Key.Equals("sign", StringComparison.OrdinalIgnoreCase) && !p.Key.Equals("sign_type", StringComparison.OrdinalIgnoreCase))
            .Select(p => (Name: p.Key.ToLowerInvariant(), p.Value))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value)) + "&key=" + key;
        return Md5(text);
    }

    /// <summary>The common parameters (a page parameter of the same name replaces one) plus the page's, signed.</summary>
    public List<KeyValuePair<string, string>> Parameters(params (string Name, string Value)[] ps)
    {
        var list = new List<KeyValuePair<string, string>>
        {
            new("sign_type", "MD5"), new("service_version", "1.0"), new("input_charset", "UTF-8"), new("sign_key_index", "1"),
            new("User", user), new("password", PasswordField(password)),
        };
        list.RemoveAll(c => ps.Any(p => p.Name.Equals(c.Key, StringComparison.OrdinalIgnoreCase)));
        list.AddRange(ps.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        list.Add(new("sign", Sign(list, key)));
        return list;
    }

    public async Task<Reply> Get(string page, params (string Name, string Value)[] ps) =>
        await Send(HttpMethod.Get, "/yobaoxing/" + page + ".aspx?" + Query(Parameters(ps)), null);

    public async Task<Reply> Post(string page, params (string Name, string Value)[] ps) =>
        await Send(HttpMethod.Post, "/yobaoxing/POST/" + page + ".aspx", new FormUrlEncodedContent(Parameters(ps)));

    public async Task<Reply> Send(HttpMethod method, string path, HttpContent? content)
    {
        using var req = new HttpRequestMessage(method, path) { Content = content };
        using var resp = await http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        // A payment platform's page answers plain text ("success" / "fail"): it is kept as the root's text.
        var xml = text.TrimStart().StartsWith('<') ? XDocument.Parse(text) : new XDocument(new XElement("text", text));
        return new Reply((int)resp.StatusCode, text, xml, resp.Headers.TryGetValues("X-Sandbox-Diagnostic", out var d) ? d.First() : null);
    }

    public static string Query(IEnumerable<KeyValuePair<string, string>> ps) =>
        string.Join("&", ps.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    public sealed record Reply(int Status, string Text, XDocument Xml, string? Diagnostic)
    {
        public int Retcode => int.Parse(Xml.Root!.Element("retcode")!.Value);
        public string Retmsg => Xml.Root!.Element("retmsg")!.Value;
        public XElement Root => Xml.Root!;
        public string? Sign => Xml.Root!.Element("sign")?.Value;
        public IEnumerable<XElement> Items(string name = "Item") => Xml.Root!.Descendants(name);
        public string Value(string name) => Xml.Root!.Descendants(name).First().Value;
    }
}
