using System.Globalization;

namespace Sandbox.Suppliers.FliggyFlight.Model;

/// <summary>Every time on the wire is China time, <c>yyyy-MM-dd HH:mm:ss</c> (spec §0).</summary>
public static class Times
{
    public const string Format = "yyyy-MM-dd HH:mm:ss";
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static string Of(long virtualMs) => DateTimeOffset.FromUnixTimeMilliseconds(virtualMs).ToOffset(China).ToString(Format, CultureInfo.InvariantCulture);

    public static string? Of(long? virtualMs) => virtualMs is { } ms ? Of(ms) : null;

    public static DateTime Local(DateTimeOffset t) => t.ToOffset(China).DateTime;

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(Local(now));

    /// <summary>A China-local time string as an instant.</summary>
    public static DateTimeOffset Instant(string local) =>
        new(DateTime.ParseExact(local, Format, CultureInfo.InvariantCulture), China);

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return false;
        value = new DateTimeOffset(t, China);
        return true;
    }

    public static bool TryParseDate(string? text, out DateOnly value) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
}
