using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>GetAirlinesAndRoutings and GetBalance (spec §5.10, §5.11), both on /flight/order.</summary>
static class Account
{
    public static SupplierReply GetAirlinesAndRoutings(TechHouseCall call)
    {
        var reply = call.Ok();
        var w = reply.W;
        w.WriteStartArray("airlineList");
        var byCarrier = call.Catalog.AllDirections
            .SelectMany(route => route.Carriers.Select(c => (Carrier: c, Route: route)))
            .GroupBy(x => x.Carrier)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var g in byCarrier)
        {
            var carrier = ReferenceData.CarrierOrGeneric(g.Key);
            w.WriteStartObject();
            w.WriteString("airName", carrier.Name);
            w.WriteString("airCode", carrier.Code);
            w.WriteString("airCountry", carrier.Country);
            w.WriteNumber("airStatus", 0);
            w.WriteStartArray("routingList");
            foreach (var (_, route) in g.OrderBy(x => x.Route.From).ThenBy(x => x.Route.To))
            {
                var from = ReferenceData.AirportOrGeneric(route.From);
                var to = ReferenceData.AirportOrGeneric(route.To);
                w.WriteStartObject();
                w.WriteString("depAirport", route.From);
                w.WriteString("airAirport", route.To);
                w.WriteString("portNameCn", $"{from.CityCn}-{to.CityCn}");
                w.WriteString("portNameEn", $"{from.CityEn}-{to.CityEn}");
                w.WriteNumber("routStatus", route.FlightsPerDay > 0 ? 0 : 1);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return call.Finish(reply);
    }

    public static SupplierReply GetBalance(TechHouseCall call)
    {
        var balances = call.Services.Accounts.For(call.Tenant);
        var reply = call.Ok();
        var w = reply.W;
        w.WriteStartArray("balanceList");
        lock (balances)
            foreach (var (currency, amount) in balances.ByCurrency)
            {
                w.WriteStartObject();
                w.WriteString("currency", currency);
                reply.Money("balance", amount);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        return call.Finish(reply);
    }
}
