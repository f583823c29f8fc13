using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Tenants;

namespace Sandbox.Admin;

/// <summary>Scenario sets: what is loaded, every magic value, reload without a restart, a tenant's choice of set.</summary>
public static class ScenariosApi
{
    public sealed record ScenarioListing(string Root, IEnumerable<ScenarioSet> Sets, IReadOnlyList<ScenarioError> Errors, IReadOnlyList<ScenarioError> Warnings);

    public sealed record ScenarioSet(
        string Supplier, string Name, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Description, int Seed,
        IEnumerable<string> Files, IEnumerable<Machine> Machines, int Rules);

    public sealed record Machine(string Kind, string Initial, IEnumerable<MachineTransition> Transitions);

    /// <summary>Absent parts of a transition are listed as null, as the machine's YAML leaves them out.</summary>
    public sealed record MachineTransition(
        string From, string To,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? On,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? After,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Emit,
        IReadOnlyList<string> If, IReadOnlyList<string> Unless);

    public sealed record ScenarioSelection(string Supplier, string Set);

    public static IEndpointRouteBuilder MapScenariosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("scenarios");
        api.MapGet("/scenarios", ListScenarios);
        api.MapGet("/scenarios/magic", Magic);
        api.MapGet("/scenarios/schema", Schema);
        api.MapPost("/scenarios/reload", Reload);
        api.MapPut("/tenants/{tenant}/scenario", SelectScenario);
        return app;
    }

    public static Ok<ScenarioListing> ListScenarios([AsParameters] AdminServices s) => TypedResults.Ok(new ScenarioListing(
        s.Scenarios.Root,
        s.Scenarios.All.Select(x => new ScenarioSet(
            x.Supplier, x.Name, x.Description, x.Seed,
            x.Files.Select(f => Path.GetRelativePath(s.Scenarios.Root, f)),
            x.Machines.Values.Select(m => new Machine(m.Name, m.Initial, m.Transitions.Select(t => new MachineTransition(
                t.From, t.To, t.On, t.After is { } a ? Durations.ToIso(a) : null, t.Emit, t.If, t.Unless)))),
            x.Rules.Count)),
        s.Scenarios.LastErrors,
        s.Scenarios.LastWarnings));

    /// <summary>The JSON Schema of scenario files for editors; the repository ships the same document as scenarios/scenario.schema.json.</summary>
    public static Ok<JsonObject> Schema([AsParameters] AdminServices s) => TypedResults.Ok(ScenarioSchema.Build(s.Scenarios.Vocabularies));

    public static Ok<JsonArray> Magic(string? supplier, [AsParameters] AdminServices s) =>
        TypedResults.Ok(new JsonArray(s.Scenarios.All
            .Where(x => supplier is null || x.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase))
            .SelectMany(x => x.Rules.Where(r => r.Predicates.Count > 0).Select(r => (JsonNode)r.Describe(x.Supplier, x.Name)))
            .ToArray()));

    /// <summary>Reloads every file: a file that fails keeps its last good version, and the answer is 422 with the reasons.</summary>
    public static Results<Ok<ReloadReport>, UnprocessableEntity<ReloadReport>> Reload([AsParameters] AdminServices s)
    {
        var report = s.Scenarios.Reload();
        return report.Errors.Count == 0 ? TypedResults.Ok(report) : TypedResults.UnprocessableEntity(report);
    }

    public static async Task<Results<Ok<Tenant>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>>> SelectScenario(
        string tenant, ScenarioSelection body, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is not { } t) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        if (s.Scenarios.Find(body.Supplier, body.Set) is null)
            return AdminProblem.BadRequest($"no scenario set '{body.Set}' for '{body.Supplier}' (see GET /admin/api/scenarios)");
        t.Scenarios[body.Supplier.ToLowerInvariant()] = body.Set.ToLowerInvariant();
        await s.Tenants.UpsertAsync(t);
        return TypedResults.Ok(t);
    }
}
