using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Yaml;
using Sandbox.Suppliers.Bpt.Catalog;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Operations;
using Sandbox.Suppliers.Bpt.Protocol;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Suppliers.Bpt;

/// <summary>
/// The Alipay 本票通 (BPT) server edition module: GET commands on its own port (6350 like the real product), the
/// order machine of scenarios/bpt/*.yaml with the status codes as states, and the ticketnoinfo / paymentinfo notices.
/// </summary>
public sealed class BptSupplier(BptServices services, SupplierPipeline pipeline) : ISupplierModule
{
    /// <summary>Admin actions of spec §10, driving the machine's <c>on: cancel | void | negotiate</c> transitions.</summary>
    public static readonly string[] AdminActions = ["cancel", "void", "negotiate"];

    readonly BptProtocol _protocol = new(services);
    readonly Ticketing _ticketing = Ticketing.Register(services);

    public string Supplier => BptServices.Supplier;
    public string Title => "Alipay 本票通 server edition (GET, GBK XML, MD5 ver=2)";
    public string IdentityField => "partner";
    public string? DedicatedListener => BptServices.ListenerName;
    public IReadOnlyCollection<string> Operations { get; } = [.. BptProtocol.CommandNames, .. AdminActions];
    public IReadOnlyCollection<string> Callbacks => [BptCallbacks.TicketNoInfo, BptCallbacks.PaymentInfo];
    public IReadOnlyCollection<string> MachineKinds => [BptServices.OrderKind];

    public IReadOnlyList<OperationDescriptor> Catalogue { get; } =
    [
        new("checkclt", "GET", "/alidz.do?cmd=checkclt", "Is the server running"),
        new("newquerypricebypnr", "GET", "/alidz.do?cmd=newquerypricebypnr", "Price and policies of a PNR"),
        new("input", "GET", "/alidz.do?cmd=input", "Create the B2B order (入库); autopayflag=1 pays at once"),
        new("pay", "GET", "/alidz.do?cmd=pay", "Pay the order by Alipay withholding"),
        new("ticketoutcallback", "GET", "/alidz.do?cmd=ticketoutcallback", "Ticketing with an asynchronous ticketnoinfo notice"),
        new("ticketout", "GET", "/alidz.do?cmd=ticketout", "Ticket numbers, synchronously"),
        new("newqueryorder", "GET", "/alidz.do?cmd=newqueryorder", "Order status"),
        new("orderex", "GET", "/alidz.do?cmd=orderex", "Input, pay and ticket in one call (全自动)"),
        new("querypricebypnrex", "GET", "/alidz.do?cmd=querypricebypnrex", "Legacy (older servers): best policy of a PNR"),
        new("queryorder", "GET", "/alidz.do?cmd=queryorder", "Legacy (older servers): order status"),
        new("order", "GET", "/alidz.do?cmd=order", "Legacy (older servers): input and pay"),
        new("cancel", "POST", "/admin/api/tenants/{tenant}/bpt/orders/{id}/cancel", "Admin: cancel the input (取消入库, status 7)"),
        new("void", "POST", "/admin/api/tenants/{tenant}/bpt/orders/{id}/void", "Admin: void the order (订单作废, status 11)"),
        new("negotiate", "POST", "/admin/api/tenants/{tenant}/bpt/orders/{id}/negotiate", "Admin: price negotiation (议价申请中, status 12)"),
        new(BptCallbacks.TicketNoInfo, "POST", "{callbackurl}", "Notice to the integrator: ticketing result (form field ticketnoinfo)"),
        new(BptCallbacks.PaymentInfo, "POST", "{callbackurlforpay}", "Notice to the integrator: payment result (form field paymentinfo)"),
    ];

