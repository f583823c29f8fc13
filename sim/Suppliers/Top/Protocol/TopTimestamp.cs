using System.Globalization;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// The <c>timestamp</c> check (spec §1.3): <c>yyyy-MM-dd HH:mm:ss</c> read as China time (GMT+8) and compared with the
/// tenant's virtual clock. Clients that stamp the machine's local time (the Go and PHP SDKs, the JavaScript clients)
/// fail from a UTC machine exactly as against the real gateway; the diagnostic says why.
/// </summary>
public static class TopTimestamp
{
    public static readonly TimeSpan China = TimeSpan.FromHours(8);
    public const string Format = "yyyy-MM-dd HH:mm:ss";

    public static string Of(DateTimeOffset t) => t.ToOffset(China).ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return false;
        value = new DateTimeOffset(local, China);
        return true;
    }

    /// <summary>Null when the timestamp is acceptable; otherwise the error and what the sandbox makes of it.</summary>
    public static (TopError Error, string Diagnostic)? Check(string? text, DateTimeOffset now, TimeSpan? tolerance)
    {
        if (string.IsNullOrEmpty(text)) return (TopError.MissingTimestamp(), "no timestamp parameter");
        if (!TryParse(text, out var sent))
            return (TopError.InvalidTimestamp(), $"timestamp '{Clip(text)}' is not {Format} (GMT+8)");
        if (tolerance is not { } window || (sent - now).Duration() <= window) return null;
        var expected = Of(now);
        var asUtc = new DateTimeOffset(sent.DateTime, TimeSpan.Zero);
        if ((asUtc - now).Duration() <= window)
            return (TopError.InvalidTimestamp(),
                $"timestamp '{text}' looks like UTC; TOP expects GMT+8 (China time): the tenant's clock reads '{expected}'. Clients that stamp the machine's local time need TZ=Asia/Shanghai");
        var off = sent - now;
        return (TopError.InvalidTimestamp(),
            $"timestamp '{text}' is {Math.Abs(off.TotalMinutes):0} minutes {(off > TimeSpan.Zero ? "ahead of" : "behind")} the tenant's clock ('{expected}' GMT+8); the window is {window.TotalMinutes:0} minutes either way");
    }

    static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
