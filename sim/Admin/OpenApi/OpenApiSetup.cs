using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Sandbox.Admin.OpenApi;

/// <summary>
/// The API description at <c>/openapi/v1.json</c> and its interactive reference at <c>/docs</c>: the admin API (typed
/// results, bearer scheme, optional fields optional) and the JSON supplier endpoints (TechHouse actions, the TOP gateway)
/// that the pipeline serves outside ASP.NET's endpoint metadata.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddSandboxOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddSchemaTransformer((schema, _, _) =>
            {
                OptionalFields.Apply(schema);
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Travel Supplier Sandbox",
                    Version = "v1",
                    Description = "The admin API (tenants, orders, virtual clock, callbacks, journal, scenarios, faults) and the JSON supplier " +
                                  "endpoints: TechHouse actions and the TOP gateway. The XML and GBK suppliers (本票通 on its own port, 游宝星 " +
                                  ".aspx pages) are described in docs/suppliers/. Admin calls need 'Authorization: Bearer <token>' when " +
                                  "Sandbox:AdminToken is set.",
                };
                AdminSecurity.Apply(document);
                TechHouseDescription.Apply(document);
                TopDescription.Apply(document, context.ApplicationServices);
                ModuleResponses.Apply(document);
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapSandboxOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference("/docs", o => o.WithTitle("Travel Supplier Sandbox API").WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}

/// <summary>
/// A nullable property of a request or reply record is optional: the admin API omits nulls when it writes and accepts
/// their absence when it reads, so it must not be listed as required (ASP.NET lists every constructor parameter).
/// </summary>
static class OptionalFields
{
    public static void Apply(OpenApiSchema schema)
    {
        if (schema.Properties is null || schema.Required is not { Count: > 0 } required) return;
        foreach (var (name, property) in schema.Properties)
            if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                required.Remove(name);
    }
}

/// <summary>The admin token as an HTTP bearer scheme, required by every operation under /admin/api.</summary>
static class AdminSecurity
{
    public const string Scheme = "adminToken";

    public static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Sandbox:AdminToken. Required when configured (and always when a listener binds beyond loopback); without one, calls need no header.",
        };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/admin/api", StringComparison.Ordinal) || item.Operations is null) continue;
            foreach (var operation in item.Operations.Values)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
        }
    }
}
