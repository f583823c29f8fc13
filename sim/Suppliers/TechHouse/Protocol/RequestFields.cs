using System.Globalization;
using System.Text.Json;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>
/// Typed reads of TechHouse request fields with the document's tolerance: numbers may come as strings and
/// strings as numbers (samples do both), names are matched case-insensitively (orderno / orderNo), and a
/// missing field is 1001, a malformed one 1004. A field given twice is read by the engine's one rule
/// (<see cref="Engine.Rules.JsonRequestView.TryGetField"/>): the exact name first, the last occurrence wins.
/// </summary>
public readonly struct RequestFields(JsonElement element, string path)
{
    public JsonElement Element => element;

    public bool TryGet(string name, out JsonElement value)
    {
        return Engine.Rules.JsonRequestView.TryGetField(element, name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    string Where(string name) => path.Length == 0 ? name : $"{path}.{name}";

    public string Str(string name)
    {
        var s = OptStr(name);
        return string.IsNullOrWhiteSpace(s) ? throw Missing(name) : s;
    }

    public string? OptStr(string name)
    {
        if (!TryGet(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw Bad(name, "must be a string"),
        };
    }

    public int Int(string name) => OptInt(name) ?? throw Missing(name);

    public int? OptInt(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString();
            if (string.IsNullOrWhiteSpace(s)) return null;
            if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
        }
        throw Bad(name, "must be an integer");
    }

    public RequestFields Obj(string name)
    {
        if (!TryGet(name, out var v)) throw Missing(name);
        if (v.ValueKind == JsonValueKind.String)
        {
            // AirPricing documents `routing` as a String: accept a JSON object serialised into a string.
            try
            {
                var doc = JsonDocument.Parse(v.GetString()!);
                if (doc.RootElement.ValueKind == JsonValueKind.Object) return new RequestFields(doc.RootElement.Clone(), Where(name));
            }
            catch (JsonException)
            {
            }
        }
        if (v.ValueKind != JsonValueKind.Object) throw Bad(name, "must be an object");
        return new RequestFields(v, Where(name));
    }

    /// <summary>An array field; a single object is taken as a one-element array (AssignSeats' sample sends one).</summary>
    public IReadOnlyList<RequestFields> Array(string name, bool required = true)
    {
        if (!TryGet(name, out var v))
            return required ? throw Missing(name) : [];
        if (v.ValueKind == JsonValueKind.Object) return [new RequestFields(v, Where(name) + "[0]")];
        if (v.ValueKind != JsonValueKind.Array) throw Bad(name, "must be an array");
        var list = new List<RequestFields>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw Bad($"{name}[{i}]", "must be an object");
            list.Add(new RequestFields(item, $"{Where(name)}[{i++}]"));
        }
        return list;
    }

    public TechHouseError Missing(string name) => new(TechHouseStatus.MissingParameter, $"missing parameter: {Where(name)}");

    public TechHouseError Bad(string name, string why) => new(TechHouseStatus.BadParameter, $"{Where(name)} {why}");
}
