using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Catalog;

/// <summary>
/// Reads a PNR fixture written with BPT's own field names — in a scenario's <c>catalog.pnrs</c> or posted to
/// <c>/admin/api/tenants/{tenant}/bpt/pnrs</c>:
/// <c>{air, pnr, pnrc, passengers: [{name, type, idno}], segments: [{flightno, dep, arr, date, deptime, arrtime, cabin}],
/// ticketprice, totaltax, policies: [{pgcode, policynum}], cancelled}</c>.
/// </summary>
public static class PnrFixtureReader
{
    public sealed class FixtureException(string message) : Exception(message);

    public static PnrFixture Read(JsonObject o)
    {
        var air = Str(o, "air")?.ToUpperInvariant() ?? throw new FixtureException("'air' (2-character airline code) is required");
        if (air.Length != 2) throw new FixtureException($"'air' must be a 2-character airline code, not '{air}'");
        var big = Str(o, "pnr")?.ToUpperInvariant() ?? throw new FixtureException("'pnr' (the big PNR) is required");
        if (!BigPnr.IsValid(big)) throw new FixtureException($"'pnr' must be 5 or 6 characters A-Z, 0-9, not '{big}'");
        var small = Str(o, "pnrc")?.ToUpperInvariant();
        if (small is not null && !BigPnr.IsValid(small)) throw new FixtureException($"'pnrc' must be 5 or 6 characters A-Z, 0-9, not '{small}'");
        var passengers = Objects(o, "passengers").Select((p, i) => new BptPassenger(
            Str(p, "name") ?? throw new FixtureException($"passengers[{i}] needs a 'name'"),
            (Str(p, "type") ?? "ADT").ToUpperInvariant() is var t && t is "ADT" or "CHD" ? t : throw new FixtureException($"passengers[{i}].type is ADT or CHD"),
            Str(p, "idno") ?? "")).ToList();
        if (passengers.Count == 0) throw new FixtureException("'passengers' needs at least one passenger");
        var segments = Objects(o, "segments").Select((s, i) => new BptSegment(
            Str(s, "flightno") ?? throw new FixtureException($"segments[{i}] needs a 'flightno'"),
            Str(s, "dep") ?? "", Str(s, "arr") ?? "", Str(s, "date") ?? "", Str(s, "deptime") ?? "", Str(s, "arrtime") ?? "",
            Str(s, "cabin") ?? "Y")).ToList();
        var policies = Objects(o, "policies").Select((p, i) => new FixturePolicy(
            Str(p, "pgcode") ?? throw new FixtureException($"policies[{i}] needs a 'pgcode'"),
            Dec(p, "policynum") ?? throw new FixtureException($"policies[{i}] needs a numeric 'policynum'"))).ToList();
        return new PnrFixture
        {
            Air = air,
            BigPnr = big,
            SmallPnr = small,
            Passengers = passengers,
            Segments = segments,
            TicketPrice = Dec(o, "ticketprice") ?? throw new FixtureException("'ticketprice' (face price total) is required"),
            TotalTax = Dec(o, "totaltax") ?? 0m,
            Policies = policies,
            Cancelled = Str(o, "cancelled") is "true" or "True" or "1",
        };
    }

    static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.ToString() is { Length: > 0 } s ? s : null;

    static decimal? Dec(JsonObject o, string name) =>
        Str(o, name) is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d >= 0 ? d : null;

    static IEnumerable<JsonObject> Objects(JsonObject o, string name) => o[name] switch
    {
        null => [],
        JsonArray a => a.Select((x, i) => x as JsonObject ?? throw new FixtureException($"{name}[{i}] must be an object")),
        _ => throw new FixtureException($"'{name}' must be a list"),
    };
}
