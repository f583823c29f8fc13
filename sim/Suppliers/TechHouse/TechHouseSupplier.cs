using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Yaml;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Suppliers.TechHouse;

/// <summary>
/// The TechHouse flight booking module: 14 enveloped actions on /flight/booking and /flight/order, the order
/// state machine from scenarios/techhouse/*.yaml, and the SyncOrderStatus push to the merchant.
/// </summary>
public sealed class TechHouseSupplier(TechHouseServices services, SupplierPipeline pipeline) : ISupplierModule
{
    public const string SyncOrderStatus = "SyncOrderStatus";
    readonly TechHouseProtocol _protocol = new(services);

    public string Supplier => TechHouseServices.Supplier;
    public string Title => "TechHouse flight booking (JSON, AES-256-CBC signature)";
    public string IdentityField => "key";
    public string? DedicatedListener => null;
    public IReadOnlyCollection<string> Operations => TechHouseProtocol.ActionNames;
    public IReadOnlyCollection<string> Callbacks => [SyncOrderStatus];
    public IReadOnlyCollection<string> MachineKinds => [TechHouseServices.OrderKind];
    public IReadOnlyCollection<string>? FieldsOf(string operation) => ActionShapes.FieldsOf(operation);

    public IReadOnlyList<OperationDescriptor> Catalogue { get; } =
    [
        new("LowFareSearch", "POST", "/flight/booking", "Search fares for a one-way or round trip (sync or async by searchId)"),
        new("AirPricing", "POST", "/flight/booking", "Re-price one routing and open the booking session"),
        new("SetPassengers", "POST", "/flight/booking", "Attach passengers and contact (once per session)"),
        new("GetSSRAvailability", "POST", "/flight/booking", "Ancillaries (baggage, meals) per segment"),
        new("SellSSR", "POST", "/flight/booking", "Add ancillaries to passengers"),
        new("GetSeatAvailability", "POST", "/flight/booking", "Seat map of one flight"),
        new("AssignSeats", "POST", "/flight/booking", "Assign seats to passengers"),
        new("GetBookingPayments", "POST", "/flight/booking", "Payment methods"),
        new("SetPaymentToBooking", "POST", "/flight/booking", "Choose payment method and currency"),
        new("Commit", "POST", "/flight/booking", "Create the order and pay it from the balance"),
        new("GetAirlinesAndRoutings", "POST", "/flight/order", "Airline and route catalogue"),
        new("GetBalance", "POST", "/flight/order", "Prepaid account balances"),
        new("GetOrderList", "POST", "/flight/order", "Orders in a time window"),
        new("GetOrderDetail", "POST", "/flight/order", "One order in full"),
        new(SyncOrderStatus, "POST", "{callbacks.techhouse}", "Push to the merchant: ticketing status (callback)"),
    ];

