namespace Sandbox.Engine.Scenarios;

public enum FieldType
{
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
}

/// <summary>
/// One documented request or reply field of a supplier operation: what a scenario rule may name in <c>when</c>, and
/// what the API description shows. <see cref="Open"/> marks an object whose members the sandbox does not list (a TOP
/// structured parameter): any path below it is accepted.
/// </summary>
public sealed record FieldShape(string Name, FieldType Type, bool Required = false, string? Description = null, IReadOnlyList<FieldShape>? Fields = null,
    bool Open = false)
{
    public static FieldShape Str(string name, bool required = false, string? description = null) => new(name, FieldType.String, required, description);
    public static FieldShape Int(string name, bool required = false, string? description = null) => new(name, FieldType.Integer, required, description);
    public static FieldShape Num(string name, bool required = false, string? description = null) => new(name, FieldType.Number, required, description);
    public static FieldShape Bool(string name, bool required = false, string? description = null) => new(name, FieldType.Boolean, required, description);
    public static FieldShape Obj(string name, bool required, string? description, params FieldShape[] fields) => new(name, FieldType.Object, required, description, fields);
    public static FieldShape List(string name, bool required, string? description, params FieldShape[] fields) => new(name, FieldType.Array, required, description, fields);

    /// <summary>The rule paths this field offers: <c>name</c>, <c>name.member</c>, <c>name[*].member</c>; an open object ends in <c>.*</c>.</summary>
    public IEnumerable<string> Paths(string prefix = "")
    {
        var path = prefix + Name;
        yield return path;
        if (Open) yield return path + ".*";
        var inner = Type == FieldType.Array ? path + "[*]." : path + ".";
        foreach (var f in Fields ?? [])
        foreach (var p in f.Paths(inner))
            yield return p;
    }
}

/// <summary>Checks a rule's field path against the paths an operation documents (indices are compared as <c>[*]</c>, names case-insensitively).</summary>
public static class FieldPaths
{
    public static bool Known(string path, IEnumerable<string> known)
    {
        var p = Normalise(path);
        foreach (var k in known)
        {
            var n = Normalise(k);
            if (n == p) return true;
            // A condition on a parent matches the values below it.
            if (n.StartsWith(p + ".", StringComparison.Ordinal) || n.StartsWith(p + "[", StringComparison.Ordinal)) return true;
            if (n.EndsWith(".*", StringComparison.Ordinal) && p.StartsWith(n[..^1], StringComparison.Ordinal)) return true;
        }
        return false;
    }

    static string Normalise(string path)
    {
        var sb = new System.Text.StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close > i)
                {
                    sb.Append("[*]");
                    i = close;
                    continue;
                }
            }
            sb.Append(char.ToLowerInvariant(path[i]));
        }
        return sb.ToString();
    }
}
