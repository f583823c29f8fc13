using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>Where and as whom Fliggy calls one merchant: the tenant's Qimen access (spec §1 table).</summary>
public sealed record QimenEndpoint(string Url, string AppKey, string Secret, string CustomerId, string? TargetAppKey, bool SignedTrace = false);

/// <summary>
/// One signed Qimen call, ready to send and to log: the URL with its query, the headers, the compact JSON body,
/// the string to sign (secret masked) and the sign.
/// </summary>
public sealed record QimenRequest(
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body,
    string StringToSign,
    string Sign)
{
    public const string ContentType = "application/json;charset=utf-8";
    public const string SignListHeader = "top-sign-list";
    public const string TraceHeader = "x-qimen-trace";

    /// <summary>
    /// Builds the request of spec §2.1: <c>POST url?method&amp;app_key&amp;target_app_key&amp;customerId&amp;format&amp;v&amp;sign_method&amp;timestamp&amp;sign</c>,
    /// every value percent-encoded as UTF-8 (including <c>=</c>, which <c>SpiUtils.getQueryMap</c> would otherwise
    /// split on), the timestamp in GMT+8. Parameters already in the merchant's URL are signed too, as the verifier
    /// reads the whole query string. <paramref name="traceId"/> adds the signed <c>x-qimen-trace</c> header.
    /// </summary>
    public static QimenRequest Build(QimenEndpoint endpoint, string method, JsonObject body, DateTimeOffset now, string? traceId = null) =>
        Build(endpoint, method, body.ToJsonString(StoreJson.Options), now, traceId);

    public static QimenRequest Build(QimenEndpoint endpoint, string method, string body, DateTimeOffset now, string? traceId = null)
    {
        List<KeyValuePair<string, string>> query =
        [
            new("method", method),
            new("app_key", endpoint.AppKey),
        ];
        if (!string.IsNullOrEmpty(endpoint.TargetAppKey)) query.Add(new("target_app_key", endpoint.TargetAppKey));
        query.Add(new("customerId", endpoint.CustomerId));
        query.Add(new("format", "json"));
        query.Add(new("v", "2.0"));
        query.Add(new("sign_method", "md5"));
        query.Add(new("timestamp", Timestamp(now)));

        var signed = new Dictionary<string, string>(StringComparer.Ordinal);
        List<KeyValuePair<string, string>> headers = [new("Content-Type", ContentType)];
        if (traceId is not null)
        {
            headers.Add(new(SignListHeader, TraceHeader));
            headers.Add(new(TraceHeader, traceId));
            signed[TraceHeader] = traceId;
        }
        var (path, existing) = SplitUrl(endpoint.Url);
        foreach (var (k, v) in QimenQuery.Parse(existing)) signed[k] = v;
        foreach (var (k, v) in query) signed[k] = v;

        var toSign = QimenSignature.StringToSign(signed, body, endpoint.Secret);
        var sign = QimenSignature.Sign(toSign);
        var url = new StringBuilder(path).Append('?');
        if (existing.Length > 0) url.Append(existing).Append('&');
        foreach (var (k, v) in query) url.Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v)).Append('&');
        url.Append(QimenSignature.SignParameter).Append('=').Append(sign);
        return new QimenRequest(method, url.ToString(), headers, body, QimenSignature.Mask(toSign, endpoint.Secret), sign);
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> in GMT+8, the format <c>SpiUtils.checkTimestamp</c> parses.</summary>
    public static string Timestamp(DateTimeOffset now) =>
        now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    static (string Path, string Query) SplitUrl(string url)
    {
        var q = url.IndexOf('?');
        return q < 0 ? (url, "") : (url[..q], url[(q + 1)..].TrimEnd('&'));
    }
}
