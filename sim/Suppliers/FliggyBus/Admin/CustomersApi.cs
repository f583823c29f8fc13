using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyBus.Flow;
using Sandbox.Suppliers.FliggyBus.Flow.Steps;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Admin;

/// <summary>
/// The simulated Fliggy customers (spec §8.1), under the admin API instead of the spec's <c>/__sandbox/bus/{tenant}</c>:
/// sync the catalogue, book, pay, let the payment deadline pass, cancel, refund, reconcile, read an order. Each action
/// commits what the customer did and sets off Fliggy's calls into the merchant (durable timers, retried on the
/// tenant's virtual clock), then answers once those settled — a reply taken, or a retry scheduled — or after the
/// calls' timeouts.
/// </summary>
static class CustomersApi
{
    const string Base = "/tenants/{tenant}/fliggybus";
    static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    public static void Map(RouteGroupBuilder admin, FliggyBusServices s, Customers customers, SupplierPipeline pipeline)
    {
        admin.MapPost(Base + "/sync", (string tenant, HttpContext http) => SyncAsync(tenant, http, s, pipeline));
        admin.MapGet(Base + "/catalogue", (string tenant) => Catalogue(tenant, s));
        admin.MapPost(Base + "/orders", (string tenant, HttpContext http) => BookAsync(tenant, http, s, customers, pipeline));
        admin.MapGet(Base + "/orders/{id}", (string tenant, string id) => GetAsync(tenant, id, s));
        admin.MapPost(Base + "/orders/{id}/{action}", (string tenant, string id, string action, HttpContext http) => ActAsync(tenant, id, action, http, s, pipeline));
    }

    /// <summary>fromcity.query → tocity.query per city → number.query per route (§8); answers when every first attempt ended.</summary>
    static async Task<IResult> SyncAsync(string tenant, HttpContext http, FliggyBusServices s, SupplierPipeline pipeline)
    {
        if (Find(tenant, s, out var bus) is { } problem) return problem;
        var run = new SyncRun(Guid.NewGuid().ToString("N")[..12]);
        s.SyncRuns[run.Id] = run;
        run.Started();
        try
        {
            await pipeline.RunAdminAsync(http, bus!.Tenant, FliggyBusServices.Supplier, "sync", ctx =>
            {
                CallJobs.Schedule(s, ctx.Uow, new CallJob(bus.Id, QimenMethods.FromCityQuery, FromCityStep.Everything, 1, CallJob.SyncTag + run.Id), ctx.NowMs);
                return true;
            });
            var settled = await Waiters.WaitAsync(run.Settled, TimeSpan.FromSeconds(60), http.RequestAborted);
            var catalogue = s.Catalogues.For(bus.Id);
            return Results.Json(new JsonObject
            {
                ["status"] = settled ? "complete" : "in-progress",
                ["calls"] = run.Calls,
                ["fromCities"] = catalogue.FromCities().Count,
                ["routes"] = catalogue.Routes().Count,
                ["schedules"] = catalogue.Entries().Count,
                ["problems"] = new JsonArray(run.Problems.Select(p => (JsonNode)p).ToArray()),
            });
        }
        finally
        {
            s.SyncRuns.TryRemove(run.Id, out _);
        }
    }

    static IResult Catalogue(string tenant, FliggyBusServices s) =>
        s.Engine.Tenants.Find(tenant) is null ? AdminProblem.NotFound($"tenant '{tenant}' not found") : Results.Json(s.Catalogues.For(tenant).ToJson());

