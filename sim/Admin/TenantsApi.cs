using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Admin;

/// <summary>Tenants: their credentials, callback URLs, scenario sets and settings; delete and reset wipe their state.</summary>
public static class TenantsApi
{
    public sealed record TenantReset(string Tenant, bool Reset);

    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("tenants");
        api.MapGet("/tenants", ListTenants);
        api.MapPost("/tenants", CreateTenant).Accepts<Tenant>("application/json");
        api.MapGet("/tenants/{tenant}", GetTenant);
        api.MapPut("/tenants/{tenant}", PutTenant).Accepts<Tenant>("application/json");
        api.MapDelete("/tenants/{tenant}", DeleteTenant);
        api.MapPost("/tenants/{tenant}/reset", ResetTenant);
        return app;
    }

    public static Ok<IReadOnlyCollection<Tenant>> ListTenants([AsParameters] AdminServices s) => TypedResults.Ok(s.Tenants.All);

    public static Results<Ok<Tenant>, NotFound<ProblemDetails>> GetTenant(string tenant, [AsParameters] AdminServices s) =>
        s.Tenants.Find(tenant) is { } t ? TypedResults.Ok(t) : AdminProblem.NotFound($"tenant '{tenant}' not found");

    public static async Task<Results<Created<Tenant>, BadRequest<ProblemDetails>, Conflict<ProblemDetails>>> CreateTenant(
        HttpRequest request, [AsParameters] AdminServices s)
    {
        var (t, error) = await ReadTenant(request, null);
        if (t is null) return AdminProblem.BadRequest(error!);
        if (s.Tenants.Find(t.Id) is not null) return AdminProblem.Conflict($"tenant '{t.Id}' exists; use PUT /admin/api/tenants/{t.Id}");
        if (s.Tenants.Conflict(t) is { } conflict) return AdminProblem.Conflict(conflict);
        await s.Tenants.UpsertAsync(t);
        return TypedResults.Created($"{AdminRoutes.Prefix}/tenants/{t.Id}", t);
    }

    public static async Task<Results<Ok<Tenant>, BadRequest<ProblemDetails>, Conflict<ProblemDetails>>> PutTenant(
        string tenant, HttpRequest request, [AsParameters] AdminServices s)
    {
        var (t, error) = await ReadTenant(request, tenant);
        if (t is null) return AdminProblem.BadRequest(error!);
        if (s.Tenants.Conflict(t) is { } conflict) return AdminProblem.Conflict(conflict);
        await s.Tenants.UpsertAsync(t);
        return TypedResults.Ok(t);
    }

    /// <summary>Read by hand rather than bound, so that a malformed tenant gets its reason back.</summary>
    static async Task<(Tenant?, string?)> ReadTenant(HttpRequest request, string? id)
    {
        Tenant? t;
        try
        {
            t = await JsonSerializer.DeserializeAsync<Tenant>(request.Body, StoreJson.Options);
        }
        catch (JsonException e)
        {
            return (null, "invalid tenant JSON: " + e.Message);
        }
        if (t is null) return (null, "body must be a tenant object");
        if (id is not null) t.Id = id;
        if (string.IsNullOrWhiteSpace(t.Id) || t.Id.Length > 64 || !t.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return (null, "'id' is required: 1-64 letters, digits, '-' or '_'");
        t.Credentials = new Dictionary<string, JsonObject>(t.Credentials, StringComparer.OrdinalIgnoreCase);
        t.Callbacks = new Dictionary<string, string>(t.Callbacks, StringComparer.OrdinalIgnoreCase);
        t.Scenarios = new Dictionary<string, string>(t.Scenarios, StringComparer.OrdinalIgnoreCase);
        t.Settings = new Dictionary<string, JsonObject>(t.Settings, StringComparer.OrdinalIgnoreCase);
        return (t, null);
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> DeleteTenant(string tenant, [AsParameters] AdminServices s) =>
        await s.Administration.DeleteAsync(tenant) ? TypedResults.NoContent() : AdminProblem.NotFound($"tenant '{tenant}' not found");

    public static async Task<Results<Ok<TenantReset>, NotFound<ProblemDetails>>> ResetTenant(string tenant, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        await s.Administration.ResetAsync(tenant);
        return TypedResults.Ok(new TenantReset(tenant, true));
    }
}
