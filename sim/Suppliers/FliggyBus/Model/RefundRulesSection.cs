using System.Text.Json.Nodes;

namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>The scenario's <c>catalog.refundRules</c>: the §7 rule a line without its own <c>refundRuleList</c> is held to.</summary>
public static class RefundRulesSection
{
    public static IReadOnlyList<RefundRule>? Parse(JsonNode? node, out string? problem)
    {
        problem = null;
        if (node is not JsonArray list || list.Count == 0)
        {
            problem = "a non-empty list of {minHoursBefore, maxHoursBefore, canRefund, feePercent}";
            return null;
        }
        var rules = new List<RefundRule>();
        foreach (var item in list)
        {
            if (item is not JsonObject o || JsonRead.Decimal(o, "minHoursBefore") is null || JsonRead.Bool(o, "canRefund") is null)
            {
                problem = $"'{item?.ToJsonString()}' needs minHoursBefore and canRefund";
                return null;
            }
            rules.Add(RefundRule.Read(o));
        }
        problem = RefundPolicy.Problems(rules).FirstOrDefault();
        return problem is null ? rules : null;
    }

    public static IReadOnlyList<RefundRule> From(JsonObject catalog) =>
        Parse(catalog["refundRules"], out _) ?? RefundRule.SeedExample;
}
