using System.Collections.Frozen;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>One merchant API Fliggy calls over Qimen (spec §4): its method name, the seed's document id and purpose.</summary>
public sealed record QimenMethod(string Name, int DocId, string Purpose);

/// <summary>
/// The 11 merchant APIs of the custom-bus scenario. Three names are public (tocity.query, order.confirm,
/// offline.number.query); the other eight follow their pattern (spec §4 table).
/// </summary>
public static class QimenMethods
{
    public const string FromCityQuery = "qimen.alitrip.custombus.product.fromcity.query";
    public const string ToCityQuery = "qimen.alitrip.custombus.product.tocity.query";
    public const string NumberQuery = "qimen.alitrip.custombus.product.number.query";
    public const string SeatQuery = "qimen.alitrip.custombus.product.seat.query";
    public const string OrderCreate = "qimen.alitrip.custombus.order.create";
    public const string OrderQuery = "qimen.alitrip.custombus.order.query";
    public const string OrderConfirm = "qimen.alitrip.custombus.order.confirm";
    public const string ReturnConfirm = "qimen.alitrip.custombus.return.confirm";
    public const string ReturnQuery = "qimen.alitrip.custombus.return.query";
    public const string OfflineNumberQuery = "qimen.alitrip.custombus.offline.number.query";
    public const string OrderClose = "qimen.alitrip.custombus.order.close";

    public static readonly IReadOnlyList<QimenMethod> All =
    [
        new(FromCityQuery, 63238, "departure provinces and cities"),
        new(ToCityQuery, 63237, "arrival cities of one departure city"),
        new(NumberQuery, 63236, "lines and schedules between two cities"),
        new(SeatQuery, 63235, "left tickets of one schedule"),
        new(OrderCreate, 63228, "create the merchant order and lock seats"),
        new(OrderQuery, 63227, "real-time order view, offline refunds"),
        new(OrderConfirm, 63226, "issue the tickets of a paid order"),
        new(ReturnConfirm, 63225, "confirm a refund the user submitted"),
        new(ReturnQuery, 63224, "refund fee per passenger"),
        new(OfflineNumberQuery, 63223, "stopped schedules"),
        new(OrderClose, 64430, "release an unpaid or unissued order"),
    ];

    static readonly FrozenDictionary<string, QimenMethod> ByName = All.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names { get; } = All.Select(m => m.Name).ToArray();

    public static bool IsKnown(string name) => ByName.ContainsKey(name);
}
