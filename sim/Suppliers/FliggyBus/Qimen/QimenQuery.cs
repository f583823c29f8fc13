using System.Net;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>
/// Reads a raw query string the way <c>SpiUtils.getQueryMap</c> does: pairs split on <c>&amp;</c> then on <c>=</c>;
/// one part is a key with an empty value, more than two parts drop the pair; keys and values URL-decoded
/// (<c>+</c> is a space).
/// </summary>
public static class QimenQuery
{
    public static IEnumerable<KeyValuePair<string, string>> Parse(string rawQuery)
    {
        if (rawQuery.Length == 0) yield break;
        foreach (var pair in rawQuery.Split('&'))
        {
            // Java's String.split drops trailing empty strings ("a=" is one part, "=" none) but keeps "" whole.
            if (pair.Length == 0)
            {
                yield return new("", "");
                continue;
            }
            var parts = pair.Split('=');
            var n = parts.Length;
            while (n > 0 && parts[n - 1].Length == 0) n--;
            if (n == 2) yield return new(Decode(parts[0]), Decode(parts[1]));
            else if (n == 1) yield return new(Decode(parts[0]), "");
        }
    }

    static string Decode(string s) => WebUtility.UrlDecode(s);
}
