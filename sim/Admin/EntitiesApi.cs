using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Admin;

/// <summary>A tenant's entities (orders and the other kinds modules keep) with their timeline, and forced transitions.</summary>
public static class EntitiesApi
{
    public sealed record TransitionRequest(string To, string? Supplier, string? Kind, string? Emit);

    public static IEndpointRouteBuilder MapEntitiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("entities");
        api.MapGet("/tenants/{tenant}/orders", ListOrders);
        api.MapGet("/tenants/{tenant}/orders/{id}", GetOrder);
        api.MapPost("/tenants/{tenant}/orders/{id}/transition", Transition);
        return app;
    }

    public static Results<Ok<JsonArray>, NotFound<ProblemDetails>> ListOrders(
        string tenant, string? supplier, string? kind, int? limit, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        var sets = s.Entities.All.Where(e => (supplier is null || e.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase))
                                             && e.Kind.Equals(kind ?? "order", StringComparison.OrdinalIgnoreCase));
        var list = sets.SelectMany(set => set.List(tenant, limit ?? 100).Select(o =>
        {
            o["supplier"] = set.Supplier;
            o["kind"] = set.Kind;
            return o;
        })).OrderByDescending(o => o["createdMs"]?.GetValue<long>() ?? 0).Take(limit ?? 100);
        return TypedResults.Ok(new JsonArray(list.Select(o => (JsonNode)o).ToArray()));
    }

    public static async Task<Results<Ok<JsonObject>, NotFound<ProblemDetails>>> GetOrder(
        string tenant, string id, string? supplier, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        foreach (var set in s.Entities.All.Where(e => supplier is null || e.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase)))
        {
            if (set.Find(tenant, id) is not { } entity) continue;
            var key = EntityCatalog.Key(set.Supplier, set.Kind, id);
            await s.Journal.FlushAsync();
            var o = JsonSerializer.SerializeToNode(entity, entity.GetType(), StoreJson.Options)!.AsObject();
            o["supplier"] = set.Supplier;
            o["kind"] = set.Kind;
            var callbacks = s.Callbacks.Query(tenant, null, key, null, 100);
            o["timeline"] = Story(tenant, s.Entities.Timeline(tenant, key), callbacks, s);
            o["callbacks"] = callbacks;
            o["requests"] = s.Journal.Query(tenant, null, null, key, 100);
            return TypedResults.Ok(o);
        }
        return AdminProblem.NotFound($"no entity '{id}' for tenant '{tenant}'");
    }

    /// <summary>
    /// The outbox already records each callback, and the tenant's events each clock change, so the timeline shows them
    /// from there rather than storing them twice: the clock changes since the entity's first event, in real-time order.
    /// </summary>
    static JsonArray Story(string tenant, JsonArray timeline, JsonArray callbacks, AdminServices s)
    {
        var clock = timeline.FirstOrDefault()?["at"] is { } first
            ? s.Store.TenantEvents(tenant, TenantAdministration.ClockEventKind, DateTimeOffset.Parse(first.GetValue<string>()).ToUnixTimeMilliseconds(), 100)
            : [];
        var events = timeline.Select(e => e!.DeepClone())
            .Concat(clock.Select(e => (JsonNode)EventsApi.View(e)))
            .Concat(callbacks.Select(c => (JsonNode)new JsonObject
            {
                ["at"] = c!["createdAt"]!.GetValue<string>(),
                ["virtualAt"] = c["emittedAt"]!.GetValue<string>(),
                ["kind"] = "callback",
                ["detail"] = new JsonObject { ["id"] = c["id"]!.GetValue<long>(), ["name"] = c["name"]!.GetValue<string>(), ["status"] = c["status"]!.GetValue<string>() },
            }))
            .OrderBy(e => DateTimeOffset.Parse(e["at"]!.GetValue<string>()));
        return new JsonArray(events.ToArray());
    }

    /// <summary>Forces a state, emitting the transition's callback (or the one named), as admin work with the context the pipeline builds.</summary>
    public static async Task<Results<Ok<JsonNode>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>>> Transition(
        string tenant, string id, TransitionRequest body, HttpContext http, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is not { } t) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        if (string.IsNullOrWhiteSpace(body.To)) return AdminProblem.BadRequest("'to' (target state) is required");
        foreach (var set in s.Entities.All.Where(e => (body.Supplier is null || e.Supplier.Equals(body.Supplier, StringComparison.OrdinalIgnoreCase))
                                                     && (body.Kind is null || e.Kind.Equals(body.Kind, StringComparison.OrdinalIgnoreCase))))
        {
            if (set.Find(tenant, id) is not { } entity) continue;
            var machine = s.Scenarios.For(set.Supplier, t.ScenarioSet(set.Supplier)).Machines.GetValueOrDefault(set.Kind);
            if (machine is not null && !machine.States.Contains(body.To))
                return AdminProblem.BadRequest($"'{body.To}' is not a state of the {set.Supplier} {set.Kind} machine ({string.Join(", ", machine.States)})");
            var after = await s.Pipeline.RunAdminAsync(http, t, set.Supplier, "transition", ctx =>
            {
                lock (entity)
                {
                    var emit = body.Emit ?? machine?.Between(entity.Status, body.To)?.Emit;
                    s.Lifecycle.Apply(t, set.Supplier, set.Kind, entity, body.To, emit, "admin transition", ctx.Uow);
                    return JsonSerializer.SerializeToNode(entity, entity.GetType(), StoreJson.Options)!;
                }
            });
            return TypedResults.Ok(after);
        }
        return AdminProblem.NotFound($"no entity '{id}' for tenant '{tenant}'");
    }
}
