using System.Text;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>A call as a pasteable curl command: the same URL (signed query), headers and body bytes.</summary>
public static class QimenCurl
{
    public static string For(QimenCall call) => For(call.Url, call.Headers, call.Body);

    public static string For(string url, IEnumerable<KeyValuePair<string, string>> headers, string body)
    {
        var sb = new StringBuilder("curl -sS -X POST ").Append(Quote(url));
        foreach (var (name, value) in headers) sb.Append(" -H ").Append(Quote($"{name}: {value}"));
        return sb.Append(" --data-binary ").Append(Quote(body)).ToString();
    }

    static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
