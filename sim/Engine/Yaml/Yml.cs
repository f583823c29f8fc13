using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Engine.Yaml;

/// <summary>A YAML error that points at the file, line and column a user has to fix.</summary>
public sealed class YamlLoadException(string file, long line, long column, string reason)
    : Exception($"{file}:{line}:{column}: {reason}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public long Column { get; } = column;
    public string Reason { get; } = reason;
}

/// <summary>
/// Reads YAML with YamlDotNet's representation model so that every later validation error can
/// still name the line and column it came from.
/// </summary>
public static class Yml
{
    public static YamlMappingNode LoadMapping(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new YamlLoadException(file, e.Start.Line, e.Start.Column, e.InnerException?.Message ?? e.Message);
        }
        if (stream.Documents.Count == 0) throw new YamlLoadException(file, 1, 1, "empty document");
        if (stream.Documents[0].RootNode is not YamlMappingNode map)
            throw Error(file, stream.Documents[0].RootNode, "the document must be a mapping");
        return map;
    }

    public static YamlLoadException Error(string file, YamlNode node, string reason) =>
        new(file, node.Start.Line, node.Start.Column, reason);

    /// <summary>Converts YAML to JSON; unquoted scalars that look like numbers, booleans or null keep that type.</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => ToJsonObject(m),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode v => ScalarToJson(v),
        _ => null,
    };

    public static JsonObject ToJsonObject(YamlMappingNode map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map.Children) o[((YamlScalarNode)k).Value ?? ""] = ToJson(v);
        return o;
    }

    static JsonNode? ScalarToJson(YamlScalarNode v)
    {
        var s = v.Value ?? "";
        if (v.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(s);
        if (s is "" or "~" or "null") return null;
        if (s is "true" or "True") return JsonValue.Create(true);
        if (s is "false" or "False") return JsonValue.Create(false);
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(s);
    }

    public static string? Str(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
}
