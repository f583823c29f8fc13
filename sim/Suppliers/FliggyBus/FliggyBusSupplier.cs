using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyBus.Admin;
using Sandbox.Suppliers.FliggyBus.Flow;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.Top;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Suppliers.FliggyBus;

/// <summary>
/// The Fliggy custom bus, where the sandbox is Fliggy and the integrator the bus operator: Fliggy's calls into the
/// operator's 11 Qimen APIs (durable, retried on the tenant's virtual clock, journaled), the four taobao.bus.* methods
/// the operator calls back on the TOP gateway (<see cref="FliggyBusTopApi"/>), the order and ticket machines of
/// scenarios/fliggybus/*.yaml, and the simulated Fliggy customers and conformance run under the admin API.
/// </summary>
public sealed class FliggyBusSupplier : ISupplierModule
{
    readonly FliggyBusServices _services;
    readonly FliggyBusTopApi _api;
    readonly OrderTransitions _transitions;
    readonly Customers _customers;
    readonly SupplierPipeline _pipeline;
    readonly FliggyBusVocabulary _vocabulary = new();

    /// <param name="calls">and <paramref name="timers"/>: built with the module, so their timer handlers are registered before
    /// the engine re-arms the stored timers at start.</param>
    public FliggyBusSupplier(FliggyBusServices services, FliggyBusTopApi api, OrderTransitions transitions, Customers customers, SupplierPipeline pipeline,
        CallJobs calls, FliggyTimers timers)
    {
        _services = services;
        _api = api;
        _transitions = transitions;
        _customers = customers;
        _pipeline = pipeline;
    }

    public string Supplier => FliggyBusServices.Supplier;
    public string Title => "Fliggy custom bus (Fliggy → operator: 11 Qimen APIs; operator → Fliggy: taobao.bus.* on TOP)";

    /// <summary>The operator's taobao.bus.* calls arrive through the TOP gateway, which finds the tenant by <c>credentials.top.appKey</c>.</summary>
    public string IdentityField => "appKey";

    public string? DedicatedListener => null;
    public IReadOnlyCollection<string> Operations => _vocabulary.Operations;
    public IReadOnlyCollection<string> Callbacks => _vocabulary.Callbacks;
    public IReadOnlyCollection<string> MachineKinds => _vocabulary.MachineKinds;

    public IReadOnlyList<OperationDescriptor> Catalogue =>
    [
        .. _api.Methods.Select(m => new OperationDescriptor(m.Name, "POST", TopSupplier.Paths[0], m.Title)),
        .. QimenMethods.All.Select(m => new OperationDescriptor(m.Name, "QIMEN", "(the operator's Qimen URL)", $"Fliggy → operator: {m.Purpose} (docId {m.DocId})")),
        new("sync", "POST", "/admin/api/tenants/{tenant}/fliggybus/sync", "Customers: catalogue sync (fromcity → tocity → number.query)"),
        new("book", "POST", "/admin/api/tenants/{tenant}/fliggybus/orders", "Customers: seat.query, then order.create"),
        new("order-action", "POST", "/admin/api/tenants/{tenant}/fliggybus/orders/{id}/{pay|expire|cancel|refund|query}", "Customers: pay, deadline, cancel, refund, reconcile"),
        new("calls", "GET", "/admin/api/tenants/{tenant}/fliggybus/calls", "The Qimen call log"),
        new("conformance", "POST", "/admin/api/tenants/{tenant}/fliggybus/conformance", "The conformance run against the tenant's operator"),
    ];

    /// <summary>The sandbox calls the operator through its own jobs, not the callback outbox: no outbox row of this module exists.</summary>
    public CallbackContract CallbackContract { get; } = new((status, _) => status is >= 200 and < 300, [], TimeSpan.FromSeconds(5));

    /// <summary>The taobao.bus.* methods are served by the TOP gateway: no routes of the module's own.</summary>
    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
    }

    public void MapAdminEndpoints(RouteGroupBuilder admin)
    {
        CustomersApi.Map(admin, _services, _customers, _pipeline);
        CallsApi.Map(admin, _services);
    }

    public void Validate(string file, YamlMappingNode root) => _vocabulary.Validate(file, root);

    public Entity? FindEntity(string tenant, string kind, string id) => kind == FliggyBusServices.OrderKind ? _services.Orders.Get(tenant, id) : null;

    public void OnEnter(TransitionContext ctx) => _transitions.OnEnter(ctx);

    /// <summary>A transition's emit is a Qimen call, scheduled as a job in the transition's unit of work; no HTTP callback.</summary>
    public CallbackMessage? BuildCallback(TransitionContext ctx, string name)
    {
        _transitions.Emit(ctx, name);
        return null;
    }

    public void ForgetTenant(string tenant) => _services.ForgetTenant(tenant);

    public void Housekeeping()
    {
    }
}
