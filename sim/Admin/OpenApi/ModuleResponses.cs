using Microsoft.OpenApi;

namespace Sandbox.Admin.OpenApi;

/// <summary>
/// A supplier module's admin endpoints answer with results ASP.NET cannot describe (JSON built by the module), which the
/// generator lists as a bare "200 OK". Each such operation is described as what the engine's hook guarantees: a JSON
/// object on success, problem details for a bad request (400), an unknown tenant or entity (404) and a conflict with
/// the entity's state (409) — the fields are on the supplier's page in docs/suppliers/.
/// </summary>
static class ModuleResponses
{
    public static void Apply(OpenApiDocument document)
    {
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/admin/api/tenants/{tenant}/", StringComparison.Ordinal) || item.Operations is null) continue;
            foreach (var (method, operation) in item.Operations)
            {
                if (operation.Responses is not { Count: 1 } responses || !responses.TryGetValue("200", out var ok) || ok.Content is { Count: > 0 }) continue;
                var supplier = operation.Tags?.FirstOrDefault()?.Name ?? "the supplier";
                operation.Responses = new OpenApiResponses
                {
                    [method == HttpMethod.Delete ? "204" : "200"] = method == HttpMethod.Delete
                        ? new OpenApiResponse { Description = "Done; no body (some return the changed object with 200)" }
                        : new OpenApiResponse
                        {
                            Description = $"JSON; its fields are in docs/suppliers/ ({supplier})",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Array } },
                            },
                        },
                    ["400"] = Problem("The request body or a parameter is wrong (the detail says which)"),
                    ["404"] = Problem("No such tenant, order or entity"),
                    ["409"] = Problem("The entity's state or the tenant's configuration does not allow it (the detail says why)"),
                };
            }
        }
    }

    static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
        },
    };
}
