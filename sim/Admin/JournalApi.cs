using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;

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

    /// <summary>
    /// Newest first. <paramref name="result"/> is <c>ok</c> or <c>error</c> by the supplier's own success codes;
    /// <paramref name="signature"/> a verdict: <c>ok</c>, <c>failed</c> or <c>none</c>.
    /// </summary>
    public static async Task<Results<Ok<JsonArray>, BadRequest<ProblemDetails>>> QueryJournal(
        string? tenant, string? supplier, string? operation, string? entity, string? result, string? signature, int? limit, [AsParameters] AdminServices s)
    {
        if (result is not (null or "ok" or "error")) return AdminProblem.BadRequest("'result' is ok or error");
        if (signature is not (null or "ok" or "failed" or "none")) return AdminProblem.BadRequest("'signature' is ok, failed or none");
        await s.Journal.FlushAsync();
        return TypedResults.Ok(s.Journal.Query(new JournalFilter(tenant, supplier, operation, entity, result is null ? null : result == "error", signature, limit ?? 100)));
    }

    public static Ok<JsonObject> JournalCounts(string? tenant, [AsParameters] AdminServices s) => TypedResults.Ok(s.Journal.Counts(tenant));
}
