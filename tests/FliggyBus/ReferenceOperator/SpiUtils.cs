using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Tests.FliggyBus.ReferenceOperator;

/// <summary>The parts of an HTTP request <c>SpiUtils</c> reads (a servlet request, in Java).</summary>
public sealed record SpiRequest(
    string? ContentType,
    string RawQuery,
    Func<string, string?> Header,
    string? Body,
    IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>
/// A line-by-line port of the public Qimen verifier <c>com.taobao.api.internal.spi.SpiUtils</c> (checkSign,
/// getHeaderMap, getQueryMap, getFormMap, sign, checkTimestamp), written apart from the sandbox's own signer so that
/// the tests judge the sandbox by what a merchant runs. Java behaviours kept: <c>String.split</c> dropping trailing
/// empty strings, <c>URLDecoder</c> turning '+' into a space, no trimming of <c>top-sign-list</c> names, blank header
/// values as "", <c>Arrays.sort</c> ordinal order, upper-case hex, exact comparison with the query's <c>sign</c>.
/// </summary>
public static class SpiUtils
{
    public sealed record CheckResult(bool Success, string? RequestBody, string LocalSign, string? RemoteSign, string ParamString);

    public static CheckResult CheckSign(SpiRequest request, string secret)
    {
        var ctype = request.ContentType;
        var charset = GetResponseCharset(ctype);
        if (!string.IsNullOrEmpty(ctype) && (ctype.StartsWith("application/json", StringComparison.Ordinal) || ctype.StartsWith("text/xml", StringComparison.Ordinal)
                                             || ctype.StartsWith("text/plain", StringComparison.Ordinal)))
            return CheckSignInternal(request, request.Body ?? "", secret, charset);
        if (string.IsNullOrEmpty(ctype) || ctype.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
            return CheckSignInternal(request, null, secret, charset);
        throw new InvalidOperationException("Unspported SPI request");
    }

    static CheckResult CheckSignInternal(SpiRequest request, string? body, string secret, Encoding charset)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in GetHeaderMap(request, charset)) parameters[k] = v;
        var queryMap = GetQueryMap(request, charset);
        foreach (var (k, v) in queryMap) parameters[k] = v;
        if (body is null)
            foreach (var (k, v) in GetFormMap(request, queryMap)) parameters[k] = v;
        var remote = queryMap.GetValueOrDefault("sign");
        var paramString = GetParamStrFromMap(parameters);
        var local = Sign(paramString, body, secret, charset);
        return new CheckResult(local == remote, body, local, remote, paramString);
    }

    public static Dictionary<string, string> GetHeaderMap(SpiRequest request, Encoding charset)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var signList = request.Header("top-sign-list");
        if (!IsEmpty(signList))
            foreach (var key in signList!.Split(','))
            {
                var value = request.Header(key);
                map[key] = IsEmpty(value) ? "" : UrlDecode(value!, charset);
            }
        return map;
    }

    public static Dictionary<string, string> GetQueryMap(SpiRequest request, Encoding charset)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var param in request.RawQuery.Split('&'))
        {
            var kv = JavaSplit(param, '=');
            if (kv.Length == 2) map[UrlDecode(kv[0], charset)] = UrlDecode(kv[1], charset);
            else if (kv.Length == 1) map[UrlDecode(kv[0], charset)] = "";
        }
        return map;
    }

    static Dictionary<string, string> GetFormMap(SpiRequest request, Dictionary<string, string> queryMap)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Parameters ?? new Dictionary<string, string>())
            if (!queryMap.ContainsKey(key)) map[key] = IsEmpty(value) ? "" : value;
        return map;
    }

    static string GetParamStrFromMap(Dictionary<string, string> parameters)
    {
        var keys = parameters.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var key in keys)
            if (key != "sign") sb.Append(key).Append(parameters[key]);
        return sb.ToString();
    }

    static string Sign(string paramString, string? body, string secret, Encoding charset)
    {
        var sb = new StringBuilder(secret).Append(paramString);
        if (body is not null) sb.Append(body);
        sb.Append(secret);
        return Convert.ToHexString(MD5.HashData(charset.GetBytes(sb.ToString())));
    }

    /// <summary><c>checkTimestamp</c>: the <c>timestamp</c> parameter (GMT+8) is at most <paramref name="minutes"/> old.</summary>
    public static bool CheckTimestamp(string? timestamp, int minutes, DateTimeOffset now)
    {
        if (timestamp is null) return false;
        if (!DateTimeOffset.TryParseExact(timestamp + " +08:00", "yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var remote))
            throw new FormatException($"Unparseable date: \"{timestamp}\"");
        return (now - remote).TotalMilliseconds <= minutes * 60 * 1000L;
    }

    /// <summary>Java's <c>String.split(regex)</c> for a one-character literal: trailing empty strings removed.</summary>
    static string[] JavaSplit(string s, char separator)
    {
        if (s.Length == 0) return [""];
        var parts = s.Split(separator).ToList();
        while (parts.Count > 0 && parts[^1].Length == 0) parts.RemoveAt(parts.Count - 1);
        return parts.ToArray();
    }

    static string UrlDecode(string s, Encoding charset) =>
        System.Web.HttpUtility.UrlDecode(s, charset);

    static bool IsEmpty(string? s) => s is null || s.All(char.IsWhiteSpace);

    static Encoding GetResponseCharset(string? ctype)
    {
        var charset = "UTF-8";
        if (!IsEmpty(ctype))
            foreach (var raw in ctype!.Split(';'))
            {
                var param = raw.Trim();
                if (!param.StartsWith("charset", StringComparison.Ordinal)) continue;
                var pair = param.Split('=', 2);
                if (pair.Length == 2 && !IsEmpty(pair[1])) charset = pair[1].Trim();
                break;
            }
        return Encoding.GetEncoding(charset);
    }
}
