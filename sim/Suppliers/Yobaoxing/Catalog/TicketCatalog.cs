using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Bogus;
using Sandbox.Engine.Scenarios;

namespace Sandbox.Suppliers.Yobaoxing.Catalog;

public sealed record Product(
    string Id, string Name, int ClassId, string ClassName, string Unit, decimal Price, int Minimum, int Maximum, int SimpleIdMaximum,
    string ShippingMethod, int Preorder, int PreorderDays, int WebPreDays, int WebLong, bool NeedName, int DailyQuota, bool Theatre,
    string ConditionsOfSale);

public sealed record Route(string Code, string Name, IReadOnlyList<string> ProductIds);

public sealed record TimeSegment(int Index, string Start, string End, int TotalCapacity, int Capacity);

public sealed record FeeItem(string ProductId, string ProductName, int UnitCount, string Unit, string FeeCalMode, decimal FeeValue);

public sealed record Seat(string Id, string Name, int Column);

public sealed record SeatRow(string Id, string Name, IReadOnlyList<Seat> Seats);

public sealed record SeatArea(string Id, string Name, string Color, string ProductId, IReadOnlyList<SeatRow> Rows)
{
    public IEnumerable<Seat> Seats => Rows.SelectMany(r => r.Seats);
}

public sealed record Sence(string Id, string Name, string Start, string End);

public sealed record Theater(string Id, string Name, IReadOnlyList<Sence> Sences, IReadOnlyList<SeatArea> Areas);

/// <summary>
/// The supplier's catalogue, built from the scenario's <c>catalog:</c> section and its seed (Bogus for the ids), so the
/// same scenario always yields the same product ids: scenic products, routes and time slots, penalty rules, theatres
/// with sessions, seat areas, rows and seats. One instance per loaded scenario.
/// </summary>
public sealed class TicketCatalog
{
    static readonly ConditionalWeakTable<Scenario, TicketCatalog> Cache = new();

    public string ProviderId { get; }
    public string ProviderName { get; }
    public IReadOnlyList<Product> Products { get; }
    public IReadOnlyDictionary<string, Product> ById { get; }
    public IReadOnlyList<Route> Routes { get; }
    public IReadOnlyList<TimeSegment> TimeSegments { get; }
    public IReadOnlyList<FeeItem> Fees { get; }
    public IReadOnlyList<Theater> Theaters { get; }
    public IReadOnlyList<string> PayChannels { get; }
    readonly Dictionary<string, (Theater Theater, SeatArea Area, SeatRow Row, Seat Seat)> _seats = new(StringComparer.OrdinalIgnoreCase);

    public static TicketCatalog For(Scenario s) => Cache.GetValue(s, x => new TicketCatalog(x.Catalog, x.Seed));

