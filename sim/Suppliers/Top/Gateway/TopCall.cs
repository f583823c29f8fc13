using System.Globalization;
using System.Text.Json;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.Top.Protocol;
using Sandbox.Suppliers.Top.Sessions;

namespace Sandbox.Suppliers.Top.Gateway;

/// <summary>
/// One API call through the gateway: the merged request, the method it names, the caller's session once verified and,
/// while the handler runs, the engine's operation context. Parameter accessors read values the gateway already
/// checked against the method's <see cref="TopParam"/> list.
/// </summary>
public sealed class TopCall(TopRequest request, TopMethod method, string requestId)
{
    readonly Dictionary<string, JsonDocument?> _json = new(StringComparer.Ordinal);

    public TopRequest Request { get; } = request;
    public TopMethod Method { get; } = method;
    public string RequestId { get; } = requestId;
    public TopSessionInfo? Session { get; internal set; }
    public OperationContext Ctx { get; internal set; } = null!;

    /// <summary>The verified session; the gateway guarantees one for methods that require it.</summary>
    public TopSessionInfo User => Session ?? throw new InvalidOperationException($"{Method.Name} runs without a session");

    /// <summary>The sandbox's explanation of this reply, sent in <c>X-Sandbox-Diagnostic</c>.</summary>
    public void Diagnose(string text) => Ctx.Http.Response.Headers[SupplierPipeline.DiagnosticHeader] = TopDiagnostic.Header(text);

    public string? Str(string name) => Request[name] is { Length: > 0 } v ? v : null;

    public long? Long(string name) => Str(name) is { } v ? long.Parse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public decimal? Money(string name) => Str(name) is { } v ? decimal.Parse(v.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture) : null;

    public bool? Bool(string name) => Str(name) is { } v ? bool.Parse(v.Trim()) : null;

    public TopFile? File(string name) => Request.Files.GetValueOrDefault(name);

    /// <summary>A structured parameter's JSON object, parsed once; null when absent or not a JSON object.</summary>
    public JsonElement? Json(string name)
    {
        if (!_json.TryGetValue(name, out var doc))
        {
            doc = null;
            if (Str(name) is { } text)
                try
                {
                    doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
                    if (doc.RootElement.ValueKind != JsonValueKind.Object || !JsonEscapes.AllPaired(text, doc.RootElement))
                    {
                        doc.Dispose();
                        doc = null;
                    }
                }
                catch (JsonException)
                {
                    doc = null;
                }
            _json[name] = doc;
        }
        return doc?.RootElement;
    }

    /// <summary>Step 12 of the check order (spec §1.7): required parameters present (40) and well-formed (41).</summary>
    internal void CheckParameters()
    {
        foreach (var p in Method.Params)
        {
            if (p.Type == TopParamType.File)
            {
                if (File(p.Name) is null && p.Required) throw TopError.MissingArgument(p.Name);
                continue;
            }
            var value = Str(p.Name);
            if (value is null)
            {
                if (p.Required) throw TopError.MissingArgument(p.Name);
                continue;
            }
            var ok = p.Type switch
            {
                TopParamType.Integer => long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                TopParamType.Money => decimal.TryParse(value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out _),
                TopParamType.Boolean => bool.TryParse(value.Trim(), out _),
                TopParamType.Json => Json(p.Name) is not null,
                _ => true,
            };
            if (!ok) throw TopError.InvalidArgument(p.Name, $"{p.Name} is not {Describe(p.Type)}");
            if (p.MaxLength > 0 && value.Length > p.MaxLength) throw TopError.InvalidArgument(p.Name, $"{p.Name} is longer than {p.MaxLength} characters");
        }
    }

    static string Describe(TopParamType t) => t switch
    {
        TopParamType.Integer => "an integer",
        TopParamType.Money => "a number",
        TopParamType.Boolean => "true or false",
        TopParamType.Json => "the JSON text of an object",
        _ => "valid",
    };
}
