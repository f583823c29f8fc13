namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>A multipart file part: the parameter it carries (its form field name), the client's file name and the bytes.</summary>
public sealed record TopFile(string FileName, string? ContentType, byte[] Content);

public enum TopFormat
{
    Xml,
    Json,
}

/// <summary>
/// One gateway request after transport decoding: query-string and body parameters merged into one map (spec §1.1),
/// file parts apart (they are never signed), and what is needed to answer before anything else is known — the
/// requested format, even when the request is refused at the door.
/// </summary>
public sealed class TopRequest(string httpMethod, string remoteIp)
{
    public string HttpMethod { get; } = httpMethod;
    public string RemoteIp { get; } = remoteIp;
    public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, TopFile> Files { get; } = new(StringComparer.Ordinal);
    /// <summary>The transport-level refusal (method not allowed, conflicting parameters, unreadable body), if any.</summary>
    public TopError? Failure { get; set; }
    public byte[]? JournalBody { get; set; }
    /// <summary>The client sent <c>Accept-Encoding: gzip</c> (the Java SDK does): success replies are gzipped.</summary>
    public bool AcceptsGzip { get; set; }
    public string? JournalText { get; set; }

    public string? this[string name] => Params.TryGetValue(name, out var v) ? v : null;

    public string? Method => this["method"];
    public string? AppKey => this["app_key"];

    /// <summary>
    /// An absent format means JSON (the product's decision, as the SDKs send it; the live gateway's documented default is
    /// XML, which format=xml selects); an unknown one is answered in JSON too (code 23).
    /// </summary>
    public TopFormat Format => string.Equals(this["format"], "xml", StringComparison.OrdinalIgnoreCase) ? TopFormat.Xml : TopFormat.Json;

    public bool FormatValid => this["format"] is null || this["format"]!.ToLowerInvariant() is "json" or "xml";

    /// <summary><c>true</c> (Java, Go) and <c>1</c> (PHP's boolean) select the simplified JSON; XML ignores it (spec §1.2, §1.6.2).</summary>
    public bool Simplify => Format == TopFormat.Json && this["simplify"] is { } s && (s == "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase));
}