    /// <summary>
    /// Acknowledged by HTTP 2xx with a body starting true or success (BPB's receiver writes true/false), or with an
    /// empty body: PB3's notice page processes the notice and writes nothing, whatever the outcome, so an empty 2xx is
    /// the only acknowledgement it can give. Retried after 1, 2, 5, 10 and 30 minutes, then abandoned (spec §6.3).
    /// </summary>
    public CallbackContract CallbackContract { get; } = new(
        (status, body) => status is >= 200 and < 300 && Acknowledges(body),
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)],
        TimeSpan.FromSeconds(10),
        new("text/plain; charset=utf-8", "true", "false"));

    /// <summary>BPT replies code 1 on success and 0 on failure (spec §4).</summary>
    public IReadOnlyCollection<string> SuccessCodes { get; } = ["1"];

    public ISignatureCalculator Signatures { get; } = new BptSignatureCalculator(services);

    static bool Acknowledges(string body)
    {
        var t = body.AsSpan().Trim();
        return t.IsEmpty || t.StartsWith("true", StringComparison.OrdinalIgnoreCase) || t.StartsWith("success", StringComparison.OrdinalIgnoreCase);
    }

    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        // Everything arriving on the BPT port is BPT's: /alidz.do and /, any other path or method gets BPT's answer.
        ((IApplicationBuilder)routes).MapWhen(ctx => ctx.ListenerName() == BptServices.ListenerName,
            b => b.Run(ctx => pipeline.HandleAsync(ctx, _protocol)));
        pipeline.Claim(_protocol, BptServices.ListenerName);
    }

    public void MapAdminEndpoints(RouteGroupBuilder admin) => BptAdmin.Map(admin, services, pipeline);

    public void Validate(string file, YamlMappingNode root)
    {
        if (Yml.Get(root, "catalog") is { } catalog)
        {
            if (catalog is not YamlMappingNode cm) throw Yml.Error(file, catalog, "'catalog' must be a mapping {pnrs, generate}");
            if (Yml.Get(cm, "pnrs") is { } pnrs)
            {
                if (pnrs is not YamlSequenceNode list) throw Yml.Error(file, pnrs, "'catalog.pnrs' must be a list of PNR fixtures");
                foreach (var node in list.Children)
                {
                    if (node is not YamlMappingNode m) throw Yml.Error(file, node, "a PNR fixture is a mapping {air, pnr, pnrc, passengers, segments, ticketprice, totaltax, policies}");
                    try
                    {
                        PnrFixtureReader.Read(Yml.ToJsonObject(m));
                    }
                    catch (PnrFixtureReader.FixtureException e)
                    {
                        throw Yml.Error(file, m, e.Message);
                    }
                }
            }
            if (Yml.Get(cm, "generate") is { } gen)
            {
                if (gen is not YamlMappingNode gm || Yml.Str(gm, "count") is not { } count || !int.TryParse(count, out var n) || n is < 0 or > 10_000)
                    throw Yml.Error(file, gen, "'catalog.generate' is {count: 0..10000, airlines: [CA, MU, …]}");
                if (Yml.Get(gm, "airlines") is { } airlines && (airlines is not YamlSequenceNode al || al.Children.Any(a => a is not YamlScalarNode { Value.Length: 2 })))
                    throw Yml.Error(file, airlines, "'airlines' is a list of 2-character airline codes");
            }
        }
        if (Yml.Get(root, "settings") is YamlMappingNode settings)
            foreach (var (k, v) in settings.Children)
            {
                var name = ((YamlScalarNode)k).Value!;
                if (!KnownSettings.Contains(name))
                    throw Yml.Error(file, k, $"unknown bpt setting '{name}' (known: {string.Join(", ", KnownSettings)})");
            }
    }

    static readonly string[] KnownSettings =
    [
        "auto_ticket_airlines", "payment_accounts", "platform_withholding", "deduct_account", "b2b_login",
        "passenger_name_encoding", "callback_encoding", "callback_method",
    ];

    public Entity? FindEntity(string tenant, string kind, string id) =>
        kind == BptServices.OrderKind ? services.Orders.Get(tenant, id) : null;

    public void OnEnter(TransitionContext ctx) => _ticketing.OnEnter(ctx);

    public CallbackMessage BuildCallback(TransitionContext ctx, string name)
    {
        var order = (BptOrder)ctx.Entity;
        var config = BptTenantConfig.For(ctx.Tenant, ctx.Scenario);
        return name == BptCallbacks.PaymentInfo
            ? BptCallbacks.Message(ctx.Tenant.Id, config, order, name, order.CallbackUrlForPay, BptCallbacks.PaymentXml(order, order.Paid ? Payment.PaidText : OrderStatus.Name(order.Status)))
            : BptCallbacks.Message(ctx.Tenant.Id, config, order, name, order.CallbackUrl, BptCallbacks.TicketXml(order, config.PlainPassengerNames));
    }

    public void ForgetTenant(string tenant) => services.ForgetTenant(tenant);

    /// <summary>Keeps the small-PNR index bounded under load; a dropped entry is found again in the store.</summary>
    public void Housekeeping() => services.TrimSmallIndex(50_000);
}
