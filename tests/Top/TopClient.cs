using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Sandbox.Tests.Top;

/// <summary>How a public TOP client sends a request (spec §1.1–1.4 and the SDKs it cites), reproduced independently of the server.</summary>
public enum TopClientStyle
{
    /// <summary>DefaultTaobaoClient: system parameters in the query, business parameters as a UTF-8 form body, hmac, blank values not signed.</summary>
    JavaSdk,
    /// <summary>bububa/opentaobao: everything in a UTF-8 form body, md5, simplify=true with json.</summary>
    GoSdk,
    /// <summary>The official Node topClient.js: every field as multipart/form-data, md5, empty values signed as their key.</summary>
    NodeSdk,
    /// <summary>TopApiClient.php: system parameters (simplify=1) in the query, business in the body, md5, empty values keep their key.</summary>
    PhpSdk,
    /// <summary>Public JavaScript clients: everything in a form body with no charset, md5.</summary>
    JsForm,
    /// <summary>Everything in the query string of a GET.</summary>
    Get,
}

public sealed record TopFilePart(string Name, string FileName, string ContentType, byte[] Content);

/// <summary>A reply as the client received it.</summary>
public sealed record TopResponse(int Status, string? ContentType, string Body, string? Diagnostic)
{
    /// <summary>The reply came with <c>Content-Encoding: gzip</c> (and <see cref="Body"/> is its unzipped text).</summary>
    public bool Gzipped { get; init; }

    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public JsonObject? Error => Json["error_response"]?.AsObject();

    /// <summary>The API's fields: under the <c>*_response</c> root, or at the top for a simplified reply.</summary>
    public JsonObject Inner(string method)
    {
        var root = (method.StartsWith("taobao.", StringComparison.Ordinal) ? method[7..] : method).Replace('.', '_') + "_response";
        var json = Json;
        return json[root]?.AsObject() ?? json;
    }
}

/// <summary>
/// A TOP client written from the spec and from what the public SDKs do (not from the sandbox's code): builds the
/// system parameters, signs md5 / hmac / hmac-sha256 itself and sends the request in the chosen SDK's way.
/// </summary>
public sealed class TopClient(HttpClient http, string appKey, string secret, Func<DateTimeOffset> now)
{
    public string AppKey { get; set; } = appKey;
    public string Secret { get; set; } = secret;
    public string Path { get; set; } = "/router/rest";
    public TopClientStyle Style { get; set; } = TopClientStyle.JavaSdk;
    /// <summary>Null: the style's own default (Java hmac, the others md5).</summary>
    public string? SignMethod { get; set; }
    public string Format { get; set; } = "json";
    /// <summary>Send <c>Accept-Encoding: gzip</c> and unzip a gzipped reply, as the Java SDK does (null: the Java style only).</summary>
    public bool? AcceptGzip { get; set; }
    public bool Simplify { get; set; }
    public string? Session { get; set; }

