using System.Globalization;
using System.Text.RegularExpressions;

namespace Sandbox.Engine.Rules;

/// <summary>
/// One field condition of a rule's <c>when:</c>. A plain value means "equals" (case-insensitive); an operator
/// mapping gives prefix, suffix, contains, regex, in, not, exists, gt or lt. A field with several values
/// (an array) matches when any value does.
/// </summary>
public sealed class FieldPredicate
{
    public required string Path { get; init; }
    public required string Op { get; init; }
    public IReadOnlyList<string> Operands { get; init; } = [];
    Regex? _regex;

    public static readonly string[] Operators = ["equals", "prefix", "suffix", "contains", "regex", "in", "not", "exists", "gt", "lt"];

    public bool Matches(IRequestView view, IReadOnlyDictionary<string, List<string>> facts)
    {
        var values = facts.TryGetValue(Path, out var f) ? f : view.Values(Path);
        if (Op == "exists") return values.Any() == IsTrue(Operands.FirstOrDefault());
        if (Op == "not") return !values.Any(v => Operands.Any(o => Eq(v, o)));
        return values.Any(Test);
    }

    bool Test(string v) => Op switch
    {
        "equals" or "in" => Operands.Any(o => Eq(v, o)),
        "prefix" => Operands.Any(o => v.StartsWith(o, StringComparison.OrdinalIgnoreCase)),
        "suffix" => Operands.Any(o => v.EndsWith(o, StringComparison.OrdinalIgnoreCase)),
        "contains" => Operands.Any(o => v.Contains(o, StringComparison.OrdinalIgnoreCase)),
        "regex" => (_regex ??= new Regex(Operands[0], RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50))).IsMatch(v),
        "gt" => Num(v) is { } a && Num(Operands[0]) is { } b && a > b,
        "lt" => Num(v) is { } c && Num(Operands[0]) is { } d && c < d,
        _ => false,
    };

    static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
                                          || (Num(a) is { } x && Num(b) is { } y && x == y);

    static decimal? Num(string s) => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    static bool IsTrue(string? s) => s is null || s.Equals("true", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Op == "equals" ? $"{Path} = {string.Join(" | ", Operands)}" : $"{Path} {Op} {string.Join(" | ", Operands)}";
}
