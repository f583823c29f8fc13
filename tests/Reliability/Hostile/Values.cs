using System.Text;

namespace Sandbox.Tests.Reliability.Hostile;

/// <summary>The hostile values and mutations every supplier's generator draws from.</summary>
public static class Values
{
    static Values() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Strings that have broken parsers, queries and templates elsewhere.</summary>
    public static readonly string[] Injections =
    [
        "' OR '1'='1", "1; DROP TABLE entities;--", "\" OR \"\"=\"", "<script>alert(1)</script>", "]]><x>", "<!--", "&amp;&lt;&#0;",
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "#{7*7}", "%00", "\0",
        "\r\nX-Injected: 1", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%s%s%s%n", "$(id)", "`id`", "|id", "\u202Eevil",
        "\uFEFF", "\uD800", "\uDFFF", "😀", "游宝星|^|^^", "张三&王五=1", "null", "undefined", "NaN", "Infinity", "-0", "1e309",
        "99999999999999999999999999999", "-2147483649", "0x7fffffff", "true", "[]", "{}", " ", "\t", new string('A', 5000),
    ];

    public static string Injection(Random rng) => Injections[rng.Next(Injections.Length)];

    /// <summary>A value of the wrong kind for whatever the field is.</summary>
    public static string WrongScalar(Random rng) => rng.Next(6) switch
    {
        0 => "-1",
        1 => "abc",
        2 => "2026-13-45",
        3 => "1.5",
        4 => "",
        _ => Injection(rng),
    };

    /// <summary>A field name as a sloppy client spells it.</summary>
    public static string CaseVaried(Random rng, string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (rng.Next(2) == 0) chars[i] = char.IsUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
        return new string(chars);
    }

    /// <summary>Text in an encoding the supplier did not ask for, or bytes no encoding accepts.</summary>
    public static byte[] WrongEncoding(Random rng, string text) => rng.Next(5) switch
    {
        0 => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
        1 => Encoding.GetEncoding("GBK").GetBytes(text + "游宝星"),
        2 => [.. Encoding.UTF8.GetBytes(text), 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1],
        3 => Encoding.Latin1.GetBytes(text + "ÿþ"),
        _ => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
    };

    /// <summary>Percent-encoding of raw bytes, for query strings and forms.</summary>
    public static string Percent(byte[] bytes) => string.Concat(bytes.Select(b =>
        b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' ? ((char)b).ToString() : $"%{b:X2}"));

    public static string Percent(string s) => Percent(Encoding.UTF8.GetBytes(s));

    /// <summary>Extra headers: many, long, repeated or odd ones (up to well past the 32 KB header limit).</summary>
    public static IEnumerable<(string, string)> HeaderFlood(Random rng)
    {
        var count = rng.Next(3) switch { 0 => 50, 1 => 300, _ => 700 };
        for (var i = 0; i < count; i++)
            yield return (rng.Next(4) == 0 ? "X-Same" : $"X-Flood-{i}", new string((char)('a' + rng.Next(26)), rng.Next(10, 90)));
    }
}
