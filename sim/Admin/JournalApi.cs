using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Admin;

/// <summary>The request journal, newest first, and its counts per tenant, supplier and operation.</summary>
public static class JournalApi
{
    public static IEndpointRouteBuilder MapJournalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("journal");
        api.MapGet("/journal", QueryJournal);
        api.MapGet("/journal/counts", JournalCounts);
        return app;
    }

    public static async Task<Ok<JsonArray>> QueryJournal(string? tenant, string? supplier, string? operation, string? entity, int? limit, [AsParameters] AdminServices s)
    {
        await s.Journal.FlushAsync();
        return TypedResults.Ok(s.Journal.Query(tenant, supplier, operation, entity, limit ?? 100));
    }

    public static Ok<JsonObject> JournalCounts(string? tenant, [AsParameters] AdminServices s) => TypedResults.Ok(s.Journal.Counts(tenant));
}
