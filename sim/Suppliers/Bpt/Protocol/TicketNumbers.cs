using System.Collections.Frozen;
using System.Globalization;
using Sandbox.Suppliers.Bpt.Catalog;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// Ticket numbers (spec §8): accepted as 111-1111111111 or 1111111111111 (rules document §5), compared without the
/// dash, and emitted dashed with the airline's numeric ticketing prefix.
/// </summary>
public static class TicketNumbers
{
    static readonly FrozenDictionary<string, string> Prefixes = new Dictionary<string, string>
    {
        ["CA"] = "999", ["MU"] = "781", ["CZ"] = "784", ["HU"] = "880", ["3U"] = "876", ["ZH"] = "479", ["MF"] = "731",
        ["SC"] = "324", ["FM"] = "774", ["HO"] = "018", ["KY"] = "833", ["8L"] = "859", ["EU"] = "811", ["G5"] = "987",
        ["PN"] = "847", ["GS"] = "826", ["JD"] = "898", ["TV"] = "088",
    }.ToFrozenDictionary();

    public static string Prefix(string air) => Prefixes.GetValueOrDefault(air) ?? "999";

    /// <summary>
    /// The ticket of passenger <paramref name="index"/> (0-based) of an order: a 10-digit serial 21xxxxxxxN that is
    /// the same for the same order and passenger, on any run.
    /// </summary>
    public static string Issue(string air, string orderId, int index)
    {
        var serial = 2_100_000_000L + BigPnr.Fnv(orderId) % 9_000_000 * 10 + index + 1;
        return Prefix(air) + "-" + serial.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The 13 digits of a ticket number in either accepted format, or null when it is neither.</summary>
    public static string? Normalise(string text)
    {
        var t = text.Trim();
        if (t.Length == 14 && t[3] == '-' && t.Remove(3, 1).All(char.IsAsciiDigit)) return t.Remove(3, 1);
        if (t.Length == 13 && t.All(char.IsAsciiDigit)) return t;
        return null;
    }
}