    /// <summary>
    /// Body (§8.1): <c>{scheduleId, fromDate?, fromStationCode?, toStationCode?, passengers: [{name, certType, certNo, type}],
    /// contactName, contactPhone}</c>. seat.query, then order.create; answers the order (201), status 1 once the merchant
    /// locked the seats.
    /// </summary>
    static async Task<IResult> BookAsync(string tenant, HttpContext http, FliggyBusServices s, Customers customers, SupplierPipeline pipeline)
    {
        if (Find(tenant, s, out var bus) is { } problem) return problem;
        if (await BodyAsync(http) is not { } body) return AdminProblem.BadRequest("the body is a JSON object {scheduleId, passengers: [...], contactName, contactPhone}");
        if (Str(body, "scheduleId") is not { Length: > 0 } scheduleId) return AdminProblem.BadRequest("scheduleId is required (GET …/fliggybus/catalogue lists them)");
        if (body["passengers"] is not JsonArray list) return AdminProblem.BadRequest("passengers is a list of {name, certType, certNo, type}");
        var passengers = list.Select(p => p as JsonObject).Select(p => new PassengerRequest(Str(p, "name") ?? "", Str(p, "certType") ?? "1",
            Str(p, "certNo") ?? "", Str(p, "type") ?? "0")).ToList();
        var request = new BookingRequest(scheduleId, Str(body, "fromDate"), Str(body, "fromStationCode"), Str(body, "toStationCode"), passengers,
            Str(body, "contactName") ?? "", Str(body, "contactPhone") ?? "");
        var draft = await customers.PrepareAsync(bus!, request, http.RequestAborted);
        if (draft.Order is not { } order)
            return TypedResults.Problem(AdminProblem.Of(draft.Status, draft.Error!, ("seatQuery", draft.SeatCall?.Verdict)));
        var settled = s.Waiters.Register(bus!.Id, order.Id);
        await pipeline.RunAdminAsync(http, bus.Tenant, FliggyBusServices.Supplier, QimenMethods.OrderCreate, ctx =>
        {
            lock (order) customers.Start(bus, draft, ctx.Uow);
            return true;
        });
        await Waiters.WaitAsync(settled, bus.Settings.PolicyFor(QimenMethods.OrderCreate).Timeout + Slack, http.RequestAborted);
        lock (order) return Results.Created($"/admin/api/tenants/{tenant}/fliggybus/orders/{order.Id}", OrderView.Of(order));
    }

    static async Task<IResult> GetAsync(string tenant, string id, FliggyBusServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        if (s.Orders.Get(tenant, id) is not { } order) return AdminProblem.NotFound($"no fliggybus order '{id}' for tenant '{tenant}'");
        JsonObject view;
        lock (order) view = OrderView.Of(order);
        view["calls"] = await s.CallLog.QueryAsync(tenant, null, FliggyBusServices.OrderKey(id), 50);
        return Results.Json(view);
    }

    /// <summary>pay, expire, cancel, refund (body <c>{passengerIds: [...]}</c>, empty = every issued ticket), query.</summary>
    static async Task<IResult> ActAsync(string tenant, string id, string action, HttpContext http, FliggyBusServices s, SupplierPipeline pipeline)
    {
        if (action is not ("pay" or "expire" or "cancel" or "refund" or "query"))
            return AdminProblem.NotFound($"unknown action '{action}' (pay, expire, cancel, refund, query)");
        if (Find(tenant, s, out var bus) is { } problem) return problem;
        if (s.Orders.Get(tenant, id) is not { } order) return AdminProblem.NotFound($"no fliggybus order '{id}' for tenant '{tenant}'");
        var refundIds = action == "refund" ? await PassengerIdsAsync(http) : null;
        if (action == "refund" && refundIds is null) return AdminProblem.BadRequest("the body is {\"passengerIds\": [...]} (empty or absent: every issued ticket)");
        Task? settled = null;
        var refused = await pipeline.RunAdminAsync(http, bus!.Tenant, FliggyBusServices.Supplier, action, IResult? (ctx) =>
        {
            lock (order)
            {
                var why = action switch
                {
                    "pay" => Pay(s, bus, order, ctx.Uow, ctx.NowMs),
                    "expire" => Offer(s, bus, order, ctx.Uow, new BusEvent(BusEvents.PaymentTimeout), "the admin API forced the payment timeout"),
                    "cancel" => Offer(s, bus, order, ctx.Uow, new BusEvent(BusEvents.UserCancel), "the user cancelled"),
                    "refund" => Refund(s, bus, order, ctx.Uow, refundIds!),
                    _ => Query(s, bus, order, ctx.Uow, ctx.NowMs),
                };
                if (why is not null) return AdminProblem.Conflict(why, ("orderStatus", order.Status));
                settled = s.Waiters.Register(bus.Id, order.Id);
                return null;
            }
        });
        if (refused is not null) return refused;
        var wait = action switch
        {
            "pay" => bus.Settings.PolicyFor(QimenMethods.OrderConfirm).Timeout,
            "refund" => bus.Settings.PolicyFor(QimenMethods.ReturnQuery).Timeout + bus.Settings.PolicyFor(QimenMethods.ReturnConfirm).Timeout,
            "query" => bus.Settings.PolicyFor(QimenMethods.OrderQuery).Timeout,
            _ => bus.Settings.PolicyFor(QimenMethods.OrderClose).Timeout,
        };
        await Waiters.WaitAsync(settled!, wait + Slack, http.RequestAborted);
        lock (order) return Results.Json(OrderView.Of(order));
    }

