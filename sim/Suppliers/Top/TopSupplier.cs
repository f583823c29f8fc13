using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Yaml;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Protocol;
using Sandbox.Suppliers.Top.Sessions;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Suppliers.Top;

/// <summary>
/// The Taobao Open Platform gateway as a module of its own: <c>/router/rest</c> (and <c>/top/router/rest</c>) on the
/// main listener, tenants identified by <c>credentials.top.appKey</c>, signing, envelopes, errors and sessions. API
/// methods come from the modules that register an <see cref="ITopApi"/> (Fliggy flights; the bus and TMC later).
/// </summary>
public sealed class TopSupplier(TopGateway gateway, TopSessions sessions, TenantRegistry tenants) : ISupplierModule
{
    public ISignatureCalculator Signatures { get; } = new TopSignatureCalculator(tenants);

    public static readonly string[] Paths = ["/router/rest", "/top/router/rest"];

    public string Supplier => TopCredentials.Supplier;
    public string Title => "Taobao Open Platform gateway (TOP: /router/rest, md5 / hmac / hmac-sha256 signing, JSON and XML)";
    public string IdentityField => "appKey";
    public string? DedicatedListener => null;

    /// <summary>The gateway's own methods (none yet: TMC adds taobao.tmc.*); other modules' methods run under their own name.</summary>
    public IReadOnlyCollection<string> Operations => gateway.Methods.Where(m => m.Supplier == Supplier).Select(m => m.Method.Name).ToList();

    public IReadOnlyCollection<string> Callbacks => [];
    public IReadOnlyCollection<string> MachineKinds => [];

    public IReadOnlyList<OperationDescriptor> Catalogue =>
    [
        .. gateway.Methods.Select(m => new OperationDescriptor(m.Method.Name, "POST", Paths[0], $"{m.Method.Title} ({m.Supplier})")),
        new("sessions", "POST", "/admin/api/tenants/{tenant}/top/sessions", "Admin: authorize a user (session key)"),
    ];

    /// <summary>TOP itself calls nobody back over HTTP (messages go through TMC); this is the engine's plain 2xx contract.</summary>
    public CallbackContract CallbackContract { get; } = new((status, _) => status is >= 200 and < 300, [], TimeSpan.FromSeconds(10));

    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        // Every HTTP method reaches the gateway: anything but GET and POST is answered code 9 in TOP's format.
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
        foreach (var path in Paths)
            routes.MapMethods(path, methods, (HttpContext http) => gateway.HandleAsync(http)).ExcludeFromDescription();
        gateway.ClaimDoors();
    }

    public void MapAdminEndpoints(RouteGroupBuilder admin) => TopAdmin.Map(admin, sessions);

    public void Validate(string file, YamlMappingNode root)
    {
        if (Yml.Get(root, "settings") is not { } settings) return;
        if (settings is not YamlMappingNode map) throw Yml.Error(file, settings, "'settings' must be a mapping");
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value!;
            if (!TopSettings.Known.Contains(name)) throw Yml.Error(file, k, $"unknown top setting '{name}' (known: {string.Join(", ", TopSettings.Known)})");
            var value = (v as YamlScalarNode)?.Value;
            if (!(name == "timestampTolerance" && value == "off") && !Engine.Clock.Durations.TryParse(value, out _))
                throw Yml.Error(file, v, $"'{name}' is a duration (PT10M, 10m){(name == "timestampTolerance" ? " or off" : "")}");
        }
    }

    public Entity? FindEntity(string tenant, string kind, string id) => kind == TopSessions.Kind ? sessions.Find(tenant, id) : null;

    /// <summary>Sessions have no machine: a forced transition only changes their status.</summary>
    public void OnEnter(TransitionContext ctx)
    {
    }

    public CallbackMessage? BuildCallback(TransitionContext ctx, string name) => null;

    public void ForgetTenant(string tenant)
    {
    }

    public void Housekeeping()
    {
    }
}
