using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>AirPricing (spec §5.2): re-prices one routing, re-checks its seats and opens the booking session.</summary>
static class Pricing
{
    public static SupplierReply AirPricing(TechHouseCall call)
    {
        var r = call.Request;
        var routingField = r.Obj("routing");
        var data = routingField.Str("data");
        var token = FareToken.Decode(data, call.Services.TokenKey(call.Tenant.Id))
                    ?? throw routingField.Bad("data", "is not routing data from LowFareSearch");
        if (call.NowMs - token.IssuedMs > call.Settings.SessionTtl.TotalMilliseconds) throw routingField.Bad("data", "has expired, search again");
        var adults = Search.Count(r, "adultNumber", token.Adults);
        var children = Search.Count(r, "childNumber", token.Children);
        var priceChanged = call.Ctx.Has("price-change");
        var rebuilt = RoutingFactory.Rebuild(call.Catalog, token, data, call.Services.Inventory, call.Tenant.Id, call.Settings.TrackInventory, priceChanged)
                      ?? throw routingField.Bad("data", "names a flight the catalogue no longer has");
        var routing = rebuilt.Routing;
        if (routing.MaxSeats < adults + children) throw new TechHouseError(TechHouseStatus.SoldOut);

        var session = new BookingSession
        {
            Id = Guid.NewGuid().ToString("N"),
            Tenant = call.Tenant.Id,
            PricedMs = call.NowMs,
            Routing = routing,
            Adults = adults,
            Children = children,
        };
        foreach (var tag in call.Ctx.Rules.Tags) session.Tags.Add(tag);
        call.Services.Sessions.Add(call.Uow, session);
        call.Ctx.EntityKey = "techhouse:session:" + session.Id;

        var reply = call.Ok();
        var w = reply.W;
        w.WriteBoolean("isPriceChanged", priceChanged);
        w.WriteString("sessionId", session.Id);
        w.WriteNumber("maxSeats", routing.MaxSeats);
        w.WriteStartObject("routing");
        reply.Routing(routing, call.Settings.CodeShareAsString);
        w.WriteEndObject();
        FareRules.Write(reply, rebuilt.Legs, routing, children > 0);
        reply.TimeFlag(call.Now);
        return call.Finish(reply);
    }
}

/// <summary>The AirPricing <c>rule</c> object (spec §4.4): change, refund and baggage rules per passenger type.</summary>
static class FareRules
{
    public static void Write(JsonReply reply, IReadOnlyList<(Flight Flight, FareClass Class)> legs, PricedRouting routing, bool children)
    {
        var w = reply.W;
        var roundTrip = routing.RetSegments.Count > 0;
        var paxTypes = children ? new[] { 0, 1 } : [0];
        var usageTypes = roundTrip ? new[] { 0, 1 } : [0];
        var cabin = legs[0].Class.Cabin;
        var (status, fee) = cabin switch
        {
            "C" => ("F", 0m),
            "Y" => ("H", 100m),
            "M" => ("H", 200m),
            _ => ("T", 0m),
        };
        w.WriteStartObject("rule");
        w.WriteStartArray("changesInfoList");
        foreach (var pax in paxTypes)
        foreach (var usage in usageTypes)
        {
            w.WriteStartObject();
            w.WriteNumber("changesType", usage);
            w.WriteString("changesStatus", status);
            reply.Money("changesFee", fee);
            w.WriteString("currency", routing.Currency);
            w.WriteNumber("passengerType", pax);
            w.WriteString("revNoshow", status == "T" ? "T" : "H");
            w.WriteNumber("revNoShowCondition", status == "T" ? 0 : 2);
            reply.Money("revNoshowFee", status == "T" ? 0 : 100m);
            w.WriteString("enRevRemark", status == "T" ? "No changes permitted" : $"Changes permitted for a fee of {fee} {routing.Currency}");
            w.WriteString("cnRevRemark", status == "T" ? "不得更改" : $"可更改，手续费{fee}{routing.Currency}");
            w.WriteString("enRemark", "");
            w.WriteString("cnRemark", "");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("refundInfoList");
        foreach (var pax in paxTypes)
        foreach (var usage in usageTypes)
        {
            w.WriteStartObject();
            w.WriteNumber("refundType", usage);
            w.WriteString("refundStatus", status);
            reply.Money("refundFee", fee * 2);
            w.WriteString("currency", routing.Currency);
            w.WriteNumber("passengerType", pax);
            w.WriteString("refNoshow", status == "T" ? "T" : "H");
            w.WriteNumber("refNoShowCondition", status == "T" ? 0 : 2);
            reply.Money("refNoshowFee", status == "T" ? 0 : 100m);
            w.WriteString("enRefRemark", status == "T" ? "Non-refundable" : $"Refundable for a fee of {fee * 2} {routing.Currency}");
            w.WriteString("cnRefRemark", status == "T" ? "不可退票" : $"可退票，手续费{fee * 2}{routing.Currency}");
            w.WriteString("enRemark", "");
            w.WriteString("cnRemark", "");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("baggageInfoList");
        var segmentNo = 0;
        foreach (var _ in routing.AllSegments)
        {
            segmentNo++;
            foreach (var pax in paxTypes)
            {
                w.WriteStartObject();
                w.WriteNumber("segmentNo", segmentNo);
                w.WriteNumber("passengerType", pax);
                // Piece concept: 1 piece of 20 kg (economy) or 2 of 32 kg (business), per the §4.4 rules.
                w.WriteNumber("baggagePiece", cabin == "C" ? 2 : 1);
                w.WriteNumber("baggageWeight", cabin == "C" ? 32 : 20);
                w.WriteString("cnBaggage", cabin == "C" ? "免费托运2件，每件32公斤" : "免费托运1件，20公斤");
                w.WriteString("enBaggage", cabin == "C" ? "2 pieces of 32 kg" : "1 piece of 20 kg");
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
