using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Yaml;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Operations;
using Sandbox.Suppliers.Yobaoxing.Protocol;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Suppliers.Yobaoxing;

/// <summary>
/// The 游宝星 scenic-area and theatre e-ticket module: the *.aspx pages under /yobaoxing/ (GET) and /yobaoxing/POST/
/// (POST), the order machine of scenarios/yobaoxing/*.yaml with its 15 status codes, and the Notify_* callbacks.
/// </summary>
public sealed class YobaoxingSupplier(YobaoxingServices services, SupplierPipeline pipeline) : ISupplierModule
{
    readonly YobaoxingProtocol _protocol = new(services, YobaoxingPages.All);

    /// <summary>Events that happen at the supplier's counter or gate, not through a page; machines can name them.</summary>
    public static readonly string[] SiteEvents = ["GateCheck", "CounterCollect", "PaymentReceived", "PaymentApproved", "PaymentRejected", "RefundApproved", "RefundRejected", "RefundPaid"];

    /// <summary>Tag of an order whose instant payment finance approved: a withdrawn refund application returns it to 6, not 5.</summary>
    public const string ApprovedTag = "payment-approved";

    public string Supplier => YobaoxingServices.Supplier;
    public string Title => "游宝星 scenic-area and theatre e-tickets (*.aspx, XML, 3DES + MD5)";
    public string IdentityField => "user";
    public string? DedicatedListener => null;
    public IReadOnlyCollection<string> Operations => [.. _protocol.Pages.Select(p => p.Name), .. SiteEvents];
    public IReadOnlyCollection<string> Callbacks => Notifications.All;
    public IReadOnlyCollection<string> MachineKinds => [YobaoxingServices.OrderKind];