    public static string Timestamp(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <param name="adjust">changes the parameters before signing (drop v, a wrong timestamp …)</param>
    /// <param name="afterSign">changes them after signing (a tampered value, a wrong sign …)</param>
    public async Task<TopResponse> CallAsync(string method, IReadOnlyDictionary<string, string>? business = null,
        Action<Dictionary<string, string>>? adjust = null, Action<Dictionary<string, string>>? afterSign = null, IEnumerable<TopFilePart>? files = null)
    {
        var signMethod = SignMethod ?? (Style == TopClientStyle.JavaSdk ? "hmac" : "md5");
        var system = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = method, ["app_key"] = AppKey, ["timestamp"] = Timestamp(now()), ["v"] = "2.0", ["format"] = Format, ["sign_method"] = signMethod,
        };
        if (Session is not null) system["session"] = Session;
        if (Style == TopClientStyle.JavaSdk) system["partner_id"] = "top-sdk-java-20170428";
        if (Style == TopClientStyle.PhpSdk) system["partner_id"] = "new_php_sdk";
        if (Simplify || (Style == TopClientStyle.GoSdk && Format == "json")) system["simplify"] = Style == TopClientStyle.PhpSdk ? "1" : "true";
        var biz = new Dictionary<string, string>(business ?? new Dictionary<string, string>(), StringComparer.Ordinal);

        var all = new Dictionary<string, string>(system, StringComparer.Ordinal);
        foreach (var (k, v) in biz) all[k] = v;
        adjust?.Invoke(all);
        var keepEmpty = Style is TopClientStyle.NodeSdk or TopClientStyle.PhpSdk or TopClientStyle.GoSdk;
        if (!all.ContainsKey("sign")) all["sign"] = Sign(all, Secret, all.GetValueOrDefault("sign_method", "md5"), keepEmpty);
        afterSign?.Invoke(all);

        // What travels in the URL and what in the body, per style.
        var inQuery = Style switch
        {
            TopClientStyle.JavaSdk or TopClientStyle.PhpSdk => all.Where(p => system.ContainsKey(p.Key) || p.Key == "sign").ToDictionary(),
            TopClientStyle.Get => all,
            _ => [],
        };
        var inBody = all.Where(p => !inQuery.ContainsKey(p.Key)).ToDictionary();
        var url = Path + (inQuery.Count > 0 ? "?" + Encode(inQuery) : "");
        using var request = new HttpRequestMessage(Style == TopClientStyle.Get ? HttpMethod.Get : HttpMethod.Post, url);
        var fileList = files?.ToList() ?? [];
        if (Style == TopClientStyle.NodeSdk || fileList.Count > 0)
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (k, v) in inBody)
            {
                var part = new ByteArrayContent(Encoding.UTF8.GetBytes(v));
                part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{k}\"" };
                multipart.Add(part);
            }
            foreach (var f in fileList)
            {
                var part = new ByteArrayContent(f.Content);
                part.Headers.ContentType = new MediaTypeHeaderValue(f.ContentType);
                part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{f.Name}\"", FileName = $"\"{f.FileName}\"" };
                multipart.Add(part);
            }
            request.Content = multipart;
        }
        else if (Style != TopClientStyle.Get)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Encode(inBody)));
            request.Content.Headers.TryAddWithoutValidation("Content-Type",
                Style == TopClientStyle.JsForm ? "application/x-www-form-urlencoded" : "application/x-www-form-urlencoded;charset=utf-8");
        }
        if (AcceptGzip ?? Style == TopClientStyle.JavaSdk) request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await http.SendAsync(request);
        var gzipped = response.Content.Headers.ContentEncoding.Contains("gzip");
        string body;
        if (gzipped)
        {
            // WebUtils.getResponseAsString: a GZIPInputStream over the body when Content-Encoding says gzip.
            await using var unzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
            body = await new StreamReader(unzip, Encoding.UTF8).ReadToEndAsync();
        }
        else body = await response.Content.ReadAsStringAsync();
        return new TopResponse((int)response.StatusCode,
            response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var type) ? type.ToString() : null, body,
            response.Headers.TryGetValues("X-Sandbox-Diagnostic", out var d) ? d.First() : null) { Gzipped = gzipped };
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>TaobaoUtils.signTopRequest: sorted keys, key+value, md5 wrapped in the secret or HMAC keyed by it, upper hex.</summary>
    public static string Sign(IReadOnlyDictionary<string, string> parameters, string secret, string signMethod, bool keepEmpty = false)
    {
        var sb = new StringBuilder();
        foreach (var key in parameters.Keys.Where(k => k != "sign").Order(StringComparer.Ordinal))
        {
            var value = parameters[key];
            if (!keepEmpty && string.IsNullOrWhiteSpace(value)) continue;
            sb.Append(key).Append(value);
        }
        var data = Encoding.UTF8.GetBytes(sb.ToString());
        var key2 = Encoding.UTF8.GetBytes(secret);
        var digest = signMethod switch
        {
            "hmac" => HMACMD5.HashData(key2, data),
            "hmac-sha256" => HMACSHA256.HashData(key2, data),
            _ => MD5.HashData([.. key2, .. data, .. key2]),
        };
        return Convert.ToHexString(digest);
    }
}
