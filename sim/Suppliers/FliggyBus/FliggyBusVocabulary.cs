using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Yaml;
using Sandbox.Suppliers.FliggyBus.Config;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Suppliers.FliggyBus;

/// <summary>
/// What a scenario under scenarios/fliggybus/ may name: the order events and the merchant's <c>taobao.bus.*</c>
/// callbacks as operations, the Qimen calls as what a transition emits (the sandbox is Fliggy: its "callbacks" are
/// the calls into the merchant), the order and ticket machines; and the checks of its own sections.
/// </summary>
public sealed class FliggyBusVocabulary : IScenarioVocabulary
{
    public const string BookTicketConfirm = "taobao.bus.agent.bookticket.confirm";
    public const string RefundConfirm = "taobao.bus.agent.refund.confirm";
    public const string MultipleRefundConfirm = "taobao.bus.agent.multiple.refund.confirm";
    public const string ItemNotify = "taobao.bus.item.notify";

    public static readonly IReadOnlyList<string> TopMethods = [BookTicketConfirm, RefundConfirm, MultipleRefundConfirm, ItemNotify];

    public string Supplier => FliggyBusCredentials.Supplier;
    public IReadOnlyCollection<string> Operations { get; } = [.. TopMethods, .. BusEvents.All];
    public IReadOnlyCollection<string> Callbacks => QimenMethods.Names;
    public IReadOnlyCollection<string> MachineKinds { get; } = [BusMachines.OrderKind, BusMachines.TicketKind];

    public void Validate(string file, YamlMappingNode root)
    {
        if (Yml.Get(root, "settings") is YamlMappingNode settings && Yml.Str(root, "fragment") != "true")
        {
            var parsed = FliggyBusSettings.Parse(Yml.ToJsonObject(settings));
            // A file that extends another may set only some settings: only a complete file is checked as a whole.
            if (Yml.Get(root, "extends") is null && parsed.Errors.FirstOrDefault() is { } error)
                throw Yml.Error(file, Locate(settings, error.Path), $"{error.Path}: {error.Reason}");
        }
        if (Yml.Get(root, "catalog") is YamlMappingNode catalog && Yml.Get(catalog, "refundRules") is { } rules)
        {
            if (RefundRulesSection.Parse(Yml.ToJson(rules), out var problem) is null)
                throw Yml.Error(file, rules, "catalog.refundRules: " + problem);
        }
    }

    /// <summary>
    /// The YAML node a settings path (<c>settings.calls.&lt;method&gt;.delays[1]</c>) points at, as deep as it exists.
    /// Method names contain dots, so each step takes the longest key the rest of the path starts with.
    /// </summary>
    static YamlNode Locate(YamlMappingNode settings, string path)
    {
        YamlNode node = settings;
        var rest = path.StartsWith("settings.", StringComparison.Ordinal) ? path["settings.".Length..] : path;
        while (rest.Length > 0 && node is YamlMappingNode m)
        {
            var key = m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "")
                .Where(k => rest == k || rest.StartsWith(k + ".", StringComparison.Ordinal) || rest.StartsWith(k + "[", StringComparison.Ordinal))
                .MaxBy(k => k.Length);
            if (key is null) break;
            node = Yml.Get(m, key)!;
            rest = rest[key.Length..];
            if (rest.StartsWith('[') && node is YamlSequenceNode seq && int.TryParse(rest[1..rest.IndexOf(']')], out var i) && i < seq.Children.Count)
            {
                node = seq.Children[i];
                rest = rest[(rest.IndexOf(']') + 1)..];
            }
            rest = rest.TrimStart('.');
        }
        return node;
    }
}
