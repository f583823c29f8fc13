using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sandbox.Engine.Scenarios;

namespace Sandbox.Admin.OpenApi;

/// <summary>OpenAPI schemas from the field shapes the supplier modules document.</summary>
static class Schemas
{
    public static OpenApiSchema Of(FieldShape field)
    {
        var schema = field.Type switch
        {
            FieldType.Object => Object(field.Fields ?? []),
            FieldType.Array => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Object(field.Fields ?? []) },
            FieldType.String => new OpenApiSchema { Type = JsonSchemaType.String },
            FieldType.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer },
            FieldType.Number => new OpenApiSchema { Type = JsonSchemaType.Number },
            _ => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        };
        schema.Description = field.Description;
        return schema;
    }

    public static OpenApiSchema Object(IEnumerable<FieldShape> fields, string? description = null)
    {
        var list = fields.ToList();
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = list.ToDictionary(f => f.Name, f => (IOpenApiSchema)Of(f)),
            Required = list.Where(f => f.Required).Select(f => f.Name).ToHashSet(),
        };
    }

    public static OpenApiSchema Text(string? description = null, string? constant = null)
    {
        var schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description };
        // Only a constant that exists: the writer would turn a null one into "const": null.
        if (constant is not null) schema.Const = constant;
        return schema;
    }

    public static IOpenApiSchema Register(OpenApiDocument document, string name, OpenApiSchema schema)
    {
        document.AddComponent<IOpenApiSchema>(name, schema);
        return new OpenApiSchemaReference(name, document);
    }

    public static OpenApiResponses Reply(string description, string mediaType, IOpenApiSchema schema, JsonNode? example = null) => new()
    {
        ["200"] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = schema, Example = example } },
        },
    };
}
