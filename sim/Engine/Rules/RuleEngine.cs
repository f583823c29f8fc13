using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sandbox.Engine.Faults;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Engine.Rules;

/// <summary>What the rules decided for one request.</summary>
public sealed class RuleOutcome
{
    public static readonly RuleOutcome None = new();
    public Rule? Decisive { get; init; }
    public JsonObject? Reply => Decisive?.Reply;
    public FaultSpec? Fault => Decisive?.Fault;
    public JsonObject? Set { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Matched { get; init; } = [];
}

/// <summary>A fault rule added at runtime through the admin API, on top of the tenant's scenario.</summary>
public sealed record AdHocRule(string Id, string Supplier, Rule Rule, DateTimeOffset Created);

/// <summary>
/// Evaluates ad-hoc rules, then the tenant's scenario rules for the operation. Rules that only tag or set fields
/// accumulate; the first rule with a reply or a fault decides.
/// </summary>
public sealed class RuleEngine
{
    readonly ConcurrentDictionary<string, ImmutableRuleList> _adHoc = new(StringComparer.Ordinal);

    public RuleOutcome Evaluate(OperationContext ctx)
    {
        var adHoc = _adHoc.TryGetValue(ctx.Tenant.Id, out var list) ? list.Rules : [];
        var scenarioRules = ctx.Scenario.RulesFor(ctx.Operation);
        if (adHoc.Length == 0 && scenarioRules.Length == 0) return RuleOutcome.None;

        List<string>? tags = null, matched = null;
        JsonObject? set = null;
        for (var i = 0; i < adHoc.Length + scenarioRules.Length; i++)
        {
            Rule rule;
            if (i < adHoc.Length)
            {
                if (!adHoc[i].Supplier.Equals(ctx.Supplier, StringComparison.OrdinalIgnoreCase)) continue;
                rule = adHoc[i].Rule;
            }
            else rule = scenarioRules[i - adHoc.Length];
            if (!rule.Matches(ctx.Operation, ctx.View, ctx.Facts) || !rule.Fires(ctx.Tenant.Id)) continue;
            (matched ??= []).Add(rule.Name);
            if (rule.Tags.Count > 0) (tags ??= []).AddRange(rule.Tags);
            if (rule.Set is not null)
            {
                set ??= [];
                foreach (var (k, v) in rule.Set) set[k] = v?.DeepClone();
            }
            if (rule.Reply is not null || rule.Fault is not null)
                return new RuleOutcome { Decisive = rule, Set = set, Tags = tags ?? [], Matched = matched };
        }
        return matched is null ? RuleOutcome.None : new RuleOutcome { Set = set, Tags = tags ?? [], Matched = matched };
    }

    public AdHocRule Add(string tenant, string supplier, Rule rule) =>
        Add(tenant, new AdHocRule(Guid.NewGuid().ToString("N")[..12], supplier.ToLowerInvariant(), rule, DateTimeOffset.UtcNow));

    public AdHocRule Add(string tenant, AdHocRule entry)
    {
        _adHoc.AddOrUpdate(tenant, _ => new ImmutableRuleList([entry]), (_, l) => new ImmutableRuleList([entry, .. l.Rules]));
        return entry;
    }

    /// <summary>Replaces a tenant's ad-hoc rules (read again from the store after another replica changed them), newest first.</summary>
    public void Replace(string tenant, IEnumerable<AdHocRule> rules)
    {
        var list = rules.OrderByDescending(r => r.Created).ToArray();
        if (list.Length == 0) _adHoc.TryRemove(tenant, out _);
        else _adHoc[tenant] = new ImmutableRuleList(list);
    }

    public bool Remove(string tenant, string id)
    {
        while (_adHoc.TryGetValue(tenant, out var l))
        {
            if (l.Rules.All(r => r.Id != id)) return false;
            if (_adHoc.TryUpdate(tenant, new ImmutableRuleList(l.Rules.Where(r => r.Id != id).ToArray()), l)) return true;
        }
        return false;
    }

    public IReadOnlyList<AdHocRule> List(string tenant) => _adHoc.TryGetValue(tenant, out var l) ? l.Rules : [];

    public void ForgetTenant(string tenant) => _adHoc.TryRemove(tenant, out _);

    sealed record ImmutableRuleList(AdHocRule[] Rules);
}