    /// <summary>
    /// Delivered when the merchant answers HTTP 2xx with JSON status 0 (spec §5.15: <c>{"status":0,"msg":"success"}</c>);
    /// retried 1m, 5m, 15m, 1h, 6h.
    /// </summary>
    public CallbackContract CallbackContract { get; } = new(
        (status, body) => status is >= 200 and < 300 && AcknowledgesZero(body),
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6)],
        TimeSpan.FromSeconds(10),
        new("application/json; charset=utf-8", """{"status":0,"msg":"success"}""", """{"status":1,"msg":"failed"}"""));

    public ISignatureCalculator Signatures { get; } = new TechHouseSignatureCalculator(services.Engine.Tenants);

    static bool AcknowledgesZero(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("status", out var s)
                   && (s.ValueKind == JsonValueKind.Number ? s.GetRawText() == "0" : s.ValueKind == JsonValueKind.String && s.GetString() == "0");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        // Every action is accepted on both paths (spec §1.1); other methods get 405 in TechHouse's format.
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];
        routes.MapMethods("/flight/booking", methods, (HttpContext http) => pipeline.HandleAsync(http, _protocol)).ExcludeFromDescription();
        routes.MapMethods("/flight/order", methods, (HttpContext http) => pipeline.HandleAsync(http, _protocol)).ExcludeFromDescription();
        pipeline.Claim(_protocol, Listeners.Main, "/flight");
    }

    public void Validate(string file, YamlMappingNode root)
    {
        if (Yml.Get(root, "catalog") is not { } catalog) return;
        if (catalog is not YamlMappingNode cm) throw Yml.Error(file, catalog, "'catalog' must be a mapping");
        if (Yml.Get(cm, "routes") is not { } routes) return;
        if (routes is not YamlSequenceNode list) throw Yml.Error(file, routes, "'catalog.routes' must be a list");
        foreach (var node in list.Children)
        {
            if (node is not YamlMappingNode r) throw Yml.Error(file, node, "a route is a mapping {from, to, carriers, flightsPerDay, currency, fare}");
            foreach (var key in new[] { "from", "to" })
            {
                var v = Yml.Str(r, key);
                if (v is null || v.Length != 3) throw Yml.Error(file, r, $"route needs '{key}' as a 3-letter IATA code");
            }
            if (Yml.Get(r, "carriers") is YamlSequenceNode carriers)
                foreach (var c in carriers.Children)
                    if (c is not YamlScalarNode { Value.Length: 2 }) throw Yml.Error(file, c, "carriers are 2-character IATA codes");
            if (Yml.Get(r, "fare") is { } fare && (fare is not YamlSequenceNode { Children.Count: 2 } fs
                                                   || fs.Children.Any(x => !decimal.TryParse(((YamlScalarNode)x).Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))))
                throw Yml.Error(file, fare, "'fare' is [min, max]");
            if (Yml.Get(r, "flightsPerDay") is YamlScalarNode f && !int.TryParse(f.Value, out _))
                throw Yml.Error(file, f, "'flightsPerDay' must be an integer");
        }
    }

    public Entity? FindEntity(string tenant, string kind, string id) =>
        kind == TechHouseServices.OrderKind ? services.Orders.Get(tenant, id) : null;

    /// <summary>Ticketing issues one ticket per passenger and segment; a ticketing failure refunds and frees the seats.</summary>
    public void OnEnter(TransitionContext ctx)
    {
        var order = (FlightOrder)ctx.Entity;
        if (ctx.To == OrderStatus.Ticketed && order.Tickets.Count == 0)
        {
            var serial = StableHash(order.Id) % 90_000_000u + 10_000_000u;
            var n = 0;
            foreach (var seg in order.Routing.AllSegments)
            foreach (var p in order.Passengers)
            {
                var prefix = ReferenceData.CarrierOrGeneric(seg.Carrier).TicketPrefix;
                order.Tickets.Add(new Ticket(p.PassengerId, seg.FlightNumber, p.FirstName, p.LastName,
                    prefix + ((ulong)serial * 100 + (ulong)n++).ToString("0000000000", CultureInfo.InvariantCulture), ctx.VirtualNowMs / 1000));
            }
        }
        if (ctx.From == OrderStatus.NeedPayment && ctx.To == OrderStatus.Pending && order.PaymentDate == 0)
            order.PaymentDate = ctx.VirtualNowMs / 1000;
        if (ctx.To == OrderStatus.TicketFailed && ctx.From != OrderStatus.TicketFailed)
        {
            services.Accounts.TryDebit(ctx.Tenant, order.Currency, -order.TotalCost, ctx.Uow);
            foreach (var held in order.Inventory)
            {
                var eq = held.LastIndexOf('=');
                services.Inventory.Release(ctx.Tenant.Id, held[..eq], int.Parse(held[(eq + 1)..], CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>The SyncOrderStatus push (spec §5.15): a bare JSON body, no envelope, no signature.</summary>
    public CallbackMessage BuildCallback(TransitionContext ctx, string name)
    {
        var order = (FlightOrder)ctx.Entity;
        var body = new JsonObject
        {
            ["orderNo"] = order.Id,
            ["orderStatus"] = order.Status,
            ["msg"] = order.Status == OrderStatus.TicketFailed ? "Ticketing failed, payment refunded" : $"Order has been {order.Status}",
            ["tickets"] = new JsonArray(order.Tickets.Select(t => (JsonNode)new JsonObject
            {
                ["passengerId"] = t.PassengerId,
                ["firstName"] = t.FirstName,
                ["lastName"] = t.LastName,
                ["ticketNo"] = t.TicketNo,
                ["createTime"] = t.CreateTime.ToString(CultureInfo.InvariantCulture),
                ["flightNumber"] = t.FlightNumber,
            }).ToArray()),
        };
        return new CallbackMessage(ctx.Tenant.Id, Supplier, TechHouseServices.OrderKey(order.Id), name, CallbackTarget.Tenant(), "POST",
            "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body.ToJsonString(StoreJson.Options)));
    }

    static uint StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var ch in s) h = (h ^ ch) * 16777619u;
        return h;
    }

    public void ForgetTenant(string tenant)
    {
        services.Sessions.ForgetTenant(tenant);
        services.Accounts.ForgetTenant(tenant);
        services.Inventory.ForgetTenant(tenant);
    }

    /// <summary>Drops booking sessions long past their lifetime so memory stays flat under load.</summary>
    public void Housekeeping()
    {
        services.Sessions.Sweep(services.Engine.Clock.NowMs, TimeSpan.FromMinutes(30));
        services.SweepAsyncSearches();
    }
}
