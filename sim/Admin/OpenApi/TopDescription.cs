using Microsoft.OpenApi;
using Sandbox.Suppliers.Top;
using Sandbox.Suppliers.Top.Gateway;

namespace Sandbox.Admin.OpenApi;

/// <summary>
/// The TOP gateway: one form per registered method (Fliggy flights' alitrip.flight.*, TMC's taobao.tmc.* …), each the
/// gateway's system parameters with <c>method</c> fixed, and the method's business parameters — a structured one is
/// the JSON text of an object in one form field.
/// </summary>
static class TopDescription
{
    const string Tag = "TOP gateway";

    public static void Apply(OpenApiDocument document, IServiceProvider services)
    {
        if (services.GetService<TopGateway>() is not { } gateway) return;
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag
        {
            Name = Tag,
            Description = "Taobao Open Platform gateway (also at /top/router/rest; GET with the same parameters in the query works too). " +
                          "sign = upper-case hex MD5(secret + S + secret), S = every parameter but sign, keys sorted, key+value concatenated " +
                          "(sim sign top prints one). Replies: {\"<method with _>_response\": {…}} or {\"error_response\": {code, msg, sub_code, sub_msg}}; " +
                          "XML unless format=json.",
        });
        var forms = gateway.Methods
            .OrderBy(m => m.Method.Name, StringComparer.Ordinal)
            .Select(m => Schemas.Register(document, "Top_" + m.Method.Name.Replace('.', '_'), Form(m.Supplier, m.Method)))
            .ToList();
        var operation = new OpenApiOperation
        {
            OperationId = "TopRouterRest",
            Summary = "TOP API call (method in the form)",
            Description = string.Join("\n", gateway.Methods.OrderBy(m => m.Method.Name, StringComparer.Ordinal)
                .Select(m => $"* **{m.Method.Name}** ({m.Supplier}): {m.Method.Title}")),
            Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new() { Schema = new OpenApiSchema { OneOf = forms } },
                    ["multipart/form-data"] = new() { Schema = new OpenApiSchema { OneOf = forms } },
                },
            },
            Responses = Schemas.Reply("The method's reply, or error_response (HTTP 200 either way)", "application/json",
                new OpenApiSchema { Type = JsonSchemaType.Object, Description = "{\"<method>_response\": {…, \"request_id\"}} or {\"error_response\": {…}}" }),
        };
        document.Paths[TopSupplier.Paths[0]] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = operation } };
    }

    static OpenApiSchema Form(string supplier, TopMethod method)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        var required = new HashSet<string>();
        foreach (var p in TopSystemParams.All)
        {
            properties[p.Name] = Schemas.Text(p.Description, p.Name == "method" ? method.Name : null);
            if (p.Required || (p.Name == "session" && method.Session == TopSessionUse.Required)) required.Add(p.Name);
        }
        foreach (var p in method.Params)
        {
            properties[p.Name] = p.Type switch
            {
                TopParamType.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer },
                TopParamType.Money => new OpenApiSchema { Type = JsonSchemaType.Number, Description = "yuan" },
                TopParamType.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
                TopParamType.File => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "a multipart file part" },
                TopParamType.Json => new OpenApiSchema { Type = JsonSchemaType.String, ContentMediaType = "application/json", Description = "the JSON text of an object" },
                _ => new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = p.MaxLength > 0 ? p.MaxLength : null },
            };
            if (p.Required) required.Add(p.Name);
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Title = method.Name,
            Description = $"{method.Title} ({supplier})",
            Properties = properties,
            Required = required,
        };
    }
}
