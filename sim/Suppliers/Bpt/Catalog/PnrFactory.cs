using System.Globalization;
using Bogus;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Catalog;

/// <summary>
/// Makes PNR fixtures from a seed with Bogus (zh_CN names): the generated catalogue of a scenario, and the
/// spec's fixture for a PNR nobody described (spec §5.2: 1 adult, one segment on today + 7, 1180.0 + 180.0, the
/// three policies of the PB3 sample).
/// </summary>
public sealed class PnrFactory
{
    static readonly (string From, string To, int Minutes)[] Routes =
    [
        ("PEK", "SHA", 135), ("PEK", "CAN", 195), ("SHA", "CAN", 150), ("PEK", "CTU", 180), ("SHA", "SZX", 140),
        ("CTU", "PVG", 165), ("CAN", "HAK", 80), ("PEK", "KMG", 225), ("XIY", "SHA", 140), ("HGH", "SZX", 130),
    ];

    static readonly string[] Cabins = ["Y", "B", "M", "H", "K", "L", "Q"];

    readonly string[] _names;
    readonly int _seed;

    public PnrFactory(int seed)
    {
        _seed = seed;
        var faker = new Faker("zh_CN") { Random = new Randomizer(seed) };
        // A pool drawn once per seed: the default fixture of any PNR picks from it by hash, without a Faker per request.
        _names = Enumerable.Range(0, 512).Select(_ => faker.Name.LastName() + faker.Name.FirstName()).ToArray();
    }

    /// <summary>The spec's fixture for an unknown PNR; the passenger's name and the flight are stable per PNR.</summary>
    public PnrFixture Default(string air, string bigPnr, string? smallPnr, DateOnly today)
    {
        var h = BigPnr.Fnv(air + bigPnr) ^ (uint)_seed;
        var route = Routes[h % (uint)Routes.Length];
        var depMinutes = 7 * 60 + (int)(h / 7 % 28) * 30;
        var passenger = new BptPassenger(_names[h % (uint)_names.Length], "ADT", IdNumber(new Randomizer((int)h)));
        return new PnrFixture
        {
            Air = air,
            BigPnr = bigPnr,
            SmallPnr = smallPnr,
            Passengers = [passenger],
            Segments = [Segment(air, 1000 + (int)(h % 8000), route, today.AddDays(7), depMinutes, Cabins[h / 3 % (uint)Cabins.Length])],
            TicketPrice = 1180m,
            TotalTax = 180m,
            Policies = [new("4043972", 6.00m), new("4043973", 5.50m), new("4043974", 5.00m)],
        };
    }

    /// <summary><paramref name="count"/> fixtures for the given airlines, the same for the same seed.</summary>
    public IReadOnlyList<PnrFixture> Generate(int count, IReadOnlyList<string> airlines, DateOnly today)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(_seed ^ 0x5bd1e995) };
        var r = faker.Random;
        var list = new List<PnrFixture>(count);
        var used = new HashSet<string>();
        while (list.Count < count)
        {
            var small = r.String2(1, "ABCDEFGHJKLMNPQRSTUVWXY") + r.String2(5, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789");
            if (!used.Add(small)) continue;
            var air = airlines[r.Int(0, airlines.Count - 1)];
            var adults = r.Int(1, 3);
            var children = r.Bool(0.2f) ? 1 : 0;
            var passengers = Enumerable.Range(0, adults + children)
                .Select(i => new BptPassenger(faker.Name.LastName() + faker.Name.FirstName(), i < adults ? "ADT" : "CHD", IdNumber(r)))
                .ToList();
            var route = r.ArrayElement(Routes);
            var date = today.AddDays(r.Int(3, 60));
            var adultFare = r.Int(50, 250) * 10m;
            var perPassengerTax = 50m + r.Int(0, 15) * 10m;
            var policies = Enumerable.Range(0, r.Int(1, 3))
                .Select(i => new FixturePolicy(r.Int(1_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture), r.Int(4, 16) * 0.5m))
                .OrderByDescending(p => p.PolicyNum)
                .ToList();
            list.Add(new PnrFixture
            {
                Air = air,
                BigPnr = BigPnr.Of(small),
                SmallPnr = small,
                Passengers = passengers,
                Segments = [Segment(air, r.Int(1000, 9899), route, date, r.Int(14, 43) * 30, r.ArrayElement(Cabins))],
                TicketPrice = adultFare * adults + Math.Round(adultFare / 2, 0) * children,
                TotalTax = perPassengerTax * passengers.Count,
                Policies = policies,
            });
        }
        return list;
    }

    static BptSegment Segment(string air, int number, (string From, string To, int Minutes) route, DateOnly date, int depMinutes, string cabin)
    {
        var dep = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(depMinutes));
        var arr = dep.AddMinutes(route.Minutes);
        return new BptSegment(air + number.ToString(CultureInfo.InvariantCulture), route.From, route.To,
            date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dep.ToString("HH:mm", CultureInfo.InvariantCulture),
            arr.ToString("HH:mm", CultureInfo.InvariantCulture), cabin);
    }

    /// <summary>An 18-digit resident identity number with a valid ISO 7064 MOD 11-2 check character.</summary>
    static string IdNumber(Randomizer r)
    {
        string[] regions = ["110101", "310104", "440106", "510107", "330106", "420102"];
        var birth = new DateOnly(1960, 1, 1).AddDays(r.Int(0, 365 * 45));
        var body = r.ArrayElement(regions) + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + r.Int(0, 999).ToString("000", CultureInfo.InvariantCulture);
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
