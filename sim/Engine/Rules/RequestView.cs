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
    public IEnumerable<string> Values(string path)
    {
        IEnumerable<JsonElement> current = [root];
        foreach (var part in path.Split('.'))
        {
            var name = part;
            string? index = null;
            var bracket = part.IndexOf('[');
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = part[(bracket + 1)..].TrimEnd(']');
            }
            current = current.SelectMany(e => Step(e, name, index)).ToList();
        }
        return current.SelectMany(Scalars);
    }

    static IEnumerable<JsonElement> Step(JsonElement e, string name, string? index)
    {
        if (name.Length > 0)
        {
            if (e.ValueKind != JsonValueKind.Object) yield break;
            JsonElement? found = null;
            foreach (var p in e.EnumerateObject())
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { found = p.Value; break; }
            if (found is null) yield break;
            e = found.Value;
        }
        if (index is null)
        {
            yield return e;
            yield break;
        }
        // A single object where an array is documented (TechHouse samples do this) counts as a one-element array.
        var items = e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : [e];
        if (index == "*")
            foreach (var i in items) yield return i;
        else if (int.TryParse(index, out var n) && n >= 0 && n < items.Count)
            yield return items[n];
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
