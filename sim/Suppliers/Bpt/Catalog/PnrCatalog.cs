using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sandbox.Engine.Scenarios;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Catalog;

/// <summary>
/// A scenario's PNR catalogue: <c>catalog.pnrs</c> (fixtures written out) and <c>catalog.generate</c>
/// (<c>{count, airlines}</c>: fixtures drawn by Bogus from the scenario seed), indexed by big and by small PNR.
/// Built once per scenario version.
/// </summary>
public sealed class PnrCatalog
{
    static readonly ConditionalWeakTable<Scenario, PnrCatalog> Cache = new();

    readonly Dictionary<(string Air, string Big), PnrFixture> _byBig = new();
    readonly Dictionary<string, PnrFixture> _bySmall = new(StringComparer.Ordinal);

    public PnrFactory Factory { get; }
    public IReadOnlyList<PnrFixture> All { get; }

    PnrCatalog(Scenario scenario)
    {
        Factory = new PnrFactory(scenario.Seed);
        var list = new List<PnrFixture>();
        if (scenario.Catalog["generate"] is JsonObject gen)
        {
            var count = gen["count"] is JsonValue c && int.TryParse(c.ToString(), out var n) ? n : 0;
            var airlines = gen["airlines"] is JsonArray a ? a.Select(x => x!.ToString().ToUpperInvariant()).ToList() : ["CA", "MU", "CZ"];
            list.AddRange(Factory.Generate(count, airlines, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8))));
        }
        if (scenario.Catalog["pnrs"] is JsonArray pnrs)
            list.AddRange(pnrs.OfType<JsonObject>().Select(PnrFixtureReader.Read));
        // Written-out fixtures come last, so they win over generated ones with the same PNR.
        foreach (var f in list)
        {
            _byBig[(f.Air, f.BigPnr)] = f;
            if (f.SmallPnr is { } s) _bySmall[s] = f;
        }
        All = list;
    }

    public static PnrCatalog For(Scenario scenario) => Cache.GetValue(scenario, s => new PnrCatalog(s));

    public PnrFixture? ByBig(string air, string big) => _byBig.GetValueOrDefault((air, big));

    public PnrFixture? BySmall(string small) => _bySmall.GetValueOrDefault(small);
}
