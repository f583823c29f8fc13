using System.Text.Json;

namespace Sandbox.Engine.Rules;

/// <summary>
/// What rules can look at in a request, whatever its wire format: field values by path
/// (<c>a.b</c>, <c>a[*].b</c>, <c>a[0].b</c>), names matched case-insensitively.
/// </summary>
public interface IRequestView
{
    IEnumerable<string> Values(string path);
}

/// <summary>A JSON request body.</summary>
public sealed class JsonRequestView(JsonElement root) : IRequestView
{
    readonly record struct Segment(string Name, string? Index);

    /// <summary>Paths come from scenario files: parse each once, not per request.</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Segment[]> Parsed = new();

    static Segment[] Parse(string path) => path.Split('.').Select(part =>
    {
        var bracket = part.IndexOf('[');
        return bracket < 0 ? new Segment(part, null) : new Segment(part[..bracket], part[(bracket + 1)..].TrimEnd(']'));
    }).ToArray();

    public IEnumerable<string> Values(string path)
    {
        if (root.ValueKind != JsonValueKind.Object) return [];
        var segments = Parsed.GetOrAdd(path, Parse);
        // Most rules name a field the request does not have (wildcard rules run on every request): answer without allocating.
        if (segments[0].Name.Length > 0 && !HasProperty(root, segments[0].Name)) return [];
        var current = new List<JsonElement> { root };
        foreach (var seg in segments)
        {
            var next = new List<JsonElement>();
            foreach (var e in current) Step(e, seg.Name, seg.Index, next);
            if (next.Count == 0) return [];
            current = next;
        }
        return current.SelectMany(Scalars);
    }

    static bool HasProperty(JsonElement e, string name) => TryGetField(e, name, out _);

    /// <summary>
    /// The one rule for a field of a JSON object, shared by the modules' readers and the scenario rules so both see the
    /// same value: the exact name before a case variant, and of several occurrences the last — what PHP's json_decode,
    /// Jackson and Json.NET, the parsers behind the suppliers' JSON APIs, all keep.
    /// </summary>
    public static bool TryGetField(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object) return false;
        var exact = false;
        var found = false;
        foreach (var p in obj.EnumerateObject())
        {
            if (p.NameEquals(name))
            {
                (value, exact, found) = (p.Value, true, true);
            }
            else if (!exact && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                (value, found) = (p.Value, true);
            }
        }
        return found;
    }

    static void Step(JsonElement e, string name, string? index, List<JsonElement> into)
    {
        if (name.Length > 0)
        {
            if (!TryGetField(e, name, out var found)) return;
            e = found;
        }
        if (index is null)
        {
            into.Add(e);
            return;
        }
        // A single object where an array is documented (TechHouse samples do this) counts as a one-element array.
        if (e.ValueKind != JsonValueKind.Array)
        {
            if (index is "*" or "0") into.Add(e);
            return;
        }
        if (index == "*")
            foreach (var i in e.EnumerateArray()) into.Add(i);
        else if (int.TryParse(index, out var n) && n >= 0 && n < e.GetArrayLength())
            into.Add(e[n]);
    }

    static IEnumerable<string> Scalars(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [e.GetRawText()],
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Scalars),
        _ => [],
    };
}

/// <summary>A flat parameter set (query string, form, Qimen/TOP parameters).</summary>
public sealed class ParameterRequestView(IReadOnlyDictionary<string, string> parameters) : IRequestView
{
    public IEnumerable<string> Values(string path) =>
        parameters.TryGetValue(path, out var v) ? [v] : [];
}