    public IReadOnlyList<OperationDescriptor> Catalogue =>
    [
        .. _protocol.Pages.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new OperationDescriptor(p.Name, "GET, POST", $"/yobaoxing/{p.Name}.aspx", p.Description)),
        new(Notifications.OrderChanged, "GET", "{responseaddr}/Notify_OrderChanged.aspx", "Callback: order status changed"),
        new(Notifications.Refund, "GET", "{responseaddr}/Notify_Refund.aspx", "Callback: ticket refunded (cash, deposit, instant payment)"),
        new(Notifications.RefundFk, "GET", "{responseaddr}/Notify_Refund_FK.aspx", "Callback: rebate ticket refunded (legacy edition: Notify_Refund.aspx)"),
        new(Notifications.Checked, "GET", "{responseaddr}/Notify_Checked.aspx", "Callback: first gate passage of a ticket"),
        new(Notifications.Payment, "GET", "{NotifyURL}", "Callback (legacy BeginToPay): instant payment succeeded or failed"),
    ];

    /// <summary>
    /// Delivered when the integrator answers XML with retcode 0 (spec §6); retried for 24 hours of virtual time after the
    /// event (spec §3.9 gives no interval: 1m, 2m, 5m, 10m, 15m, 30m, then hourly).
    /// </summary>
    public CallbackContract CallbackContract { get; } = new(
        (status, body) => status is >= 200 and < 300 && RetcodeZero(body),
        [
            TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15),
            TimeSpan.FromMinutes(30), .. Enumerable.Repeat(TimeSpan.FromHours(1), 22), TimeSpan.FromMinutes(57),
        ],
        TimeSpan.FromSeconds(10),
        new("text/xml; charset=utf-8",
            """<?xml version="1.0" encoding="UTF-8"?><root><retcode>0</retcode><retmsg>通知成功</retmsg></root>""",
            """<?xml version="1.0" encoding="UTF-8"?><root><retcode>-1</retcode><retmsg>通知失败</retmsg></root>"""));

    public ISignatureCalculator Signatures { get; } = new YobaoxingSignatureCalculator(services);

    static readonly XmlReaderSettings AckReader = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };

    /// <summary>
    /// The acknowledgement's retcode child of the root element (any letter case), read with a forward-only reader:
    /// every callback is checked, and a DOM with XPath cost more than the rest of the callback's handling.
    /// </summary>
    static bool RetcodeZero(string body)
    {
        try
        {
            using var r = XmlReader.Create(new StringReader(body), AckReader);
            if (r.MoveToContent() != XmlNodeType.Element) return false;
            var depth = r.Depth;
            while (r.Read())
                if (r.NodeType == XmlNodeType.Element && r.Depth == depth + 1 && r.LocalName.Equals("retcode", StringComparison.OrdinalIgnoreCase))
                    return r.ReadElementContentAsString().Trim() == "0";
            return false;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
        routes.MapMethods("/yobaoxing/{page}", methods, (HttpContext http) => pipeline.HandleAsync(http, _protocol)).ExcludeFromDescription();
        routes.MapMethods("/yobaoxing/POST/{page}", methods, (HttpContext http) => pipeline.HandleAsync(http, _protocol)).ExcludeFromDescription();
        pipeline.Claim(_protocol, Listeners.Main, "/yobaoxing");
    }

    public void MapAdminEndpoints(RouteGroupBuilder admin) => YobaoxingAdmin.Map(admin, services, pipeline);

    public void Validate(string file, YamlMappingNode root)
    {
        if (Yml.Get(root, "catalog") is not { } catalog) return;
        if (catalog is not YamlMappingNode cm) throw Yml.Error(file, catalog, "'catalog' must be a mapping");
        foreach (var section in new[] { "products", "routes", "timeSegments", "fees", "theatres", "payChannels" })
            if (Yml.Get(cm, section) is { } node && node is not YamlSequenceNode)
                throw Yml.Error(file, node, $"'catalog.{section}' must be a list");
        if (Yml.Get(cm, "products") is YamlSequenceNode products)
            foreach (var p in products.Children)
            {
                if (p is not YamlMappingNode pm || Yml.Str(pm, "name") is null) throw Yml.Error(file, p, "a product is a mapping with at least 'name' and 'price'");
                if (Yml.Str(pm, "price") is { } price && !decimal.TryParse(price, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _))
                    throw Yml.Error(file, pm, $"product price '{price}' is not a number");
            }
        if (Yml.Get(cm, "timeSegments") is YamlSequenceNode segments)
            foreach (var s in segments.Children)
                if (s is not YamlMappingNode sm || Yml.Str(sm, "start") is not { Length: 5 } || Yml.Str(sm, "end") is not { Length: 5 })
                    throw Yml.Error(file, s, "a time segment needs 'start' and 'end' as HH:MM");
    }

    public Entity? FindEntity(string tenant, string kind, string id) =>
        kind == YobaoxingServices.OrderKind ? services.Orders.Get(tenant, id) : null;

    /// <summary>
    /// Closing an order, however it happens, gives back its stock and charges the penalty; entering a paid, delivered or
    /// refunded state sends the official notices.
    /// </summary>
    public void OnEnter(TransitionContext ctx)
    {
        var order = (TicketOrder)ctx.Entity;
        var settings = new YobaoxingSettings(ctx.Tenant, ctx.Scenario);
        var catalog = TicketCatalog.For(ctx.Scenario);
        if (ctx.To == OrderStatus.Closed)
        {
            order.ClosedBy = ctx.Cause;
            var now = DateTimeOffset.FromUnixTimeMilliseconds(ctx.VirtualNowMs);
            Closing.Settle(services, ctx.Uow, ctx.Tenant, settings, catalog, now, order, ctx.From);
        }
        if (ctx.To == OrderStatus.InstantApproved) order.Tags.Add(ApprovedTag);
        Refunds.OnEnter(services, ctx, settings, catalog, order);
        Notices.OnEnter(services, ctx.Uow, ctx.Tenant, settings, catalog, order, ctx.To);
        services.Orders.Save(ctx.Uow, ctx.Tenant.Id, order);
    }

    public CallbackMessage? BuildCallback(TransitionContext ctx, string name) =>
        name == Notifications.OrderChanged ? Notifications.ForOrderChanged(services, ctx.Tenant, (TicketOrder)ctx.Entity) : null;

    public void ForgetTenant(string tenant)
    {
        services.Accounts.ForgetTenant(tenant);
        services.Stock.ForgetTenant(tenant);
    }

    public void Housekeeping()
    {
    }
}
