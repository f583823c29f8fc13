using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.service.airbook (生单预定, spec §2.4): checks, in order, the item (known, not expired), the member-price
/// rules, the passengers against what the item sells, every price sent and the total, then the seats; holds the seats
/// and creates the order in WAIT_PAY. Idempotent on out_order_no: the same request again answers the same order, another
/// request with the same out_order_no is a duplicate.
/// </summary>
static class Airbook
{
    public const string Method = "alitrip.flight.service.airbook";

    public static TopObject Handle(FlightCall call)
    {
        var req = call.Param("create_order_request");
        var outOrderNo = req.Str("out_order_no", required: true)!;
        if (outOrderNo.Length > 64) throw FlightError.ParamError("out_order_no is at most 64 characters");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(call.Top.Str("create_order_request")!)));
        var keyId = IdempotencyKey.ForOrder(outOrderNo);
        var s = call.Services;
        lock (s.CreationLock(call.Tenant.Id + keyId))
        {
            if (s.Keys.Get(call.Tenant.Id, keyId) is { } key)
            {
                var first = s.Orders.Get(call.Tenant.Id, key.Target);
                if (first is null || first.UserId != call.User.UserId || key.RequestHash != hash) throw FlightError.DuplicateOutOrderNo();
                call.Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.OrderKind, first.Id);
                return Reply(first);
            }
            var order = Create(call, req, outOrderNo, hash);
            s.Keys.Save(call.Uow, call.Tenant.Id, new IdempotencyKey
            {
                Id = keyId, Status = "order", Target = order.Id, RequestHash = hash, CreatedMs = call.NowMs, UpdatedMs = call.NowMs,
            });
            return Reply(order);
        }
    }

    static FlightOrder Create(FlightCall call, JsonFields req, string outOrderNo, string hash)
    {
        var itemId = req.Str("item_id", required: true)!;
        var totalPrice = req.Money("total_price", required: true)!.Value;
        var contact = Passengers.Contact(req.Obj("contact", required: true)!.Value);
        var offer = Resolve(call, itemId);

        if (offer.Member is { } member)
        {
            if (req.Bool("allow_register_or_query_member") != true) throw FlightError.MemberParamError();
            if (member.Type == 1 && req.Obj("member_buyer") is null) throw FlightError.MemberBuyerRequired("the item's member_type is 1 (buyer member)");
        }
        var memberBuyer = offer.Member is { Type: 1 } ? Passengers.MemberBuyer(req.Obj("member_buyer")!.Value) : null;

        var departure = offer.Legs[0].Flight.Date;
        var passengers = Passengers.Read(req.Objects("passenger_list", required: true), departure);
        var (adults, children, infants) = (passengers.Count(p => p.Type == PassengerType.Adult), passengers.Count(p => p.Type == PassengerType.Child),
            passengers.Count(p => p.Type == PassengerType.Infant));
        if (children > 0 && !offer.SupportChild) throw FlightError.ParamError("the item sells no child tickets (support_child false)");
        if (infants > 0 && !offer.SupportInfant) throw FlightError.ParamError("the item sells no infant tickets (support_infant false)");

        var markup = call.Tagged("price-change") ? call.Settings.PriceChange : 0m;
        var legPrices = offer.LegPrices(markup);
        var prices = ItemPrices.Sum(legPrices);
        CheckPrices(req, prices, totalPrice, adults, children, infants);

        var seats = adults + children;
        foreach (var leg in offer.Legs)
            if (call.Tagged("sold-out") || call.SeatsLeft(leg.Flight, leg.Cabin) < seats)
                throw FlightError.SeatNotEnough($"{leg.Flight.MarketingFlightNo} class {leg.Cabin.Code}: fewer than {seats} seats left");

        var s = call.Services;
        var order = new FlightOrder
        {
            Id = s.NextId().ToString(CultureInfo.InvariantCulture),
            Status = call.Initial(FliggyFlightServices.OrderKind, OrderStatus.WaitPay),
            CreatedMs = call.NowMs,
            UpdatedMs = call.NowMs,
            OutOrderNo = outOrderNo,
            RequestHash = hash,
            UserId = call.User.UserId,
            UserNick = call.User.UserNick,
            ItemId = itemId,
            ProductType = offer.Product,
            SellerNick = offer.Seller,
            Member = offer.Member,
            Segments = offer.Legs.Select((l, i) => OrderSegment.From(i, l.Flight, l.Cabin, legPrices[i])).ToList(),
            Passengers = passengers,
            Contact = contact,
            MemberBuyer = memberBuyer,
            Prices = prices,
            TotalPrice = totalPrice,
        };
        order.Tags.UnionWith(call.Ctx.Rules.Tags);
        order.PayDeadlineMs = call.TimedFrom(FliggyFlightServices.OrderKind, order.Status, order.Tags, call.NowMs) ?? call.NowMs + 30 * 60_000;
        foreach (var seg in order.Segments) call.HoldSeats(seg.InventoryKey, seats);
        s.Orders.Save(call.Uow, call.Tenant.Id, order);
        call.Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.OrderKind, order.Id);
        call.Timeline(FliggyFlightServices.OrderKind, order.Id, "created", new JsonObject
        {
            ["status"] = order.Status, ["outOrderNo"] = outOrderNo, ["totalPrice"] = totalPrice, ["tags"] = string.Join(",", order.Tags),
        });
        call.ScheduleTimed(order, FliggyFlightServices.OrderKind);
        return order;
    }

    /// <summary>The offer an item_id names, re-priced from today's catalogue; unknown, foreign, expired or departed is ITEM_EXPIRED.</summary>
    static Offer Resolve(FlightCall call, string itemId)
    {
        if (ItemId.Decode(call.Tenant.Id, itemId) is not { } item) throw FlightError.ItemExpired("item_id is not one search issued to this app");
        if (call.NowMs > item.IssuedMs + (long)call.Settings.ItemTtl.TotalMilliseconds)
            throw FlightError.ItemExpired($"the item expired at {Times.Of(item.IssuedMs + (long)call.Settings.ItemTtl.TotalMilliseconds)}");
        Offer? offer = null;
        var nowLocal = Times.Local(call.Now);
        foreach (var leg in item.Legs)
        {
            var flight = call.Catalog.Find(leg.FlightNo, leg.Dep, leg.Arr, leg.Date);
            var cabin = flight?.CabinOf(leg.Cabin);
            if (flight is null || cabin is null || flight.DepTime <= nowLocal) throw FlightError.ItemExpired($"{leg.FlightNo} on {leg.Date:yyyy-MM-dd} is no longer sold");
            var legOffer = Offer.For(flight, cabin).FirstOrDefault(o => o.Product == item.Product && (o.Member is not null) == item.Member)
                           ?? throw FlightError.ItemExpired("the quote is no longer offered");
            offer = offer is null ? legOffer : Offer.Combine(offer, legOffer);
        }
        return offer ?? throw FlightError.ItemExpired("item_id names no flight");
    }

    /// <summary>Check 4: every price field sent equals the item's current value, and total_price the §2.2 formula.</summary>
    static void CheckPrices(JsonFields req, ItemPrices p, decimal total, int adults, int children, int infants)
    {
        var expected = new List<(string Field, decimal Value, bool Required)>
        {
            ("adt_flight_item_price", p.AdtFlightItemPrice, true), ("adt_build_fee", p.AdtBuildFee, true), ("adt_oil_fee", p.AdtOilFee, true),
            ("chd_flight_item_price", p.ChdFlightItemPrice, children > 0), ("chd_build_fee", p.ChdBuildFee, false),
            ("chd_oil_fee", p.ChdOilFee, false), ("chd_total_fee", p.ChdTotalFee, false),
            ("inf_flight_item_price", p.InfFlightItemPrice, infants > 0), ("inf_build_fee", p.InfBuildFee, false),
            ("inf_oil_fee", p.InfOilFee, false), ("inf_total_fee", p.InfTotalFee, false),
        };
        var changed = new List<string>();
        foreach (var (field, value, required) in expected)
            if (req.Money(field, required) is { } sent && sent != value)
                changed.Add($"{field} {sent.ToString(CultureInfo.InvariantCulture)} -> {value.ToString("0.##", CultureInfo.InvariantCulture)}");
        var expectedTotal = p.Total(adults, children, infants);
        if (total != expectedTotal)
            changed.Add($"total_price {total.ToString(CultureInfo.InvariantCulture)} -> {expectedTotal.ToString("0.##", CultureInfo.InvariantCulture)}");
        if (changed.Count > 0) throw FlightError.PriceChanged("current prices: " + string.Join("; ", changed));
    }

    static TopObject Reply(FlightOrder order) => FlightCall.Ok()
        .Add("order_id", order.OrderId)
        .Add("out_order_no", order.OutOrderNo)
        .Money("total_price", order.TotalPrice)
        .Add("order_status", OrderStatus.Text(order.Status))
        .Add("order_status_code", OrderStatus.Code(order.Status))
        .Add("pay_deadline", Times.Of(order.PayDeadlineMs));
}
