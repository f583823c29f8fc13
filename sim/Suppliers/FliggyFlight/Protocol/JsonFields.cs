using System.Globalization;
using System.Text.Json;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Protocol;

/// <summary>
/// Reads a structured parameter (a JSON object in one form field, spec §1.5). A missing required field answers code 40
/// and a field of the wrong type code 41, both naming the field by its full path
/// (<c>create_order_request.passenger_list[1].name</c>). Numbers sent as strings and strings of digits are accepted,
/// as TOP's own parameter binding does.
/// </summary>
public readonly struct JsonFields(JsonElement element, string path)
{
    public string Path { get; } = path;
    public JsonElement Element { get; } = element;

    string Name(string field) => Path + "." + field;

    bool TryGet(string field, out JsonElement value)
    {
        if (Element.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null) return true;
        value = default;
        return false;
    }

    public bool Has(string field) => TryGet(field, out _);

    public string? Str(string field, bool required = false)
    {
        if (!TryGet(field, out var v)) return required ? throw TopError.MissingArgument(Name(field)) : null;
        var s = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number => v.GetRawText(),
            _ => throw TopError.InvalidArgument(Name(field), $"{Name(field)} must be a string"),
        };
        if (s.Length == 0 && required) throw TopError.MissingArgument(Name(field));
        return s.Length == 0 ? null : s;
    }

    public long? Long(string field, bool required = false)
    {
        if (!TryGet(field, out var v)) return required ? throw TopError.MissingArgument(Name(field)) : null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) return n;
        if (v.ValueKind == JsonValueKind.String && v.GetString()!.Length == 0) return required ? throw TopError.MissingArgument(Name(field)) : null;
        throw TopError.InvalidArgument(Name(field), $"{Name(field)} must be an integer");
    }

    public int? Int(string field, bool required = false) =>
        Long(field, required) is { } n ? n is >= int.MinValue and <= int.MaxValue ? (int)n : throw TopError.InvalidArgument(Name(field)) : null;

    public decimal? Money(string field, bool required = false)
    {
        if (!TryGet(field, out var v)) return required ? throw TopError.MissingArgument(Name(field)) : null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d)) return d;
        if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out d)) return d;
        if (v.ValueKind == JsonValueKind.String && v.GetString()!.Length == 0) return required ? throw TopError.MissingArgument(Name(field)) : null;
        throw TopError.InvalidArgument(Name(field), $"{Name(field)} must be a number");
    }

    public bool? Bool(string field)
    {
        if (!TryGet(field, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            _ => throw TopError.InvalidArgument(Name(field), $"{Name(field)} must be true or false"),
        };
    }

    public JsonFields? Obj(string field, bool required = false)
    {
        if (!TryGet(field, out var v)) return required ? throw TopError.MissingArgument(Name(field)) : null;
        if (v.ValueKind != JsonValueKind.Object) throw TopError.InvalidArgument(Name(field), $"{Name(field)} must be an object");
        return new JsonFields(v, Name(field));
    }

    /// <summary>A list of objects; TOP clients also send a single object where a one-element list is meant.</summary>
    public IReadOnlyList<JsonFields> Objects(string field, bool required = false)
    {
        if (!TryGet(field, out var v)) return required ? throw TopError.MissingArgument(Name(field)) : [];
        if (v.ValueKind == JsonValueKind.Object) return [new JsonFields(v, Name(field) + "[0]")];
        if (v.ValueKind != JsonValueKind.Array) throw TopError.InvalidArgument(Name(field), $"{Name(field)} must be a list");
        var list = new List<JsonFields>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw TopError.InvalidArgument($"{Name(field)}[{i}]", $"{Name(field)}[{i}] must be an object");
            list.Add(new JsonFields(item, $"{Name(field)}[{i++}]"));
        }
        if (list.Count == 0 && required) throw TopError.MissingArgument(Name(field));
        return list;
    }

    /// <summary>A list of strings: a JSON array, or one comma-separated string (spec §1.5).</summary>
    public IReadOnlyList<string> Strings(string field)
    {
        if (!TryGet(field, out var v)) return [];
        if (v.ValueKind == JsonValueKind.String) return v.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (v.ValueKind != JsonValueKind.Array) throw TopError.InvalidArgument(Name(field), $"{Name(field)} must be a list of strings");
        return v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList();
    }
}
