using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>
/// Commit (spec §5.12): re-checks availability and price, debits the balance and creates the order in one
/// transaction, then starts the order's state machine. A second Commit on the same session returns the same
/// order without debiting again, so a retry after a timeout is safe.
/// </summary>
static class Booking
{
    public static ValueTask<SupplierReply> Commit(TechHouseCall call)
    {
        var session = call.Session(allowCommitted: true);
        var s = call.Services;
        FlightOrder order;
        bool priceChanged;
        lock (session)
        {
            if (session.State == SessionState.Committed && s.Orders.Get(call.Tenant.Id, session.OrderNo!) is { } existing)
                return new(Reply(call, existing, false));
            if (!session.HasPassengers) throw new TechHouseError(TechHouseStatus.NoPassengers);
            if (session.PaymentCode is null)
            {
                if (!call.Settings.LenientPayment) throw new TechHouseError(TechHouseStatus.PaymentNotSupported, "payment method not set");
                session.PaymentCode = "AG";
                session.PayCurrency = session.Routing.Currency;
            }
            if (call.NowMs - session.PricedMs > call.Settings.PriceTtl.TotalMilliseconds) throw new TechHouseError(TechHouseStatus.PriceExpired);

            var legs = Legs(call, session);
            var pax = session.Passengers!.Count;
            if (legs.Any(l => RoutingFactory.SeatsLeft(s.Inventory, call.Tenant.Id, l.Flight, l.Class, call.Settings.TrackInventory) < pax))
                throw new TechHouseError(TechHouseStatus.SoldOut);

            priceChanged = call.Ctx.Has("price-change");
            if (priceChanged)
                session.Routing = RoutingFactory.Price(legs, session.Routing.Data, s.Inventory, call.Tenant.Id, call.Settings.TrackInventory, true,
                    session.Routing.FromCity, session.Routing.ToCity, session.Routing.FromDate);
            var total = session.Total + session.ChargeFee;
            var currency = session.PayCurrency!;
            var uow = call.Ctx.Uow;
            if (!s.Accounts.TryDebit(call.Tenant, currency, total, uow)) throw new TechHouseError(TechHouseStatus.InsufficientBalance);

            var machine = call.Ctx.Scenario.Machines.GetValueOrDefault(TechHouseServices.OrderKind);
            var nowSeconds = call.Now.ToUnixTimeSeconds();
            // The document's awaiting-payment status has no API to pay; the scenario confirms the payment later.
            var deferred = call.Ctx.Has("deferred-payment");
            order = new FlightOrder
            {
                Id = s.NextOrderNo(call.Now),
                Status = deferred ? OrderStatus.NeedPayment : machine?.Initial ?? OrderStatus.Pending,
                CreatedMs = call.NowMs,
                UpdatedMs = call.NowMs,
                SessionId = session.Id,
                RouteType = session.Routing.RouteType,
                Currency = currency,
                TotalCost = total,
                PaymentCode = session.PaymentCode,
                OrderDate = nowSeconds,
                PaymentDate = deferred ? 0 : nowSeconds,
                Routing = session.Routing,
                Passengers = session.Passengers!,
                Contact = session.Contact!,
                Ssrs = [.. session.Ssrs],
                Seats = [.. session.Seats],
            };
            order.Tags.UnionWith(session.Tags);
            order.Tags.UnionWith(call.Ctx.Rules.Tags);
            if (call.Settings.TrackInventory)
                foreach (var (flight, fare) in legs)
                {
                    var key = Inventory.Key(flight, fare.Cabin);
                    s.Inventory.Hold(call.Tenant.Id, key, pax);
                    order.Inventory.Add(key + "=" + pax.ToString(CultureInfo.InvariantCulture));
                }
            foreach (var seat in order.Seats)
            {
                var flight = legs.First(l => l.Flight.FlightNumber == seat.FlightNumber).Flight;
                s.Inventory.SeatHolders(call.Tenant.Id, flight.Key)[seat.Designator] = order.Id;
            }
            call.Ctx.EntityKey = TechHouseServices.OrderKey(order.Id);
            s.Engine.Lifecycle.Start(call.Tenant, TechHouseServices.Supplier, TechHouseServices.OrderKind, order, uow,
                new JsonObject { ["status"] = order.Status, ["totalCost"] = total, ["currency"] = currency, ["tags"] = string.Join(",", order.Tags) });
            session.Compact(order.Id);
            s.Sessions.MarkCommitted(session);
        }
        return new(Reply(call, order, priceChanged));
    }

    static SupplierReply Reply(TechHouseCall call, FlightOrder order, bool priceChanged)
    {
        call.Ctx.EntityKey = TechHouseServices.OrderKey(order.Id);
        var reply = call.Ok();
        reply.Money("totalCost", order.TotalCost);
        reply.W.WriteString("currency", order.Currency);
        reply.TimeFlag(call.Now);
        reply.W.WriteString("orderNo", order.Id);
        reply.W.WriteString("orderStatus", order.Status);
        reply.W.WriteBoolean("isPriceChanged", priceChanged);
        return call.Finish(reply);
    }

    static List<(Flight Flight, FareClass Class)> Legs(TechHouseCall call, BookingSession session) =>
        session.Routing.AllSegments.Select(seg =>
        {
            var date = DateOnly.ParseExact(seg.DepTime[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
            var flight = call.Catalog.FindFlight(seg.DepAirport, seg.ArrAirport, date, seg.FlightNumber)
                         ?? throw new TechHouseError(TechHouseStatus.SoldOut, $"{seg.FlightNumber} is no longer operated");
            return (flight, flight.Classes.First(c => c.Cabin == seg.Cabin));
        }).ToList();
}
