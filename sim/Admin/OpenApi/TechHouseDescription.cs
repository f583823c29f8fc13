using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Sandbox.Engine.Scenarios;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Admin.OpenApi;

/// <summary>
/// <c>POST /flight/booking</c> and <c>/flight/order</c>: one envelope per action (its <c>action</c> a constant, its
/// <c>request</c> the action's fields) and one reply per action, from <see cref="ActionShapes"/>.
/// </summary>
static class TechHouseDescription
{
    const string Tag = "TechHouse";

    public static void Apply(OpenApiDocument document)
    {
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag
        {
            Name = Tag,
            Description = "TechHouse flight booking: a signed JSON envelope; HTTP 200 for every business outcome, the result in status (0 success). " +
                          "signature = Base64(AES-256-CBC(key + \"&\" + timestamp)), the secret as AES key (zero-padded to 32 bytes), zero IV, PKCS#7 " +
                          "(sim sign techhouse prints one). Every action is accepted on both paths.",
        });
        foreach (var path in ActionShapes.All.GroupBy(a => a.Path))
        {
            var requests = new List<IOpenApiSchema>();
            var replies = new List<IOpenApiSchema>();
            foreach (var action in path)
            {
                requests.Add(Schemas.Register(document, $"TechHouse{action.Name}Request", Envelope(action)));
                replies.Add(Schemas.Register(document, $"TechHouse{action.Name}Reply", Schemas.Object(action.Reply, $"{action.Name} reply")));
            }
            var operation = new OpenApiOperation
            {
                OperationId = "TechHouse" + string.Concat(path.Key.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Capitalise)),
                Summary = string.Join(", ", path.Select(a => a.Name)),
                Description = string.Join("\n", path.Select(a => $"* **{a.Name}**: {a.Summary}")),
                Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
                RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = new OpenApiSchema { OneOf = requests }, Example = Example(path.First()) },
                    },
                },
                Responses = Schemas.Reply("The action's reply; status 0 is success, any other status an error with msg", "application/json",
                    new OpenApiSchema { OneOf = replies }),
            };
            document.Paths[path.Key] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = operation } };
        }
    }

    static OpenApiSchema Envelope(ActionShapes.Action action) => Schemas.Object(
    [
        FieldShape.Str("action", true), FieldShape.Str("key", true, "merchant key (credentials.techhouse.key)"),
        FieldShape.Str("timestamp", true, "any string, signed as sent (the document's samples: Unix seconds with two decimals)"),
        FieldShape.Str("signature", true, "Base64(AES-256-CBC(key + \"&\" + timestamp))"), FieldShape.Str("version", false, "e.g. 2.0.3"),
        FieldShape.Obj("request", true, action.Summary, [.. action.Request]),
    ], action.Summary) is var schema && schema.Properties!["action"] is OpenApiSchema a
        ? Constant(schema, a, action.Name)
        : schema;

    static OpenApiSchema Constant(OpenApiSchema schema, OpenApiSchema property, string value)
    {
        property.Const = value;
        return schema;
    }

    /// <summary>The document's own signature sample, valid for the demo tenant.</summary>
    static JsonNode Example(ActionShapes.Action first) => new JsonObject
    {
        ["action"] = first.Name == "LowFareSearch" ? "LowFareSearch" : "GetBalance",
        ["key"] = "ctPJAIdxUA3ptaWC",
        ["timestamp"] = "1500375695.65",
        ["signature"] = "15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=",
        ["version"] = "2.0.3",
        ["request"] = first.Name == "LowFareSearch"
            ? new JsonObject { ["tripType"] = "1", ["fromCity"] = "PEK", ["toCity"] = "SHA", ["fromDate"] = "20271015", ["retDate"] = "" }
            : new JsonObject(),
    };

    static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
