using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Pipeline;
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
    public static void Map(RouteGroupBuilder admin, BptServices s, SupplierPipeline pipeline)
    {
        admin.MapGet("/tenants/{tenant}/bpt/pnrs", (string tenant) => ListPnrs(tenant, s));
        admin.MapPost("/tenants/{tenant}/bpt/pnrs", (string tenant, HttpRequest request) => LoadPnrs(tenant, request, s));
        admin.MapPost("/tenants/{tenant}/bpt/orders/{id}/{action}",
            (string tenant, string id, string action, HttpContext http) => OrderAction(tenant, id, action, http, s, pipeline));
    }

    static IResult ListPnrs(string tenant, BptServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is not { } t) return AdminProblem.NotFound($"tenant '{tenant}' not found");
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
        if (s.Engine.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException e)
        {
            return AdminProblem.BadRequest("invalid JSON: " + e.Message);
        }
        var items = body switch
        {
            JsonArray a => a,
            JsonObject o when o["pnrs"] is JsonArray a => a,
            JsonObject o => new JsonArray(o.DeepClone()),
            _ => null,
        };
        if (items is null) return AdminProblem.BadRequest("body must be a PNR fixture, a list of them or {\"pnrs\": [...]}");
        var fixtures = new List<PnrFixture>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject o) return AdminProblem.BadRequest($"pnrs[{i}] must be an object");
            try
            {
                fixtures.Add(PnrFixtureReader.Read(o));
            }
            catch (PnrFixtureReader.FixtureException e)
            {
                return AdminProblem.BadRequest($"pnrs[{i}]: {e.Message}");
            }
        }
        await s.TenantPnrs.PutAsync(tenant, fixtures);
        return Results.Json(new { tenant, loaded = fixtures.Count, pnrs = fixtures }, StoreJson.Options);
    }

    static async Task<IResult> OrderAction(string tenant, string id, string action, HttpContext http, BptServices s, SupplierPipeline pipeline)
    {
        if (!BptSupplier.AdminActions.Contains(action)) return AdminProblem.NotFound($"unknown action '{action}' (cancel, void, negotiate)");
        if (s.Engine.Tenants.Find(tenant) is not { } t) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        if (s.Orders.Get(tenant, id) is not { } order) return AdminProblem.NotFound($"no bpt order '{id}' for tenant '{tenant}'");
        return await pipeline.RunAdminAsync(http, t, BptServices.Supplier, action, IResult (ctx) =>
        {
            var machine = ctx.Scenario.Machines.GetValueOrDefault(BptServices.OrderKind);
            lock (order)
            {
                if (machine?.OnOperation(order.Status, action, order.Tags) is not { } transition)
                    return AdminProblem.Conflict(
                        $"the {t.ScenarioSet(BptServices.Supplier)} scenario does not allow '{action}' in status {order.Status} ({OrderStatus.Name(order.Status)})");
                s.Engine.Lifecycle.Apply(t, BptServices.Supplier, BptServices.OrderKind, order, transition.To, transition.Emit, "admin " + action, ctx.Uow);
            }
            return Results.Json(order, StoreJson.Options);
        });
    }
}
