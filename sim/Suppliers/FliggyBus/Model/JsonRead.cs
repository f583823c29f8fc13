using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>
/// Lenient reads of merchant JSON after validation reported its defects: a number sent as a string (or the
/// reverse) is read as meant, as Fliggy's Java readers would; anything else reads as absent.
/// </summary>
public static class JsonRead
{
    public static string? Str(JsonObject? o, string name) => o?[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    public static long? Long(JsonObject? o, string name) =>
        Str(o, name) is { } s && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static decimal? Decimal(JsonObject? o, string name) =>
        Str(o, name) is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static bool? Bool(JsonObject? o, string name) => Str(o, name) switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    public static IEnumerable<JsonObject> Objects(JsonObject? o, string name) =>
        o?[name] is JsonArray a ? a.OfType<JsonObject>() : [];
}
