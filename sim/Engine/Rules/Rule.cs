using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sandbox.Engine.Faults;

namespace Sandbox.Engine.Rules;

/// <summary>
/// A scenario rule: when an operation's fields match, reply with a documented error, inject a fault,
/// override reply fields or tag the entity the operation creates. <c>times</c> and a seeded
/// <c>probability</c> make "fail once, then behave" and "fail 10 % of the time" reproducible.
/// </summary>
public sealed class Rule
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required string Source { get; init; }
    public int Order { get; init; }
    public IReadOnlyList<string> Operations { get; init; } = [];
    public IReadOnlyList<FieldPredicate> Predicates { get; init; } = [];
    public int? Times { get; init; }
    public double? Probability { get; init; }
    public int Seed { get; init; }
    /// <summary>Fields of the supplier's error reply (e.g. status + msg), encoded in the supplier's format.</summary>
    public JsonObject? Reply { get; init; }
    /// <summary>Fields set on the successful reply.</summary>
    public JsonObject? Set { get; init; }
    public FaultSpec? Fault { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];

    readonly ConcurrentDictionary<string, TenantState> _state = new(StringComparer.Ordinal);

    public bool Matches(string operation, IRequestView view, IReadOnlyDictionary<string, List<string>> facts)
    {
        if (Operations.Count > 0 && !Operations.Contains(operation, StringComparer.OrdinalIgnoreCase)) return false;
        foreach (var p in Predicates)
            if (!p.Matches(view, facts)) return false;
        return true;
    }

    /// <summary>Decides whether a matching rule fires for this tenant now, consuming one of its <c>times</c>.</summary>
    public bool Fires(string tenant)
    {
        var s = _state.GetOrAdd(tenant, t => new TenantState(new Random(StableSeed(Seed, Name, t))));
        lock (s)
        {
            if (Times is { } max && s.Fired >= max) return false;
            if (Probability is { } p && s.Random.NextDouble() >= p) return false;
            s.Fired++;
            return true;
        }
    }

    public void ResetTenant(string tenant) => _state.TryRemove(tenant, out _);

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, which would break "same seed, same run".</summary>
    static int StableSeed(int seed, string name, string tenant)
    {
        var h = 2166136261u ^ (uint)seed;
        foreach (var ch in name + "\0" + tenant) h = (h ^ ch) * 16777619u;
        return (int)h;
    }

    sealed class TenantState(Random random)
    {
        public Random Random { get; } = random;
        public int Fired { get; set; }
    }

    /// <summary>The magic values this rule reacts to, for the admin listing and docs/scenarios.md.</summary>
    public JsonObject Describe(string supplier, string set) => new()
    {
        ["supplier"] = supplier,
        ["scenario"] = set,
        ["rule"] = Name,
        ["operations"] = new JsonArray(Operations.Select(o => (JsonNode)JsonValue.Create(o)!).ToArray()),
        ["when"] = new JsonArray(Predicates.Select(p => (JsonNode)JsonValue.Create(p.ToString())!).ToArray()),
        ["effect"] = Effect(),
        ["description"] = Description,
        ["source"] = Source,
    };

    string Effect()
    {
        var parts = new List<string>();
        if (Reply is not null) parts.Add("reply " + Reply.ToJsonString());
        if (Fault is not null) parts.Add("fault " + Fault);
        if (Set is not null) parts.Add("set " + Set.ToJsonString());
        if (Tags.Count > 0) parts.Add("tags " + string.Join(",", Tags));
        if (Times is not null) parts.Add($"times {Times}");
        if (Probability is not null) parts.Add($"probability {Probability}");
        return string.Join("; ", parts);
    }
}
