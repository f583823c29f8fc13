using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Sandbox.Suppliers.FliggyFlight.Catalog;

/// <summary>What an <c>item_id</c> names: the product, whether the member-price item, when it was quoted, and each leg.</summary>
public sealed record ItemRef(string Product, bool Member, long IssuedMs, IReadOnlyList<(string FlightNo, string Dep, string Arr, DateOnly Date, string Cabin)> Legs);

/// <summary>
/// The opaque offer key search hands out and airbook takes back (spec §2.3): the quote's coordinates and issue time on
/// the tenant's clock, Base64url, with a MAC bound to the tenant so that a tampered or foreign key is simply unknown.
/// Nothing is stored per search: airbook re-prices the flight from the catalogue.
/// </summary>
public static class ItemId
{
    static readonly byte[] Key = Encoding.UTF8.GetBytes("sandbox-fliggy-flight-item");

    public static string Encode(string tenant, Offer offer, long issuedMs)
    {
        var sb = new StringBuilder("1|").Append(offer.Product).Append('|').Append(offer.Member is null ? '0' : '1').Append('|')
            .Append(issuedMs.ToString(CultureInfo.InvariantCulture));
        foreach (var l in offer.Legs)
            sb.Append('|').Append(l.Flight.MarketingFlightNo).Append('.').Append(l.Flight.DepAirport).Append('.').Append(l.Flight.ArrAirport)
                .Append('.').Append(l.Flight.DepTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)).Append('.').Append(l.Cabin.Code);
        var payload = Encoding.UTF8.GetBytes(sb.ToString());
        return WebEncoders.Base64UrlEncode(payload) + "~" + Mac(tenant, payload);
    }

    public static ItemRef? Decode(string tenant, string itemId)
    {
        var cut = itemId.IndexOf('~');
        if (cut <= 0) return null;
        byte[] payload;
        try
        {
            payload = WebEncoders.Base64UrlDecode(itemId[..cut]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(tenant, payload)), Encoding.ASCII.GetBytes(itemId[(cut + 1)..]))) return null;
        var parts = Encoding.UTF8.GetString(payload).Split('|');
        if (parts.Length < 5 || parts[0] != "1" || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var issued)) return null;
        var legs = new List<(string, string, string, DateOnly, string)>();
        foreach (var leg in parts[4..])
        {
            var f = leg.Split('.');
            if (f.Length != 5 || !DateOnly.TryParseExact(f[3], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return null;
            legs.Add((f[0], f[1], f[2], date, f[4]));
        }
        return new ItemRef(parts[1], parts[2] == "1", issued, legs);
    }

    // A search quotes dozens of items: the HMAC keeps its key schedule per thread and tenant instead of starting over
    // for each item (a one-shot HMAC per item was a tenth of a search's CPU).
    [ThreadStatic] static IncrementalHash? _mac;
    [ThreadStatic] static string? _macTenant;

    static string Mac(string tenant, byte[] payload)
    {
        if (_mac is null || _macTenant != tenant)
        {
            _mac?.Dispose();
            _mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(tenant)));
            _macTenant = tenant;
        }
        _mac.AppendData(payload);
        Span<byte> hash = stackalloc byte[32];
        _mac.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
