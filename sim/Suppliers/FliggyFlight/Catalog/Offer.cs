using Sandbox.Suppliers.FliggyFlight.Model;

namespace Sandbox.Suppliers.FliggyFlight.Catalog;

/// <summary>One journey of an offer: a flight and the booking class sold on it (the catalogue has direct flights only).</summary>
public sealed record OfferLeg(Flight Flight, Cabin Cabin);

/// <summary>
/// A quote as search returns it (a <c>flight_item</c>): the product (<c>OTA</c> shop or <c>SELF</c> self-operated), the
/// shop, one leg per journey, whether it is a member-price item, the passenger types it sells to, and its prices.
/// </summary>
public sealed record Offer(string Product, string Seller, IReadOnlyList<OfferLeg> Legs, MemberRule? Member, bool SupportChild, bool SupportInfant)
{
    public const string Ota = "OTA";
    public const string Self = "SELF";
    public const string SelfSeller = "飞猪机票自营";

    /// <summary>The offers a flight has in one booking class: the shop's, the self-operated one, and the member-price one.</summary>
    public static IEnumerable<Offer> For(Flight flight, Cabin cabin)
    {
        var sale = flight.Sale;
        OfferLeg[] legs = [new(flight, cabin)];
        yield return new Offer(Ota, sale.Seller, legs, null, sale.Child, sale.Infant);
        if (sale.Self) yield return new Offer(Self, SelfSeller, legs, null, true, sale.Infant);
        // Member prices are an economy shop item; airlines do not sell them for children or infants.
        if (sale.Member is { } m && cabin.CabinClass == "Y") yield return new Offer(Ota, sale.Seller, legs, m, false, false);
    }

    /// <summary>A round trip of two one-way offers of the same product and kind.</summary>
    public static Offer Combine(Offer outbound, Offer inbound) =>
        outbound with
        {
            Legs = [.. outbound.Legs, .. inbound.Legs],
            SupportChild = outbound.SupportChild && inbound.SupportChild,
            SupportInfant = outbound.SupportInfant && inbound.SupportInfant,
        };

    /// <summary>Prices per leg (a passenger's fare, construction fee and fuel surcharge on that flight).</summary>
    public IReadOnlyList<LegPrices> LegPrices(decimal markup) => Legs.Select(l => Catalog.LegPrices.Of(this, l, markup)).ToList();

    /// <summary>The item's per-type prices (spec §2.2): the sum over its legs.</summary>
    public ItemPrices Prices(decimal markup) => ItemPrices.Sum(LegPrices(markup));
}

/// <summary>What one passenger of each type pays on one leg, yuan.</summary>
public sealed record LegPrices(
    decimal AdtFare, decimal AdtBuild, decimal AdtOil, decimal ChdFare, decimal ChdBuild, decimal ChdOil, decimal InfFare, decimal InfBuild, decimal InfOil)
{
    const decimal ConstructionFee = 50m;

    /// <summary>
    /// Adults pay the class fare (the shop's discount off it; member items 10 % below), 50 yuan construction fee and the
    /// route's fuel surcharge; children half the economy full fare (half the class fare in premium cabins), no
    /// construction fee and half the surcharge; infants a tenth of the full fare and no taxes — the domestic rules.
    /// <paramref name="markup"/> raises every fare (the price-change magic value).
    /// </summary>
    public static LegPrices Of(Offer offer, OfferLeg leg, decimal markup)
    {
        var (flight, cabin) = (leg.Flight, leg.Cabin);
        var adult = offer.Member is not null ? FlightCatalog.Round10(cabin.Fare * 0.9m)
            : offer.Product == Offer.Ota ? Math.Max(10m, cabin.Fare - flight.Sale.OtaDiscount * 10m)
            : cabin.Fare;
        var childBase = cabin.CabinClass == "Y" ? flight.FullFare : cabin.Fare;
        decimal Up(decimal fare) => markup == 0 ? fare : FlightCatalog.Round10(fare * (1 + markup));
        return new LegPrices(
            Up(adult), ConstructionFee, flight.Oil,
            Up(FlightCatalog.Round10(childBase * 0.5m)), 0m, Math.Floor(flight.Oil / 2),
            Up(FlightCatalog.Round10(flight.FullFare * 0.1m)), 0m, 0m);
    }

    public FarePart For(PassengerType type) => type switch
    {
        PassengerType.Child => new FarePart(ChdFare, ChdBuild, ChdOil),
        PassengerType.Infant => new FarePart(InfFare, InfBuild, InfOil),
        _ => new FarePart(AdtFare, AdtBuild, AdtOil),
    };
}

/// <summary>A passenger's price on one leg: sell price, construction fee, fuel surcharge (<c>flight_price</c>).</summary>
public sealed record FarePart(decimal Sell, decimal Build, decimal Oil)
{
    public decimal Tax => Build + Oil;
    public decimal Total => Sell + Build + Oil;
}

/// <summary>The eleven per-type price fields of an item (spec §2.2) and the order total they give.</summary>
public sealed record ItemPrices(
    decimal AdtFlightItemPrice, decimal AdtBuildFee, decimal AdtOilFee,
    decimal ChdFlightItemPrice, decimal ChdBuildFee, decimal ChdOilFee,
    decimal InfFlightItemPrice, decimal InfBuildFee, decimal InfOilFee)
{
    public decimal ChdTotalFee => ChdBuildFee + ChdOilFee;
    public decimal InfTotalFee => InfBuildFee + InfOilFee;

    public static ItemPrices Sum(IReadOnlyList<LegPrices> legs) => new(
        legs.Sum(l => l.AdtFare), legs.Sum(l => l.AdtBuild), legs.Sum(l => l.AdtOil),
        legs.Sum(l => l.ChdFare), legs.Sum(l => l.ChdBuild), legs.Sum(l => l.ChdOil),
        legs.Sum(l => l.InfFare), legs.Sum(l => l.InfBuild), legs.Sum(l => l.InfOil));

    /// <summary><c>total_price</c> (spec §2.2): adults' fare + fees, children's fare + total fee, infants' fare + total fee.</summary>
    public decimal Total(int adults, int children, int infants) =>
        adults * (AdtFlightItemPrice + AdtBuildFee + AdtOilFee)
        + children * (ChdFlightItemPrice + ChdTotalFee)
        + infants * (InfFlightItemPrice + InfTotalFee);
}
