using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Yaml;

namespace Sandbox.Admin;

/// <summary>Ad-hoc rules a tenant gets at runtime, in the scenario rule syntax (faults, forced replies, tags).</summary>
public static class FaultsApi
{
    public sealed record Fault(string Id, string Supplier, DateTimeOffset Created, JsonObject Rule);

    /// <summary>The body of <c>POST …/faults</c>: a scenario rule as JSON, for one supplier, with an optional seed for its probability.</summary>
    public sealed record FaultRequest(string Supplier, JsonObject Rule, int? Seed);

    public static IEndpointRouteBuilder MapFaultsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("faults");
        api.MapGet("/tenants/{tenant}/faults", ListFaults);
        api.MapPost("/tenants/{tenant}/faults", AddFault).Accepts<FaultRequest>("application/json");
        api.MapDelete("/tenants/{tenant}/faults/{id}", DeleteFault);
        return app;
    }

    static Fault View(AdHocRule a) => new(a.Id, a.Supplier, a.Created, a.Rule.Describe(a.Supplier, "ad-hoc"));

    public static Ok<IEnumerable<Fault>> ListFaults(string tenant, [AsParameters] AdminServices s) => TypedResults.Ok(s.Rules.List(tenant).Select(View));

    /// <summary>Adds a runtime rule in the scenario rule syntax, as JSON: {"supplier": "techhouse", "rule": {when, reply|fault|set|tags, times, probability}}.</summary>
    public static async Task<Results<Created<Fault>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>>> AddFault(
        string tenant, HttpRequest request, AdHocFaults faults, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        string text;
        using (var reader = new StreamReader(request.Body)) text = await reader.ReadToEndAsync();
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("empty body");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return AdminProblem.BadRequest("body must be a JSON object: " + e.Message);
        }
        var supplier = body["supplier"]?.ToString();
        var module = s.Modules.FirstOrDefault(m => m.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase));
        if (module is null) return AdminProblem.BadRequest($"'supplier' must be one of {string.Join(", ", s.Modules.Select(m => m.Supplier))}");
        if (body["rule"] is not JsonObject ruleJson) return AdminProblem.BadRequest("'rule' must be an object with 'when' and an effect");
        try
        {
            var seed = body["seed"] is JsonValue sv && sv.TryGetValue<int>(out var n) ? n : 0;
            return TypedResults.Created((string?)null, View(await faults.AddAsync(tenant, module, ruleJson, seed)));
        }
        catch (YamlLoadException e)
        {
            return AdminProblem.BadRequest(e.Reason);
        }
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> DeleteFault(string tenant, string id, AdHocFaults faults) =>
        await faults.RemoveAsync(tenant, id) ? TypedResults.NoContent() : AdminProblem.NotFound($"fault '{id}' not found");
}
