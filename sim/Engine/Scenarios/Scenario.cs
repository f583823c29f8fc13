using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Sandbox.Engine.Faults;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Rules;

namespace Sandbox.Engine.Scenarios;

/// <summary>
/// One scenario set of one supplier, after <c>extends</c> and <c>include</c> were resolved: the catalogue
/// settings, the per-entity state machines, the rules and the faults that decide behaviour without recompiling.
/// </summary>
public sealed class Scenario
{
    public required string Supplier { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public string? Description { get; init; }
    public int Seed { get; init; }
    /// <summary>The supplier module's own section (routes, products, fixtures …), merged across extends/include.</summary>
    public JsonObject Catalog { get; init; } = [];
    /// <summary>Supplier-specific switches (ticketing delay, lenient modes …).</summary>
    public JsonObject Settings { get; init; } = [];
    public IReadOnlyDictionary<string, MachineDefinition> Machines { get; init; } = FrozenDictionary<string, MachineDefinition>.Empty;
    public IReadOnlyList<Rule> Rules { get; init; } = [];
    public LatencyProfile? Latency { get; init; }
    public CallbackChaos Chaos { get; init; } = CallbackChaos.None;
    /// <summary>Overrides the supplier's default callback retry schedule when set.</summary>
    public IReadOnlyList<TimeSpan>? RetrySchedule { get; init; }

    FrozenDictionary<string, Rule[]>? _byOperation;

    /// <summary>Rules for one operation, wildcard rules included, in file order: an index, never a scan of every rule.</summary>
    public Rule[] RulesFor(string operation)
    {
        _byOperation ??= Rules
            .SelectMany(r => r.Operations.Count == 0 ? [("*", r)] : r.Operations.Select(o => (o, r)))
            .GroupBy(p => p.Item1, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.r).ToArray(), StringComparer.OrdinalIgnoreCase);
        var specific = _byOperation.GetValueOrDefault(operation) ?? [];
        var wildcard = _byOperation.GetValueOrDefault("*") ?? [];
        if (wildcard.Length == 0) return specific;
        if (specific.Length == 0) return wildcard;
        return specific.Concat(wildcard).OrderBy(r => r.Order).ToArray();
    }

    public string? SettingString(string name) => Settings[name]?.GetValue<object>()?.ToString();
}

/// <summary>Callback delivery chaos a QA engineer can switch on per scenario.</summary>
public sealed record CallbackChaos(double Duplicate, TimeSpan Delay, bool Reorder, bool DropFirst)
{
    public static readonly CallbackChaos None = new(0, TimeSpan.Zero, false, false);
}
