using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;

namespace Sandbox.Admin;

/// <summary>A tenant's own events, newest first: clock changes with where the clock went and what the replay ran.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("events");
        api.MapGet("/tenants/{tenant}/events", ListEvents);
        return app;
    }

    public static Results<Ok<JsonArray>, NotFound<ProblemDetails>> ListEvents(string tenant, string? kind, int? limit, [AsParameters] AdminServices s) =>
        s.Tenants.Find(tenant) is null
            ? AdminProblem.NotFound($"tenant '{tenant}' not found")
            : TypedResults.Ok(new JsonArray(s.Store.TenantEvents(tenant, kind, 0, limit ?? 100).Select(e => (JsonNode)View(e)).ToArray()));

    /// <summary>An event as the timeline shows events: real and virtual instant, kind, detail.</summary>
    public static JsonObject View(TenantEventRow e) => new()
    {
        ["id"] = e.Id,
        ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs).ToString("O"),
        ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(e.VirtualMs).ToString("O"),
        ["kind"] = e.Kind,
        ["detail"] = JsonNode.Parse(e.Detail),
    };
}
