using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>
/// Values rules can match on although the request does not carry them: the route and passengers of the
/// booking session (so that a Commit rule can say <c>passengers[*].lastName: DECLINE</c>) and the route a
/// routing token names (so that an AirPricing rule can say <c>toCity: XXP</c>).
/// </summary>
static class Facts
{
    public static void Add(OperationContext ctx, TechHouseServices services)
    {
        if (ctx.View.Values("sessionId").FirstOrDefault() is { } sessionId
            && services.Sessions.Get(ctx, sessionId, TechHouseSettings.From(ctx.Scenario).SessionTtl) is { } s)
        {
            // PRICED, PASSENGERS_SET, PAYMENT_SET or COMMITTED: lets a Commit rule leave an idempotent re-Commit alone.
            ctx.Fact("sessionState", [s.State]);
            // A committed session's booking lives in its order: a re-Commit matches no passenger magic value.
            if (s.State == SessionState.Committed) return;
            Route(ctx, s.Routing.FromCity, s.Routing.ToCity, s.Routing.FromDate, s.Routing.AllSegments);
            if (s.Passengers is { } ps)
            {
                ctx.Fact("passengers[*].lastName", ps.Select(p => p.LastName));
                ctx.Fact("passengers[*].firstName", ps.Select(p => p.FirstName));
                ctx.Fact("passengers[*].cardNum", ps.Select(p => p.CardNum));
            }
            if (s.Contact is { } c) ctx.Fact("contact.email", [c.Email]);
            return;
        }
        if (ctx.Operation == "AirPricing" && ctx.View.Values("routing.data").FirstOrDefault() is { } data
            && FareToken.Decode(data, services.TokenKey(ctx.Tenant.Id)) is { } t)
        {
            ctx.Fact("fromCity", [t.From]);
            ctx.Fact("toCity", [t.To]);
            ctx.Fact("fromDate", [t.FromDate]);
            ctx.Fact("flightNumber", new[] { t.OutFlight, t.RetFlight }.Where(f => f.Length > 0));
        }
    }

    static void Route(OperationContext ctx, string from, string to, string date, IEnumerable<Segment> segments)
    {
        ctx.Fact("fromCity", [from]);
        ctx.Fact("toCity", [to]);
        ctx.Fact("fromDate", [date]);
        var list = segments.ToList();
        ctx.Fact("flightNumber", list.Select(s => s.FlightNumber));
        ctx.Fact("carrier", list.Select(s => s.Carrier).Distinct());
    }
}
