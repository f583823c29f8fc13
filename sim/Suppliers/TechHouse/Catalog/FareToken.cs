using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Suppliers.TechHouse.Catalog;

/// <summary>
/// The routing <c>data</c> LowFareSearch hands out (spec §4.3, "session data under 1000 bytes"). It carries the
/// routing's identity in the catalogue, signed with HMAC, so that AirPricing can rebuild the routing without
/// the sandbox remembering every search result — searches cost no memory however many a load test runs.
/// </summary>
public sealed record FareToken(
    string From, string To, string FromDate, string RetDate, string OutFlight, string OutCabin, string RetFlight, string RetCabin,
    int Adults, int Children, long IssuedMs)
{
    public string Encode(byte[] key)
    {
        var payload = string.Join('|', "1", From, To, FromDate, RetDate, OutFlight, OutCabin, RetFlight, RetCabin,
            Adults.ToString(CultureInfo.InvariantCulture), Children.ToString(CultureInfo.InvariantCulture), IssuedMs.ToString(CultureInfo.InvariantCulture));
        var bytes = Encoding.ASCII.GetBytes(payload);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, bytes).AsSpan(0, 12));
    }

    public static FareToken? Decode(string data, byte[] key)
    {
        var dot = data.IndexOf('.');
        if (dot <= 0) return null;
        byte[] bytes, mac;
        try
        {
            bytes = Base64Url.DecodeFromChars(data.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(data.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (mac.Length != 12 || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, bytes).AsSpan(0, 12))) return null;
        var p = Encoding.ASCII.GetString(bytes).Split('|');
        if (p.Length != 12 || p[0] != "1") return null;
        return new FareToken(p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], int.Parse(p[9], CultureInfo.InvariantCulture),
            int.Parse(p[10], CultureInfo.InvariantCulture), long.Parse(p[11], CultureInfo.InvariantCulture));
    }

    /// <summary>A token key per tenant: one tenant's data cannot be replayed by another.</summary>
    public static byte[] KeyFor(string tenant, string secret) => SHA256.HashData(Encoding.UTF8.GetBytes("techhouse-fare-token|" + secret + "|" + tenant));
}
