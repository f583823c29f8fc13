using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.change.order.create (改签生单, spec §2.14), four steps in one call: the tickets and passengers can be
/// changed (ticketed, not departed, same OD); the fee (voluntary: a share of the sell price by time before departure,
/// the <c>changeFees</c> table; involuntary: none) plus any fare difference, which must match change_fee_total when
/// sent; the target flight has the class with seats; the seats are held. The change order then goes 1 → 2 (to pay) or
/// 1 → 3 (nothing to pay), each with ChangeStatusNotify. Idempotent on (order_id, out_change_no).
/// </summary>
static class ChangeCreate
{
    public const string Method = "alitrip.flight.change.order.create";

    public static TopObject Handle(FlightCall call)
    {
        var req = call.Param("change_order_create_request");
        var order = call.Order(req.Long("order_id", required: true)!.Value);
        var outChangeNo = req.Str("out_change_no", required: true)!;
        var changeType = req.Int("change_type", required: true)!.Value;
        if (changeType is not (1 or 2)) throw FlightError.ParamError("change_type is 1 (voluntary) or 2 (involuntary)");
        var paxFields = req.Objects("change_passenger_list", required: true);
        var segFields = req.Objects("new_flight_segment_list", required: true);
        var expectedFee = req.Money("change_fee_total");
        var s = call.Services;
        var keyId = IdempotencyKey.ForChange(order.OrderId, outChangeNo);
        lock (order)
        {
            if (s.Keys.Get(call.Tenant.Id, keyId) is { } key && s.Changes.Get(call.Tenant.Id, key.Target) is { } first)
            {
                call.Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.ChangeKind, first.Id);
                return Reply(first);
            }
            if (order.Status != OrderStatus.Ticketed) throw FlightError.ChangeNotAllowed($"order is {order.Status}: only a ticketed order changes");
            var passengers = paxFields.Select(p => Passenger(call, order, p)).ToList();
            if (passengers.GroupBy(p => p.CredentialNo).Any(g => g.Count() > 1)) throw FlightError.ParamError("the same passenger twice in change_passenger_list");
            var seats = passengers.Count(p => p.Type != PassengerType.Infant);

            var voluntary = changeType == 1;
            var segments = new List<OrderSegment>();
            var fees = new List<ChangeFee>();
            foreach (var sf in segFields)
            {
                var original = order.Segments.FirstOrDefault(x => x.SegmentId == sf.Str("original_flight_segment_id", required: true))
                               ?? throw FlightError.ParamError($"{sf.Path}.original_flight_segment_id is not a segment of the order");
                if (segments.Any(x => x.OriginalSegmentId == original.SegmentId)) throw FlightError.ParamError($"{original.SegmentId} is changed twice");
                var (flight, cabin) = Target(call, sf, original, seats);
                var ahead = Times.Instant(original.DepTime) - call.Now;
                var rate = voluntary ? FlightSettings.RateFor(call.Settings.ChangeFees, ahead) : 0m;
                if (rate is null || ahead <= TimeSpan.Zero) throw FlightError.ChangeNotAllowed($"{original.SegmentId} has departed");
                var offer = new Offer(order.ProductType, order.SellerNick, [new OfferLeg(flight, cabin)], null, true, true);
                var prices = LegPrices.Of(offer, offer.Legs[0], 0m);
                var segment = OrderSegment.From(original.Journey, flight, cabin, prices);
                segment.OriginalSegmentId = original.SegmentId;
                segments.Add(segment);
                foreach (var p in passengers)
                {
                    var before = original.Prices.For(p.Type).Sell;
                    fees.Add(new ChangeFee
                    {
                        PassengerName = p.Name, SegmentId = original.SegmentId,
                        Fee = Math.Round(before * rate.Value, 0, MidpointRounding.AwayFromZero),
                        UpgradeFee = Math.Max(0m, prices.For(p.Type).Sell - before),
                    });
                }
            }
            var payAmount = fees.Sum(f => f.Fee + f.UpgradeFee);
            if (expectedFee is { } sent && sent != payAmount)
                throw FlightError.ChangeFeeChanged(FormattableString.Invariant($"change_fee_total must be {payAmount:0.##}"));

            var change = new ChangeOrder
            {
                Id = s.NextId().ToString(CultureInfo.InvariantCulture),
                Status = call.Initial(FliggyFlightServices.ChangeKind, ChangeStatus.New),
                CreatedMs = call.NowMs,
                UpdatedMs = call.NowMs,
                OrderId = order.OrderId,
                OutChangeNo = outChangeNo,
                ChangeType = changeType,
                Reason = req.Str("change_reason"),
                Passengers = passengers,
                Segments = segments,
                Fees = fees,
                PayAmount = payAmount,
                UserId = order.UserId,
            };
            change.Tags.UnionWith(call.Ctx.Rules.Tags);
            if (payAmount > 0) change.Tags.Add("pay-required");
            change.PayDeadlineMs = call.TimedFrom(FliggyFlightServices.ChangeKind, ChangeStatus.WaitPay, change.Tags, call.NowMs) ?? call.NowMs + 30 * 60_000;
            foreach (var seg in segments) call.HoldSeats(seg.InventoryKey, seats);
            order.ChangeIds.Add(change.ChangeOrderId);
            s.Orders.Save(call.Uow, call.Tenant.Id, order);
            s.Changes.Save(call.Uow, call.Tenant.Id, change);
            s.Keys.Save(call.Uow, call.Tenant.Id, new IdempotencyKey
            {
                Id = keyId, Status = "change", Target = change.Id, CreatedMs = call.NowMs, UpdatedMs = call.NowMs,
            });
            call.Ctx.EntityKey = FliggyFlightServices.Key(FliggyFlightServices.ChangeKind, change.Id);
            call.Timeline(FliggyFlightServices.ChangeKind, change.Id, "created", new JsonObject
            {
                ["orderId"] = order.OrderId, ["changeType"] = changeType, ["payAmount"] = payAmount, ["tags"] = string.Join(",", change.Tags),
            });
            // Submitted (1), then to pay (2) or to ticket (3): the machine's two create transitions, one after the other.
            // The change order is new: no timer or admin action can hold it yet.
            var moved = call.Transition(change, FliggyFlightServices.ChangeKind, Method);
            if (moved) call.Transition(change, FliggyFlightServices.ChangeKind, Method);
            else call.ScheduleTimed(change, FliggyFlightServices.ChangeKind);
            return Reply(change);
        }
    }

    static ChangePassenger Passenger(FlightCall call, FlightOrder order, JsonFields f)
    {
        var name = f.Str("passenger_name", required: true)!;
        var p = order.Passenger(name, f.Str("credential_no", required: true)!) ?? throw FlightError.ParamError($"{f.Path}: {name} is not a passenger of the order");
        if (p.TicketStatus != TicketStatus.Ticketed) throw FlightError.ChangeNotAllowed($"{name}'s ticket is {p.TicketStatus}");
        var busy = order.ChangeIds.Select(id => call.Services.Changes.Get(call.Tenant.Id, id.ToString(CultureInfo.InvariantCulture)))
            .Any(c => c is not null && ChangeStatus.Open(c.Status) && c.Passengers.Any(cp => cp.CredentialNo == p.CredentialNo));
        if (busy) throw FlightError.ChangeNotAllowed($"{name} already has a change order in progress");
        return new ChangePassenger { Name = p.Name, CredentialNo = p.CredentialNo, Type = p.Type };
    }

    /// <summary>Step 3: the target flight flies the same OD, exists in the catalogue with the class, and has the seats.</summary>
    static (Flight, Cabin) Target(FlightCall call, JsonFields f, OrderSegment original, int seats)
    {
        var dep = f.Str("dep_airport_code", required: true)!.ToUpperInvariant();
        var arr = f.Str("arr_airport_code", required: true)!.ToUpperInvariant();
        if (ReferenceData.CityOf(dep) != original.DepCity || ReferenceData.CityOf(arr) != original.ArrCity)
            throw FlightError.ChangeNotAllowed($"{dep}-{arr} is not the OD of {original.SegmentId} ({original.DepCity}-{original.ArrCity})");
        if (!Times.TryParse(f.Str("flight_time", required: true), out var time)) throw FlightError.ParamError($"{f.Path}.flight_time is {Times.Format}");
        var no = f.Str("market_flight_no", required: true)!;
        var flight = call.Catalog.Find(no, dep, arr, DateOnly.FromDateTime(time.DateTime));
        if (flight is null || flight.DepTime <= Times.Local(call.Now)) throw FlightError.SeatNotEnough($"{no} {dep}-{arr} on {time:yyyy-MM-dd} is not for sale");
        var cabin = flight.CabinOf(f.Str("cabin_code", required: true)!);
        if (cabin is null || call.Tagged("sold-out") || call.SeatsLeft(flight, cabin) < seats)
            throw FlightError.SeatNotEnough($"{no} class {f.Str("cabin_code")}: fewer than {seats} seats left");
        return (flight, cabin);
    }

    static TopObject Reply(ChangeOrder c) => FlightCall.Ok()
        .Add("change_order_id", c.ChangeOrderId)
        .Add("change_status", ChangeStatus.Code(c.Status))
        .Money("pay_amount", c.PayAmount)
        .Add("pay_deadline", c.Status == ChangeStatus.WaitPay ? Times.Of(c.PayDeadlineMs) : null)
        .Add("change_fee_detail_list", TopList.Of("change_fee_detail", c.Fees.Select(Fee)));

    public static TopObject Fee(ChangeFee f) => new TopObject()
        .Add("passenger_name", f.PassengerName)
        .Add("flight_segment_id", f.SegmentId)
        .Money("change_fee", f.Fee)
        .Money("upgrade_fee", f.UpgradeFee);
}
