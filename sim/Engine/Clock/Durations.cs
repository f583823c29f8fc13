using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace Sandbox.Engine.Clock;

/// <summary>Parses the two duration spellings scenario files and the admin API use: ISO-8601 (PT2M) and short (250ms, 5s, 2m, 1h).</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<u>ms|s|m|h|d)$")]
    private static partial Regex Short();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var m = Short().Match(text);
        if (m.Success)
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            value = m.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            return true;
        }
        var negative = text.StartsWith('-');
        try
        {
            value = XmlConvert.ToTimeSpan(negative ? text[1..] : text);
            if (negative) value = -value;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a duration (use PT2M or 250ms/5s/2m/1h)");

    public static string ToIso(TimeSpan t) => XmlConvert.ToString(t);
}