    public TicketCatalog(JsonObject catalog, int seed)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(seed) };
        var provider = catalog["provider"] as JsonObject;
        ProviderId = Str(provider, "id") ?? faker.Random.ReplaceNumbers("530#####");
        ProviderName = Str(provider, "name") ?? "游宝星示范景区";

        var products = new List<Product>();
        foreach (var p in (catalog["products"] as JsonArray ?? []).OfType<JsonObject>())
            products.Add(MakeProduct(p, faker, false));
        var theaters = new List<Theater>();
        var areaSeq = 0;
        var senceSeq = 0;
        foreach (var (t, ti) in (catalog["theatres"] as JsonArray ?? []).OfType<JsonObject>().Select((t, i) => (t, i)))
        {
            var theaterId = (1001 + ti).ToString(CultureInfo.InvariantCulture);
            var sences = (t["sessions"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(s => new Sence((2001 + senceSeq++).ToString(CultureInfo.InvariantCulture), Str(s, "name") ?? "场次", Str(s, "start") ?? "1930", Str(s, "end") ?? "2100"))
                .ToList();
            var areas = new List<SeatArea>();
            foreach (var a in (t["areas"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var areaId = (3001 + areaSeq++).ToString(CultureInfo.InvariantCulture);
                var product = MakeProduct(new JsonObject
                {
                    ["name"] = $"{Str(t, "name")}{Str(a, "name")}票",
                    ["price"] = a["price"]?.DeepClone() ?? 280,
                    ["maximum"] = 10,
                }, faker, true);
                products.Add(product);
                var rows = new List<SeatRow>();
                int rowCount = Int(a, "rows", 5), perRow = Int(a, "seats", 10);
                for (var r = 1; r <= rowCount; r++)
                {
                    var rowId = $"{areaId}{r:00}";
                    rows.Add(new SeatRow(rowId, $"{r}排", Enumerable.Range(1, perRow).Select(c => new Seat($"{rowId}{c:00}", $"{c}座", c)).ToList()));
                }
                areas.Add(new SeatArea(areaId, Str(a, "name") ?? "A区", Str(a, "color") ?? "#1890FF", product.Id, rows));
            }
            theaters.Add(new Theater(theaterId, Str(t, "name") ?? "大剧院", sences, areas));
        }
        Products = products;
        ById = products.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        Theaters = theaters;
        foreach (var th in theaters)
        foreach (var area in th.Areas)
        foreach (var row in area.Rows)
        foreach (var seat in row.Seats)
            _seats[seat.Id] = (th, area, row, seat);

        Routes = (catalog["routes"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new Route(
            Str(r, "code") ?? "01", Str(r, "name") ?? "线路",
            (r["products"] as JsonArray ?? []).Select(n => n?.ToString()).Select(n => products.FirstOrDefault(p => p.Name == n)?.Id).OfType<string>().ToList())).ToList();
        TimeSegments = (catalog["timeSegments"] as JsonArray ?? []).OfType<JsonObject>().Select((s, i) => new TimeSegment(
            i + 1, Str(s, "start") ?? "08:00", Str(s, "end") ?? "10:00", Int(s, "capacity", 300), Int(s, "internet", Int(s, "capacity", 300) / 2))).ToList();
        Fees = (catalog["fees"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(f =>
        {
            var applies = Str(f, "product") is { } name ? products.Where(p => p.Name == name) : products;
            return applies.Select(p => new FeeItem(p.Id, p.Name, Int(f, "unitcount", 0), Str(f, "unit") ?? "D", Str(f, "feecalmode") ?? "B",
                decimal.Parse(f["feevalue"]?.ToString() ?? "0", CultureInfo.InvariantCulture)));
        }).ToList();
        PayChannels = (catalog["payChannels"] as JsonArray ?? []).Select(c => c!.ToString()).ToList();
    }

    static Product MakeProduct(JsonObject p, Faker faker, bool theatre)
    {
        var classId = Int(p, "classid", 1);
        return new Product(
            faker.Random.Guid().ToString().ToUpperInvariant(),
            Str(p, "name") ?? faker.Commerce.ProductName(),
            classId, classId == 0 ? "有形产品" : "虚拟产品",
            Str(p, "unit") ?? "张",
            decimal.Parse(p["price"]?.ToString() ?? "100", CultureInfo.InvariantCulture),
            Int(p, "minimum", 1), Int(p, "maximum", 50), Int(p, "simpleIdMaximum", 1),
            Str(p, "shippingmethod") ?? "A",
            Int(p, "preorder", 3), Int(p, "preorderDays", 1), Int(p, "webpredays", 0), Int(p, "weblong", 3),
            p["needname"]?.ToString() is "true" or "1",
            Int(p, "dailyQuota", 0),
            theatre,
            Str(p, "conditionsofsale") ?? (theatre ? "凭座位票入场" : "凭身份证或二维码入园"));
    }

    public Product? Product(string id) => ById.GetValueOrDefault(id);

    public Theater? Theater(string id) => Theaters.FirstOrDefault(t => t.Id == id);

    public (Theater Theater, Sence Sence)? Sence(string id)
    {
        foreach (var t in Theaters)
        foreach (var s in t.Sences)
            if (s.Id == id) return (t, s);
        return null;
    }

    public (Theater Theater, SeatArea Area)? Area(string id)
    {
        foreach (var t in Theaters)
        foreach (var a in t.Areas)
            if (a.Id == id) return (t, a);
        return null;
    }

    public (Theater Theater, SeatArea Area, SeatRow Row, Seat Seat)? Seat(string id) => _seats.TryGetValue(id, out var s) ? s : null;

    public IEnumerable<Product> ScenicProducts => Products.Where(p => !p.Theatre);

    public Route? RouteOf(string productId) => Routes.FirstOrDefault(r => r.ProductIds.Contains(productId));

    static string? Str(JsonObject? o, string name) => o?[name]?.ToString();

    static int Int(JsonObject o, string name, int fallback) =>
        o[name] is { } n && int.TryParse(n.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
