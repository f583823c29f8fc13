using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sandbox.LoadTests.Protocol;

/// <summary>The throw-away tenant's TOP app: app key, secret and the standing session of its user.</summary>
public sealed record TopCredentials(string AppKey, string AppSecret, string Session)
{
    /// <summary>The demo tenant's TOP app and standing session (README).</summary>
    public static readonly TopCredentials Demo = new("12345678", "helloworld", "test-session");
}

/// <summary>A TOP reply: the inner object of <c>*_response</c>, or the <c>error_response</c>.</summary>
public sealed class TopReply(JsonDocument document, string method) : IDisposable
{
    private readonly JsonElement _root = document.RootElement;

    public JsonElement? Error => _root.TryGetProperty("error_response", out var e) ? e : null;

    public JsonElement Inner => _root.GetProperty((method.StartsWith("taobao.", StringComparison.Ordinal) ? method[7..] : method).Replace('.', '_') + "_response");

    public bool Ok => Error is null && Inner.TryGetProperty("is_success", out var s) && s.GetBoolean();

    /// <summary>"code sub_code: sub_msg" of an error_response, or "error_code_info: error_msg" of a business failure.</summary>
    public string Describe() => Error is { } e
        ? $"{e.GetProperty("code")} {(e.TryGetProperty("sub_code", out var sc) ? sc.GetString() : "")}: {(e.TryGetProperty("sub_msg", out var sm) ? sm.GetString() : e.GetProperty("msg").GetString())}"
        : Inner.TryGetProperty("error_code_info", out var code) ? $"{code.GetString()}: {Inner.GetProperty("error_msg").GetString()}" : "is_success false";

    public void Dispose() => document.Dispose();
}

/// <summary>
/// An agency's TOP client as the Go SDK sends requests: every parameter in a UTF-8 form body, md5-signed (keys sorted,
/// key+value, the secret around), the timestamp in GMT+8.
/// </summary>
public sealed class TopClient(HttpClient http, Uri baseUrl, TopCredentials credentials)
{
    private readonly Uri _gateway = new(baseUrl, "router/rest");

    /// <summary>How far the tenant's virtual clock is ahead of real time: the gateway checks timestamps against it (spec §1.3).</summary>
    public TimeSpan ClockOffset { get; init; }

    public async Task<TopReply> CallAsync(string method, IEnumerable<(string Name, string Value)> business, CancellationToken ct)
    {
        var body = SignedBody(credentials, method, business, DateTimeOffset.UtcNow + ClockOffset);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded;charset=utf-8");
        using var response = await http.PostAsync(_gateway, content, ct);
        response.EnsureSuccessStatusCode();
        return new TopReply(await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct), method);
    }

    /// <summary>The form body of a signed call stamped at <paramref name="time"/> (valid for the gateway's ±10 minutes).</summary>
    public static string SignedBody(TopCredentials credentials, string method, IEnumerable<(string Name, string Value)> business, DateTimeOffset time)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = method, ["app_key"] = credentials.AppKey, ["session"] = credentials.Session, ["v"] = "2.0", ["format"] = "json",
            ["sign_method"] = "md5", ["timestamp"] = time.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in business)
        {
            parameters[name] = value;
        }

        var signed = new StringBuilder(credentials.AppSecret);
        foreach (var (k, v) in parameters)
        {
            signed.Append(k).Append(v);
        }

        signed.Append(credentials.AppSecret);
        parameters["sign"] = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(signed.ToString())));
        return string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }
}
