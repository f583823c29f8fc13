using System.Globalization;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Yaml;
using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.FliggyFlight.Messages;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.Top;
using Sandbox.Suppliers.Top.Gateway;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Suppliers.FliggyFlight;

/// <summary>
/// Fliggy domestic flights on TOP (spec §2): the 15 alitrip.flight.* methods (contributed to the TOP gateway by
/// <see cref="FliggyFlightApi"/>), the order, refund and change machines of scenarios/fliggyflight/*.yaml and the TMC
/// messages their transitions emit.
/// </summary>
public sealed class FliggyFlightSupplier(FliggyFlightServices services, FliggyFlightApi api) : ISupplierModule
{
    public string Supplier => FliggyFlightServices.Supplier;
    public string Title => "Fliggy domestic flights (TOP alitrip.flight.*, TMC messages)";

    /// <summary>Calls arrive through the TOP gateway, which finds the tenant by <c>credentials.top.appKey</c>.</summary>
    public string IdentityField => "appKey";
    public string CredentialSupplier => Top.TopCredentials.Supplier;

    public string? DedicatedListener => null;
    public IReadOnlyCollection<string> Operations => api.Methods.Select(m => m.Name).ToList();

    public IReadOnlyCollection<string>? FieldsOf(string operation) =>
        api.Methods.FirstOrDefault(m => m.Name == operation) is { } method ? TopSystemParams.RulePaths(method, FliggyFlightApi.Facts) : null;

    /// <summary>What a transition can emit: the three flight notify topics (PayNotification goes with TradeNotify type 1).</summary>
    public IReadOnlyCollection<string> Callbacks => [FlightMessages.TradeNotify, FlightMessages.RefundNotify, FlightMessages.ChangeStatusNotify];

    public IReadOnlyCollection<string> MachineKinds => [FliggyFlightServices.OrderKind, FliggyFlightServices.RefundKind, FliggyFlightServices.ChangeKind];

    public IReadOnlyList<OperationDescriptor> Catalogue =>
    [
        .. api.Methods.Select(m => new OperationDescriptor(m.Name, "POST", TopSupplier.Paths[0], m.Title)),
        new(FlightMessages.TradeNotify, "TMC", "alitrip_flight_TradeNotify", "TMC: paid (1), closed (2), ticketed (3)"),
        new(FlightMessages.PayNotification, "TMC", "alitrip_flight_PayNotification", "TMC: payment result, with TradeNotify type 1"),
        new(FlightMessages.RefundNotify, "TMC", "alitrip_flight_RefundNotify", "TMC: refund created, closed, refunded"),
        new(FlightMessages.ChangeStatusNotify, "TMC", "alitrip_flight_ChangeStatusNotify", "TMC: change order status 1-5"),
        new("flight-change", "POST", "/admin/api/tenants/{tenant}/fliggyflight/orders/{id}/flight-change",
            "Admin: announce a schedule change (alitrip_flight_FlightChange / alitrip_flight_Change)"),
    ];

    /// <summary>Fliggy delivers over TMC, never by HTTP callback: the outbox holds no row of this module; this is the plain 2xx contract.</summary>
    public CallbackContract CallbackContract { get; } = new((status, _) => status is >= 200 and < 300, [], TimeSpan.FromSeconds(10));

