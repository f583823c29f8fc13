using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace Sandbox.LoadTests.Protocol;

/// <summary>Credentials of a Yobaoxing agent account: user, login password, the 36-character KEY and the payment password.</summary>
public sealed record YobaoxingCredentials(string User, string Password, string Key, string PayPassword);

/// <summary>A Yobaoxing page's reply: retcode, retmsg and the leaf values the flow reads (first occurrence of each name).</summary>
public sealed record YobaoxingReply(int Retcode, string Retmsg, IReadOnlyDictionary<string, string> Values, IReadOnlyList<IReadOnlyDictionary<string, string>> Items);

/// <summary>
/// The integrator side of the Yobaoxing protocol, written from the spec: GET {base}/yobaoxing/{Page}.aspx with the common
/// parameters, 3DES fields (TripleDES-ECB-PKCS7, key = the KEY's first 24 characters, Base64), the password formula
/// TripleDes(Upper(MD5(password)), KEY) and the sandbox's MD5 sign.
/// </summary>
public sealed class YobaoxingClient
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly YobaoxingCredentials _credentials;
    private readonly ThreadLocal<TripleDES> _cipher;
    private readonly string _passwordField;

    public YobaoxingClient(HttpClient http, Uri baseUrl, YobaoxingCredentials credentials)
    {
        _http = http;
        _base = new Uri(baseUrl, "yobaoxing/");
        _credentials = credentials;
        _cipher = new ThreadLocal<TripleDES>(() =>
        {
            var t = TripleDES.Create();
            t.Key = Encoding.UTF8.GetBytes(credentials.Key[..24]);
            return t;
        });
        _passwordField = Encrypt(Md5Upper(credentials.Password));
        PayPasswordField = Encrypt(Md5Upper(credentials.PayPassword));
    }

    public string PayPasswordField { get; }

    public static string Md5Upper(string s) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(s)));

    public string Encrypt(string plain) => Convert.ToBase64String(_cipher.Value!.EncryptEcb(Encoding.UTF8.GetBytes(plain), PaddingMode.PKCS7));

    /// <summary>Every non-empty parameter but sign/sign_type, names lower-cased and sorted, name=value joined by '&amp;', then &amp;key=KEY; MD5 upper-case hex.</summary>
    public static string Sign(IEnumerable<KeyValuePair<string, string>> fields, string key)
    {
        var text = string.Join("&", fields
            .Where(p => p.Value.Length > 0 && !p.Key.Equals("sign", StringComparison.OrdinalIgnoreCase) && !p.Key.Equals("sign_type", StringComparison.OrdinalIgnoreCase))
            .Select(p => (Name: p.Key.ToLowerInvariant(), p.Value))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value)) + "&key=" + key;
        return Md5Upper(text);
    }

    public async Task<YobaoxingReply> GetAsync(string page, IEnumerable<(string Name, string Value)> parameters, CancellationToken ct)
    {
        var list = new List<KeyValuePair<string, string>>
        {
            new("sign_type", "MD5"), new("service_version", "1.0"), new("input_charset", "UTF-8"), new("sign_key_index", "1"),
            new("user", _credentials.User), new("password", _passwordField),
        };
        list.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        list.Add(new("sign", Sign(list, _credentials.Key)));
        var query = string.Join("&", list.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var response = await _http.GetAsync(new Uri(_base, page + ".aspx?" + query), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return Parse(body);
    }

    static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true, IgnoreWhitespace = true,
    };

    /// <summary>
    /// Reads the reply in one forward pass (a DOM cost the generator a sixth of its CPU): leaf elements by name, first
    /// occurrence wins, and the children of each &lt;Item&gt; under the root. A body that is not XML becomes retcode
    /// int.MinValue with the body as retmsg.
    /// </summary>
    public static YobaoxingReply Parse(string body)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var items = new List<IReadOnlyDictionary<string, string>>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), ReaderSettings);
            // Open elements from the root down: name, whether a child element was seen, and the text inside (InnerText).
            var open = new List<(string Name, bool HasChildren, StringBuilder Text)>();
            Dictionary<string, string>? item = null;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (open.Count > 0) open[^1] = open[^1] with { HasChildren = true };
                        if (open.Count == 1 && reader.Name.Equals("Item", StringComparison.OrdinalIgnoreCase))
                            items.Add(item = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
                        if (reader.IsEmptyElement) Closed(reader.Name, hasChildren: false, "", depth: open.Count);
                        else open.Add((reader.Name, false, new StringBuilder()));
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                        foreach (var frame in open) frame.Text.Append(reader.Value);
                        break;
                    case XmlNodeType.EndElement:
                        var (name, hasChildren, text) = open[^1];
                        open.RemoveAt(open.Count - 1);
                        Closed(name, hasChildren, text.ToString(), depth: open.Count);
                        break;
                }
            }

            void Closed(string name, bool hasChildren, string text, int depth)
            {
                if (!hasChildren) values.TryAdd(name, text);
                if (depth == 2) item?.TryAdd(name, text);
                if (depth == 1) item = null;
            }
        }
        catch (XmlException)
        {
            return new YobaoxingReply(int.MinValue, body.Length > 200 ? body[..200] : body, values, items);
        }
        var retcode = int.TryParse(values.GetValueOrDefault("retcode"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var c) ? c : int.MinValue;
        return new YobaoxingReply(retcode, values.GetValueOrDefault("retmsg") ?? "", values, items);
    }

    /// <summary>A throw-away tenant with random Yobaoxing credentials and a large deposit, on the instant scenario.</summary>
    public static (string Id, YobaoxingCredentials Credentials, string Json) NewLoadTenant(string callbackFolder)
    {
        const string alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var credentials = new YobaoxingCredentials(
            "lty" + RandomNumberGenerator.GetString(alphanumeric, 12),
            RandomNumberGenerator.GetString(alphanumeric, 16),
            Guid.NewGuid().ToString().ToUpperInvariant(),
            RandomNumberGenerator.GetString("0123456789", 6));
        var id = $"load-ybx-{DateTime.UtcNow:yyyyMMddHHmmss}";
        var tenant = new JsonObject
        {
            ["id"] = id,
            ["name"] = "load test",
            ["credentials"] = new JsonObject
            {
                ["yobaoxing"] = new JsonObject
                {
                    ["user"] = credentials.User, ["password"] = credentials.Password, ["key"] = credentials.Key, ["payPassword"] = credentials.PayPassword,
                    ["phones"] = new JsonArray("13800000001", "13800000002"), ["depositBalance"] = 1_000_000_000_000, ["rebateBalance"] = 1_000_000,
                },
            },
            ["callbacks"] = new JsonObject { ["yobaoxing"] = callbackFolder },
            ["scenarios"] = new JsonObject { ["yobaoxing"] = "instant" },
        };
        return (id, credentials, tenant.ToJsonString());
    }

    public static HttpContent JsonBody(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
