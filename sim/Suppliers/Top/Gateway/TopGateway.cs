using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Suppliers.Top.Protocol;
using Sandbox.Suppliers.Top.Sessions;

namespace Sandbox.Suppliers.Top.Gateway;

/// <summary>
/// The TOP gateway's front door: reads and merges the request, finds the module that contributed its method and
/// hands the call to the engine's pipeline under that module's protocol. A request no module claims (no method, an
/// unknown one, a refused transport) is answered by the gateway's own protocol.
/// </summary>
public sealed class TopGateway
{
    readonly SupplierPipeline _pipeline;
    readonly FrozenDictionary<string, TopProtocol> _byMethod;
    readonly TopProtocol _own;

    public IReadOnlyList<(string Supplier, TopMethod Method)> Methods { get; }

    public TopGateway(IEnumerable<ITopApi> apis, SupplierPipeline pipeline, TopSessions sessions, VirtualClock clock, ScenarioCatalog scenarios)
    {
        _pipeline = pipeline;
        var list = apis.ToList();
        var all = list.SelectMany(a => a.Methods.Select(m => (a.Supplier, Method: m))).ToList();
        var duplicate = all.GroupBy(m => m.Method.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"TOP method {duplicate.Key} is contributed twice ({string.Join(", ", duplicate.Select(d => d.Supplier))})");
        Methods = all;

        var protocols = new Dictionary<string, TopProtocol>(StringComparer.Ordinal);
        foreach (var api in list.GroupBy(a => a.Supplier, StringComparer.OrdinalIgnoreCase))
        {
            var methods = api.SelectMany(a => a.Methods).ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
            var protocol = new TopProtocol(api.Key.ToLowerInvariant(), new CompositeApi(api.Key, api.ToList()), methods, sessions, clock, scenarios);
            foreach (var m in methods.Keys) protocols[m] = protocol;
        }
        _byMethod = protocols.ToFrozenDictionary(StringComparer.Ordinal);
        var own = list.Where(a => a.Supplier.Equals(TopCredentials.Supplier, StringComparison.OrdinalIgnoreCase)).ToList();
        _own = new TopProtocol(TopCredentials.Supplier, new CompositeApi(TopCredentials.Supplier, own),
            own.SelectMany(a => a.Methods).ToFrozenDictionary(m => m.Name, StringComparer.Ordinal), sessions, clock, scenarios);
    }

    /// <summary>What the HTTP server refuses under the gateway's paths is answered as TOP's error_response.</summary>
    public void ClaimDoors()
    {
        foreach (var prefix in new[] { "/router", "/top" }) _pipeline.Claim(_own, Listeners.Main, prefix);
    }

    public async Task HandleAsync(HttpContext http)
    {
        var request = await TopRequestReader.ReadAsync(http);
        http.Items[TopProtocol.ItemKey] = request;
        var protocol = request.Failure is null && request.Method is { } m && _byMethod.TryGetValue(m, out var p) ? p : _own;
        await _pipeline.HandleAsync(http, protocol);
    }

    /// <summary>Several contributions under one supplier name share its protocol; each keeps its own facts.</summary>
    sealed class CompositeApi(string supplier, IReadOnlyList<ITopApi> parts) : ITopApi
    {
        public string Supplier => supplier;
        public IReadOnlyList<TopMethod> Methods { get; } = parts.SelectMany(p => p.Methods).ToList();

        public void AddFacts(OperationContext ctx, TopCall call)
        {
            foreach (var p in parts)
                if (p.Methods.Contains(call.Method)) p.AddFacts(ctx, call);
        }
    }
}