    /// <summary>The flight methods are served by the TOP gateway (<see cref="FliggyFlightApi"/>): no routes of the module's own.</summary>
    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
    }

    public void MapAdminEndpoints(RouteGroupBuilder admin) => FliggyFlightAdmin.Map(admin, services);

    public void Validate(string file, YamlMappingNode root)
    {
        if (Yml.Get(root, "catalog") is { } catalog)
        {
            if (catalog is not YamlMappingNode cm) throw Yml.Error(file, catalog, "'catalog' must be a mapping {routes, sellers, horizonDays, epidemicPolicyCarriers}");
            if (Yml.Get(cm, "routes") is { } routes)
            {
                if (routes is not YamlSequenceNode list) throw Yml.Error(file, routes, "'catalog.routes' must be a list");
                foreach (var node in list.Children) ValidateRoute(file, node);
            }
        }
        if (Yml.Get(root, "settings") is YamlMappingNode settings)
            foreach (var (k, v) in settings.Children)
            {
                var name = ((YamlScalarNode)k).Value!;
                if (!FlightSettings.Known.Contains(name))
                    throw Yml.Error(file, k, $"unknown fliggyflight setting '{name}' (known: {string.Join(", ", FlightSettings.Known)})");
                if (name is "refundFees" or "changeFees")
                    try
                    {
                        FlightSettings.Bands(Yml.ToJson(v));
                    }
                    catch (FormatException)
                    {
                        throw Yml.Error(file, v, $"'{name}' is a list of {{before: <duration>, rate: <0..1>}}");
                    }
            }
        if (Yml.Get(root, "machines") is YamlMappingNode machines)
            foreach (var (k, v) in machines.Children)
                if (v is YamlMappingNode m && Yml.Get(m, "transitions") is YamlSequenceNode ts)
                    foreach (var t in ts.Children.OfType<YamlMappingNode>())
                        if (Yml.Str(t, "emit") is { } emit && emit != TopicOf(((YamlScalarNode)k).Value!))
                            throw Yml.Error(file, t, $"a {((YamlScalarNode)k).Value} transition emits {TopicOf(((YamlScalarNode)k).Value!)}, not {emit}");
    }

    static void ValidateRoute(string file, YamlNode node)
    {
        if (node is not YamlMappingNode r) throw Yml.Error(file, node, "a route is {from, to, carriers, flightsPerDay, fare, duration, oil}");
        foreach (var key in new[] { "from", "to" })
            if (Yml.Str(r, key) is not { } city || !ReferenceData.Cities.ContainsKey(city.ToUpperInvariant()))
                throw Yml.Error(file, r, $"route '{key}' must be a city code ({string.Join(", ", ReferenceData.Cities.Keys.Order())})");
        if (Yml.Get(r, "carriers") is YamlSequenceNode carriers)
            foreach (var c in carriers.Children)
                if (c is not YamlScalarNode { Value: { } code } || !ReferenceData.Carriers.ContainsKey(code.ToUpperInvariant()))
                    throw Yml.Error(file, c, $"carriers are airline codes of the reference data ({string.Join(", ", ReferenceData.Carriers.Keys.Order())})");
        foreach (var key in new[] { "flightsPerDay", "duration" })
            if (Yml.Str(r, key) is { } n && !int.TryParse(n, out _)) throw Yml.Error(file, Yml.Get(r, key)!, $"'{key}' must be an integer");
        foreach (var key in new[] { "fare", "oil" })
            if (Yml.Str(r, key) is { } n && !decimal.TryParse(n, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
                throw Yml.Error(file, Yml.Get(r, key)!, $"'{key}' must be an amount in yuan");
    }

    static string TopicOf(string kind) => kind switch
    {
        FliggyFlightServices.OrderKind => FlightMessages.TradeNotify,
        FliggyFlightServices.RefundKind => FlightMessages.RefundNotify,
        _ => FlightMessages.ChangeStatusNotify,
    };

    public Entity? FindEntity(string tenant, string kind, string id) => kind switch
    {
        FliggyFlightServices.OrderKind => services.Orders.Get(tenant, id),
        FliggyFlightServices.RefundKind => services.Refunds.Get(tenant, id),
        FliggyFlightServices.ChangeKind => services.Changes.Get(tenant, id),
        _ => null,
    };

    public void OnEnter(TransitionContext ctx) => FlightTransitions.OnEnter(services, ctx);

    /// <summary>
    /// Publishes the transition's TMC message in its unit of work (TMC is not an HTTP callback, so there is nothing for
    /// the callback outbox).
    /// </summary>
    public CallbackMessage? BuildCallback(TransitionContext ctx, string name)
    {
        FlightTransitions.Publish(services, ctx);
        return null;
    }

    public void ForgetTenant(string tenant)
    {
        services.Inventory.ForgetTenant(tenant);
        services.Searches.ForgetTenant(tenant);
    }

    public void Housekeeping()
    {
    }
}