    static string? Pay(FliggyBusServices s, BusTenant bus, BusOrder order, UnitOfWork uow, long nowMs)
    {
        if (order.Paid) return $"order {order.Id} is paid already";
        if (order.Status == OrderStatus.AwaitingPayment && nowMs >= order.PaymentDeadlineMs)
            return $"the payment deadline {DateTimeOffset.FromUnixTimeMilliseconds(order.PaymentDeadlineMs):O} has passed";
        var step = Customers.Pay(s, bus, order, uow, nowMs);
        return step.Allowed ? null : step.Refusal;
    }

    static string? Offer(FliggyBusServices s, BusTenant bus, BusOrder order, UnitOfWork uow, BusEvent evt, string because)
    {
        if (order.Paid && evt.Name is BusEvents.PaymentTimeout or BusEvents.UserCancel) return $"order {order.Id} is paid: it is refunded, not cancelled";
        var step = OrderEvents.Offer(s, bus, order, evt, uow, because);
        return step.Allowed ? null : step.Refusal;
    }

    static string? Refund(FliggyBusServices s, BusTenant bus, BusOrder order, UnitOfWork uow, IReadOnlyList<string> asked)
    {
        if (order.Status is not (OrderStatus.Issued or OrderStatus.Refunding))
            return $"order {order.Id} is {order.Status} ({OrderStatus.Label(order.Status)}): only issued tickets are refunded";
        if (order.Refund is not null) return $"a refund of passengers {string.Join(",", order.Refund.PassengerIds)} is in progress";
        var refundable = order.Tickets.Where(t => t.Status is TicketStatus.Issued or TicketStatus.RefundFailed).Select(t => t.PassengerId).ToList();
        var ids = asked.Count == 0 ? refundable : asked.Distinct().ToList();
        if (ids.FirstOrDefault(i => !refundable.Contains(i)) is { } wrong)
            return order.Ticket(wrong) is { } t
                ? $"the ticket of passenger {wrong} is {t.Status} ({TicketStatus.Label(t.Status)}): not refundable"
                : $"order {order.Id} has no passenger {wrong}";
        if (ids.Count == 0) return $"order {order.Id} has no issued ticket left";
        if (order.IsOrderRefund && ids.Count != refundable.Count)
            return $"line {order.LineId} refunds per order (isOrderRefund): every issued ticket ({string.Join(",", refundable)}) at once";
        Customers.AskRefund(s, bus.Id, order, uow, ids);
        return null;
    }

    static string? Query(FliggyBusServices s, BusTenant bus, BusOrder order, UnitOfWork uow, long nowMs)
    {
        if (order.AgentOrderId is null) return $"order {order.Id} has no merchant order yet";
        CallJobs.Schedule(s, uow, new CallJob(bus.Id, QimenMethods.OrderQuery, order.Id, 1), nowMs);
        return null;
    }

    /// <summary>The tenant and its configuration, or the problem to answer (404, or 409 listing each configuration error).</summary>
    internal static IResult? Find(string tenant, FliggyBusServices s, out BusTenant? bus)
    {
        bus = null;
        if (s.Engine.Tenants.Find(tenant) is not { } t) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        var resolved = s.Resolve(t);
        if (resolved.Value is null)
            return AdminProblem.Conflict($"tenant '{tenant}' cannot call its bus operator: {string.Join("; ", resolved.Errors)}",
                ("errors", resolved.Errors.Select(e => e.ToString()).ToArray()));
        bus = resolved.Value;
        return null;
    }

    static async Task<JsonObject?> BodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static async Task<IReadOnlyList<string>?> PassengerIdsAsync(HttpContext http)
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && !http.Request.Headers.ContainsKey("Transfer-Encoding"))) return [];
        if (await BodyAsync(http) is not { } body) return null;
        return body["passengerIds"] switch
        {
            null => [],
            JsonArray a when a.All(x => x is JsonValue) => a.Select(x => x!.ToString()).ToList(),
            _ => null,
        };
    }
}
