using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.service.search (京杭搜索航班询价, spec §2.3): listing search of one OD (one way) or two (round trip),
/// or specified-flight search (search_mode 2). Listing answers per flight its cheapest economy and premium class, each
/// as the shop's item, the self-operated one and the member-price one where the flight has them; specified search
/// answers every class of the named flights. Round trips combine outbound and return items of the same product.
/// A search answers as of its virtual second (quote time, today, flights already gone), so the same request in the same
/// second with the same seats answers the same items: those are kept (<see cref="SearchMemo"/>) and only search_id is new.
/// </summary>
static class Search
{
    public const string Method = "alitrip.flight.service.search";
    const int MaxRoundTrips = 30;
    static readonly string[] CabinClasses = ["ALL_CABIN", "Y", "FC", "F", "C"];

    public static TopObject Handle(FlightCall call)
    {
        var second = call.NowMs - call.NowMs % 1000;
        var stamp = new SearchStamp(call.Settings, call.Catalog, call.Settings.TrackInventory ? call.Services.Inventory.Version(call.Tenant.Id) : 0, second);
        var request = call.Top.Str("search_flight_info_req") ?? "";
        var items = call.Services.Searches.Find(call.Tenant.Id, request, stamp);
        if (items is null)
        {
            items = new TopEncoded(Items(call, second));
            call.Services.Searches.Keep(call.Tenant.Id, request, stamp, items);
        }
        return FlightCall.Ok()
            .Add("search_id", Random.Shared.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture))
            .Add("flight_item_list", items);
    }

    /// <summary>The items a search answers at the virtual instant <paramref name="nowMs"/> (a whole second).</summary>
    static TopList Items(FlightCall call, long nowMs)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var req = call.Param("search_flight_info_req");
        var ods = req.Objects("search_od_info_list", required: true);
        if (ods.Count > 2) throw FlightError.ParamError("search_od_info_list holds one OD (one way) or two (round trip)");
        var cabinClass = (req.Str("cabin_class") ?? "ALL_CABIN").ToUpperInvariant();
        if (!CabinClasses.Contains(cabinClass)) throw FlightError.ParamError($"cabin_class '{cabinClass}': ALL_CABIN, Y, FC, F or C");
        var mode = req.Int("search_mode") ?? 1;
        var adults = req.Int("adult_num") ?? 1;
        var children = req.Int("child_num") ?? 0;
        var infants = req.Int("infant_num") ?? 0;
        if (adults is < 1 or > 9 || children < 0 || infants < 0 || adults + children > 9 || infants > adults)
            throw FlightError.ParamError("adult_num 1-9, child_num and infant_num from 0, at most 9 seats, infants no more than adults");
        var selected = req.Objects("search_selected_flight_list");
        if (selected.Count > 0 && mode != 2)
            throw FlightError.NoPrice("search_selected_flight_list is a specified-flight search: it needs search_mode 2 (FAQ 6)");

        var seats = adults + children;
        var today = Times.Today(now);
        var journeys = new List<List<Offer>>();
        foreach (var od in ods)
        {
            var dep = od.Str("dep_city_code", required: true)!.ToUpperInvariant();
            var arr = od.Str("arr_city_code", required: true)!.ToUpperInvariant();
            if (!Times.TryParseDate(od.Str("dep_date", required: true), out var date)) throw FlightError.ParamError($"{od.Path}.dep_date is yyyy-MM-dd");
            if (!ReferenceData.Cities.ContainsKey(dep) || !ReferenceData.Cities.ContainsKey(arr))
                throw FlightError.NoPrice($"{(ReferenceData.Cities.ContainsKey(dep) ? arr : dep)} is not a city code (airport codes such as PEK or PVG are not; FAQ 6)");
            if (date < today) throw FlightError.ParamError($"dep_date {date:yyyy-MM-dd} is in the past");
            if (date > today.AddDays(call.Catalog.HorizonDays)) throw FlightError.NoPrice($"dep_date beyond the {call.Catalog.HorizonDays}-day sales horizon");
            var nowLocal = Times.Local(now);
            var flights = call.Catalog.Flights(dep, arr, date).Where(f => f.DepTime > nowLocal);
            var wanted = selected.Where(s => Matches(s, dep, arr)).ToList();
            var offers = new List<Offer>();
            foreach (var flight in flights)
            {
                var cabins = flight.Cabins.Where(c => InClass(c, cabinClass) && call.SeatsLeft(flight, c) >= Math.Max(1, seats));
                if (selected.Count > 0)
                {
                    var picks = wanted.Where(s => Names(s, flight)).Take(1).ToList();
                    if (picks.Count == 0) continue;
                    var pick = picks[0];
                    var code = pick.Str("cabin_code");
                    cabins = cabins.Where(c => code is null || c.Code.Equals(code, StringComparison.OrdinalIgnoreCase));
                }
                else
                    cabins = cabins.GroupBy(c => c.CabinClass == "Y").Select(g => g.MinBy(c => c.Fare)!);
                offers.AddRange(cabins.SelectMany(c => Offer.For(flight, c)).Where(o => (children == 0 || o.SupportChild) && (infants == 0 || o.SupportInfant)));
            }
            journeys.Add(offers);
        }

        var items = journeys.Count == 1
            ? journeys[0]
            : (from o in journeys[0]
                from r in journeys[1]
                where o.Product == r.Product && o.Member is null && r.Member is null
                select Offer.Combine(o, r)).OrderBy(x => x.Prices(0).AdtFlightItemPrice).Take(MaxRoundTrips).ToList();
        if (items.Count == 0) throw FlightError.NoPrice("no flight of the catalogue matches (route, date, class, seats, passenger types)");

        var expire = Times.Of(nowMs + (long)call.Settings.ItemTtl.TotalMilliseconds);
        return TopList.Of("flight_item", items.Select(o => Item(call, o, journeys.Count, nowMs, expire)));
    }

    static bool InClass(Cabin c, string wanted) => wanted switch
    {
        "Y" => c.CabinClass == "Y",
        "FC" => c.CabinClass is "F" or "C",
        "F" => c.CabinClass == "F",
        "C" => c.CabinClass == "C",
        _ => true,
    };

    /// <summary>A selected flight belongs to the OD whose cities its airports (or its own city codes) are in.</summary>
    static bool Matches(JsonFields s, string depCity, string arrCity)
    {
        var dep = s.Str("dep_city_code")?.ToUpperInvariant() ?? (s.Str("dep_airport_code") is { } da ? ReferenceData.CityOf(da.ToUpperInvariant()) : null);
        var arr = s.Str("arr_city_code")?.ToUpperInvariant() ?? (s.Str("arr_airport_code") is { } aa ? ReferenceData.CityOf(aa.ToUpperInvariant()) : null);
        return (dep is null || dep == depCity) && (arr is null || arr == arrCity);
    }

    static bool Names(JsonFields s, Flight f)
    {
        var no = s.Str("market_flight_no", required: true)!;
        if (!no.Equals(f.MarketingFlightNo, StringComparison.OrdinalIgnoreCase)) return false;
        if (s.Str("dep_airport_code") is { } dep && !dep.Equals(f.DepAirport, StringComparison.OrdinalIgnoreCase)) return false;
        if (s.Str("arr_airport_code") is { } arr && !arr.Equals(f.ArrAirport, StringComparison.OrdinalIgnoreCase)) return false;
        if (s.Str("operator_flight_no") is { } op && !op.Equals(f.OperatingFlightNo, StringComparison.OrdinalIgnoreCase)) return false;
        return s.Str("flight_time") is not { } time || !Times.TryParse(time, out var t) || DateOnly.FromDateTime(t.DateTime) == f.Date;
    }

    static TopObject Item(FlightCall call, Offer offer, int tripType, long issuedMs, string expire)
    {
        var legPrices = offer.LegPrices(0);
        var o = new TopObject()
            .Add("item_id", ItemId.Encode(call.Tenant.Id, offer, issuedMs))
            .Add("expire_time", expire)
            .Add("seller_nick", offer.Seller)
            .Add("product_type", offer.Product)
            // A quoted segment is the segment an order would book, plus the seats left in its class.
            .Add("flight_route", FlightReplies.Route(tripType, offer.Legs.Select((l, i) => new[]
            {
                FlightReplies.Segment(OrderSegment.From(i, l.Flight, l.Cabin, legPrices[i])).Add("available_seat_num", Math.Min(call.SeatsLeft(l.Flight, l.Cabin), 9)),
            })))
            .AddPrices(ItemPrices.Sum(legPrices))
            .Add("support_child", offer.SupportChild)
            .Add("support_infant", offer.SupportInfant);
        if (offer.Member is { } m)
            o.Add("member_restrict", m.Restrict).Add("member_type", m.Type).Add("member_sub_type_list", TopList.Numbers(m.SubTypes.Select(x => (long)x)));
        return o
            .Add("refund_rule", Rules.Refund(call.Settings))
            .Add("change_rule", Rules.Change(call.Settings))
            .Add("baggage_rule", Rules.Baggage(offer.Legs[0].Cabin.CabinClass));
    }
}
