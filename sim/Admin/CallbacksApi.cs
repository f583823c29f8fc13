using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Admin;

/// <summary>The callback delivery log: every callback with its attempts; redelivery on demand.</summary>
public static class CallbacksApi
{
    public static IEndpointRouteBuilder MapCallbacksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("callbacks");
        api.MapGet("/callbacks", ListCallbacks);
        api.MapGet("/callbacks/{id:long}", GetCallback);
        api.MapPost("/callbacks/{id:long}/redeliver", Redeliver);
        return app;
    }

    public static Ok<JsonArray> ListCallbacks(string? tenant, string? status, string? entity, int? limit, [AsParameters] AdminServices s) =>
        TypedResults.Ok(s.Callbacks.Query(tenant, status, entity, null, limit ?? 100));

    public static Results<Ok<JsonObject>, NotFound<ProblemDetails>> GetCallback(long id, [AsParameters] AdminServices s) =>
        s.Callbacks.Get(id) is { } c ? TypedResults.Ok(c) : AdminProblem.NotFound($"callback {id} not found");

    public static async Task<Results<Ok<JsonObject>, NotFound<ProblemDetails>>> Redeliver(long id, [AsParameters] AdminServices s) =>
        await s.Callbacks.RedeliverAsync(id) is { } c ? TypedResults.Ok(c) : AdminProblem.NotFound($"callback {id} not found");
}
