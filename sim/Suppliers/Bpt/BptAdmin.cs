using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Admin;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Bpt.Catalog;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt;

/// <summary>
/// BPT's own admin endpoints (spec §10): load and list a tenant's PNR fixtures, and the order actions cancel (→ 7),
/// void (→ 11) and negotiate (→ 12) through the machine's transitions. The generic
/// <c>POST /admin/api/tenants/{tenant}/orders/{id}/transition {"to":"7","supplier":"bpt"}</c> forces a state as well.
/// </summary>
static class BptAdmin
{
    public static void Map(IEndpointRouteBuilder routes, BptServices s)
    {
        var api = routes.MapGroup("/admin/api").AddEndpointFilter<AdminAuth>().WithTags("bpt");
        api.MapGet("/tenants/{tenant}/bpt/pnrs", (string tenant) => ListPnrs(tenant, s));
        api.MapPost("/tenants/{tenant}/bpt/pnrs", (string tenant, HttpRequest request) => LoadPnrs(tenant, request, s));
        api.MapPost("/tenants/{tenant}/bpt/orders/{id}/{action}", (string tenant, string id, string action) => OrderAction(tenant, id, action, s));
    }

    static IResult ListPnrs(string tenant, BptServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is not { } t) return Results.Json(new { error = $"tenant '{tenant}' not found" }, statusCode: 404);
        var scenario = s.ScenarioOf(t);
        return Results.Json(new
        {
            tenant = s.TenantPnrs.All(tenant),
            scenario = new { name = scenario.Name, pnrs = PnrCatalog.For(scenario).All },
        }, StoreJson.Options);
    }

    /// <summary>Body: one fixture, a list of fixtures, or {"pnrs": [...]}. All are checked before any is stored.</summary>
    static async Task<IResult> LoadPnrs(string tenant, HttpRequest request, BptServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is null) return Results.Json(new { error = $"tenant '{tenant}' not found" }, statusCode: 404);
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException e)
        {
            return Results.Json(new { error = "invalid JSON: " + e.Message }, statusCode: 400);
        }
        var items = body switch
        {
            JsonArray a => a,
            JsonObject o when o["pnrs"] is JsonArray a => a,
            JsonObject o => new JsonArray(o.DeepClone()),
            _ => null,
        };
        if (items is null) return Results.Json(new { error = "body must be a PNR fixture, a list of them or {\"pnrs\": [...]}" }, statusCode: 400);
        var fixtures = new List<PnrFixture>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject o) return Results.Json(new { error = $"pnrs[{i}] must be an object" }, statusCode: 400);
            try
            {
                fixtures.Add(PnrFixtureReader.Read(o));
            }
            catch (PnrFixtureReader.FixtureException e)
            {
                return Results.Json(new { error = $"pnrs[{i}]: {e.Message}" }, statusCode: 400);
            }
        }
        await s.TenantPnrs.PutAsync(tenant, fixtures);
        return Results.Json(new { tenant, loaded = fixtures.Count, pnrs = fixtures }, StoreJson.Options);
    }

    static async Task<IResult> OrderAction(string tenant, string id, string action, BptServices s)
    {
        if (!BptSupplier.AdminActions.Contains(action))
            return Results.Json(new { error = $"unknown action '{action}' (cancel, void, negotiate)" }, statusCode: 404);
        if (s.Engine.Tenants.Find(tenant) is not { } t) return Results.Json(new { error = $"tenant '{tenant}' not found" }, statusCode: 404);
        if (s.Orders.Get(tenant, id) is not { } order) return Results.Json(new { error = $"no bpt order '{id}' for tenant '{tenant}'" }, statusCode: 404);
        var machine = s.ScenarioOf(t).Machines.GetValueOrDefault(BptServices.OrderKind);
        var uow = s.Engine.NewUnitOfWork();
        lock (order)
        {
            if (machine?.OnOperation(order.Status, action, order.Tags) is not { } transition)
                return Results.Json(new { error = $"the {t.ScenarioSet(BptServices.Supplier)} scenario does not allow '{action}' in status {order.Status} ({OrderStatus.Name(order.Status)})" },
                    statusCode: 409);
            s.Engine.Lifecycle.Apply(t, BptServices.Supplier, BptServices.OrderKind, order, transition.To, transition.Emit, "admin " + action, uow);
        }
        await uow.CommitAsync();
        return Results.Json(order, StoreJson.Options);
    }
}
