using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandbox.Suppliers.FliggyBus.Validation;

public enum FieldType
{
    Text,
    /// <summary>A JSON integer (fen, counts, codes).</summary>
    Number,
    Bool,
    Nested,
    List,
    /// <summary>An amount in fen the document types as String (seat.query's <c>ticketPrice</c>): a digit string or a number.</summary>
    Amount,
}

public enum FieldFormat
{
    None,
    /// <summary><c>yyyy-MM-dd</c></summary>
    Date,
    /// <summary><c>HH:mm</c> or <c>HH:mm:ss</c></summary>
    Time,
    /// <summary><c>yyyy-MM-dd HH:mm:ss</c></summary>
    DateTime,
    /// <summary>Decimal digits only (<c>passengerId</c>: "仅支持数字").</summary>
    Digits,
    /// <summary>A decimal number as text (longitude, latitude).</summary>
    Decimal,
}

/// <summary>One field of a reply table in spec §4: name, type, whether it is required, allowed codes, text format, nested shape.</summary>
public sealed record Field(string Name, FieldType Type, bool Required = false, IReadOnlyList<string>? OneOf = null,
    FieldFormat Format = FieldFormat.None, Shape? Item = null);

/// <summary>
/// The fields of one JSON object as a spec table lists them. Checking reports what is missing, of the wrong type,
/// outside its codes or badly formatted; fields the table does not list are the merchant's business.
/// Java's JSON readers turn "10" into 10 and back, so a number sent as a digit string (or a code sent as a number)
/// is a warning, not an error.
/// </summary>
public sealed class Shape(params Field[] fields)
{
    public IReadOnlyList<Field> Fields { get; } = fields;

    public void Check(JsonObject obj, string path, List<Finding> findings)
    {
        foreach (var f in Fields)
        {
            var at = path.Length == 0 ? f.Name : $"{path}.{f.Name}";
            var node = obj[f.Name];
            if (node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0 && f.Type != FieldType.Text))
            {
                if (f.Required) findings.Add(Finding.Error(at, FindingCodes.Missing, $"required {Describe(f.Type)} '{f.Name}' is missing"));
                continue;
            }
            CheckValue(f, node, at, findings);
        }
    }

    static void CheckValue(Field f, JsonNode node, string at, List<Finding> findings)
    {
        var kind = node.GetValueKind();
        switch (f.Type)
        {
            case FieldType.Text:
                if (kind == JsonValueKind.Number)
                    findings.Add(Finding.Warning(at, FindingCodes.Type, $"'{f.Name}' is a String; the number {node.ToJsonString()} was sent"));
                else if (kind != JsonValueKind.String)
                {
                    findings.Add(Finding.Error(at, FindingCodes.Type, $"'{f.Name}' must be a String, got {Kind(kind)}"));
                    return;
                }
                var text = kind == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                if (text.Length == 0)
                {
                    if (f.Required) findings.Add(Finding.Error(at, FindingCodes.Missing, $"required String '{f.Name}' is empty"));
                    return;
                }
                if (f.OneOf is { } codes && !codes.Contains(text))
                    findings.Add(Finding.Error(at, FindingCodes.Enum, $"'{f.Name}' is '{text}', expected one of {string.Join(", ", codes)}"));
                if (!HasFormat(text, f.Format))
                    findings.Add(Finding.Error(at, FindingCodes.Format, $"'{f.Name}' is '{text}', expected {FormatName(f.Format)}"));
                break;
            case FieldType.Number:
            case FieldType.Amount:
                if (kind == JsonValueKind.Number)
                {
                    if (!long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                        findings.Add(Finding.Error(at, FindingCodes.Type, $"'{f.Name}' must be a whole number, got {node.ToJsonString()}"));
                    else if (f.OneOf is { } numCodes && !numCodes.Contains(n.ToString(CultureInfo.InvariantCulture)))
                        findings.Add(Finding.Error(at, FindingCodes.Enum, $"'{f.Name}' is {n}, expected one of {string.Join(", ", numCodes)}"));
                }
                else if (kind == JsonValueKind.String && long.TryParse(node.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    if (f.Type == FieldType.Number)
                        findings.Add(Finding.Warning(at, FindingCodes.Type, $"'{f.Name}' is a Number; the string \"{node.GetValue<string>()}\" was sent"));
                }
                else
                    findings.Add(Finding.Error(at, FindingCodes.Type, $"'{f.Name}' must be a {Describe(f.Type)}, got {Kind(kind)} {Preview(node)}"));
                break;
            case FieldType.Bool:
                if (kind is JsonValueKind.True or JsonValueKind.False) break;
                if (kind == JsonValueKind.String && node.GetValue<string>() is "true" or "false")
                    findings.Add(Finding.Warning(at, FindingCodes.Type, $"'{f.Name}' is a Boolean; the string \"{node.GetValue<string>()}\" was sent"));
                else
                    findings.Add(Finding.Error(at, FindingCodes.Type, $"'{f.Name}' must be a Boolean, got {Kind(kind)} {Preview(node)}"));
                break;
            case FieldType.Nested:
                if (node is not JsonObject o)
                    findings.Add(Finding.Error(at, FindingCodes.Type, $"'{f.Name}' must be an object, got {Kind(kind)}"));
                else f.Item?.Check(o, at, findings);
                break;
            case FieldType.List:
                if (node is not JsonArray a)
                {
                    findings.Add(Finding.Error(at, FindingCodes.Type, $"'{f.Name}' must be a list, got {Kind(kind)}"));
                    break;
                }
                if (f.Required && a.Count == 0)
                    findings.Add(Finding.Error(at, FindingCodes.Missing, $"required list '{f.Name}' is empty"));
                for (var i = 0; i < a.Count; i++)
                {
                    if (f.Item is null) continue;
                    if (a[i] is JsonObject item) f.Item.Check(item, $"{at}[{i}]", findings);
                    else findings.Add(Finding.Error($"{at}[{i}]", FindingCodes.Type, $"each '{f.Name}' element must be an object, got {Kind(a[i]?.GetValueKind() ?? JsonValueKind.Null)}"));
                }
                break;
        }
    }

    public static bool HasFormat(string text, FieldFormat format) => format switch
    {
        FieldFormat.Date => System.DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        FieldFormat.Time => System.DateTime.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        FieldFormat.DateTime => System.DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        FieldFormat.Digits => text.All(char.IsAsciiDigit),
        FieldFormat.Decimal => decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
        _ => true,
    };

    static string FormatName(FieldFormat format) => format switch
    {
        FieldFormat.Date => "yyyy-MM-dd",
        FieldFormat.Time => "HH:mm or HH:mm:ss",
        FieldFormat.DateTime => "yyyy-MM-dd HH:mm:ss",
        FieldFormat.Digits => "digits only",
        FieldFormat.Decimal => "a decimal number",
        _ => "text",
    };

    static string Describe(FieldType type) => type switch
    {
        FieldType.Amount => "amount (fen)",
        _ => type.ToString(),
    };

    static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    static string Preview(JsonNode node)
    {
        var s = node.ToJsonString();
        return s.Length > 40 ? s[..40] + "…" : s;
    }
}
