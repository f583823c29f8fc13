using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Faults;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Engine.Scenarios;

/// <summary>What a supplier module tells the loader so that a typo in a scenario is an error at load, not a silent no-op.</summary>
public interface IScenarioVocabulary
{
    string Supplier { get; }
    IReadOnlyCollection<string> Operations { get; }
    IReadOnlyCollection<string> Callbacks { get; }
    IReadOnlyCollection<string> MachineKinds { get; }
    /// <summary>Checks the supplier's own sections; throws <see cref="YamlLoadException"/> with the offending node.</summary>
    void Validate(string file, YamlMappingNode root);

    /// <summary>
    /// The field paths a rule may name for <paramref name="operation"/> (its request fields and the module's facts, see
    /// <see cref="FieldShape.Paths"/>); null when the module does not list them, and then no path is checked.
    /// </summary>
    IReadOnlyCollection<string>? FieldsOf(string operation) => null;
}

/// <summary>Parses the sections of one scenario file; every error carries file, line and column.</summary>
public static class ScenarioParser
{
    static readonly HashSet<string> TopLevel = ["supplier", "description", "extends", "include", "fragment", "seed", "catalog",
        "settings", "machines", "rules", "faults", "callbacks"];
    static readonly HashSet<string> RuleKeys = ["name", "description", "when", "times", "probability", "reply", "set", "fault", "tags"];
    static readonly HashSet<string> TransitionKeys = ["from", "to", "on", "after", "emit", "if", "unless"];

    public static void CheckTopLevel(string file, YamlMappingNode root)
    {
        foreach (var (k, _) in root.Children)
            if (!TopLevel.Contains(((YamlScalarNode)k).Value!))
                throw Yml.Error(file, k, $"unknown key '{k}' (expected one of {string.Join(", ", TopLevel)})");
    }

    public static Dictionary<string, MachineDefinition> Machines(string file, YamlNode node, IScenarioVocabulary vocab)
    {
        if (node is not YamlMappingNode map) throw Yml.Error(file, node, "'machines' must map an entity kind to a machine");
        var result = new Dictionary<string, MachineDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in map.Children)
        {
            var kind = ((YamlScalarNode)k).Value!;
            if (!vocab.MachineKinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
                throw Yml.Error(file, k, $"'{kind}' is not an entity kind of {vocab.Supplier} (known: {string.Join(", ", vocab.MachineKinds)})");
            if (v is not YamlMappingNode m) throw Yml.Error(file, v, "a machine needs 'initial' and 'transitions'");
            var initial = Yml.Str(m, "initial") ?? throw Yml.Error(file, m, "machine needs 'initial'");
            if (Yml.Get(m, "transitions") is not YamlSequenceNode ts) throw Yml.Error(file, m, "machine needs a 'transitions' list");
            var transitions = new List<Transition>();
            foreach (var t in ts.Children)
            {
                if (t is not YamlMappingNode tm) throw Yml.Error(file, t, "a transition is a mapping {from, to, on|after, emit}");
                foreach (var (tk, _) in tm.Children)
                    if (!TransitionKeys.Contains(((YamlScalarNode)tk).Value!))
                        throw Yml.Error(file, tk, $"unknown transition key '{tk}' (expected {string.Join(", ", TransitionKeys)})");
                var from = Yml.Str(tm, "from") ?? throw Yml.Error(file, tm, "transition needs 'from'");
                var to = Yml.Str(tm, "to") ?? throw Yml.Error(file, tm, "transition needs 'to'");
                var on = Yml.Str(tm, "on");
                TimeSpan? after = null;
                if (Yml.Get(tm, "after") is { } an)
                {
                    if (!Durations.TryParse(((YamlScalarNode)an).Value, out var d) || d < TimeSpan.Zero)
                        throw Yml.Error(file, an, $"'{an}' is not a duration (ISO-8601 like PT2M, or 250ms/5s/2m/1h)");
                    after = d;
                }
                if ((on is null) == (after is null)) throw Yml.Error(file, tm, "a transition needs exactly one of 'on' (operation) or 'after' (virtual delay)");
                if (on is not null && !vocab.Operations.Contains(on, StringComparer.OrdinalIgnoreCase))
                    throw Yml.Error(file, Yml.Get(tm, "on")!, $"'{on}' is not an operation of {vocab.Supplier}");
                var emit = Yml.Str(tm, "emit");
                if (emit is not null && !vocab.Callbacks.Contains(emit, StringComparer.OrdinalIgnoreCase))
                    throw Yml.Error(file, Yml.Get(tm, "emit")!, $"'{emit}' is not a callback of {vocab.Supplier} (known: {string.Join(", ", vocab.Callbacks)})");
                transitions.Add(new Transition(from, to, on, after, emit, StrList(file, Yml.Get(tm, "if")), StrList(file, Yml.Get(tm, "unless"))));
            }
            result[kind] = new MachineDefinition(kind, initial, transitions);
        }
        return result;
    }

    public static List<Rule> Rules(string file, YamlNode node, IScenarioVocabulary vocab, int seed, ICollection<ScenarioError>? warnings = null)
    {
        if (node is not YamlSequenceNode list) throw Yml.Error(file, node, "'rules' must be a list");
        return list.Children.Select((n, i) => Rule(file, n, vocab, seed, i, warnings)).ToList();
    }

    /// <summary>
    /// Parses one rule. A field path the operation does not document goes to <paramref name="warnings"/> (a typo such as
    /// <c>fromCtiy</c> would never match); it stays a warning because facts and lenient field names make an unlisted
    /// path possible, and a server should not refuse a set that works.
    /// </summary>
    public static Rule Rule(string file, YamlNode node, IScenarioVocabulary vocab, int seed, int index, ICollection<ScenarioError>? warnings = null)
    {
        if (node is not YamlMappingNode m) throw Yml.Error(file, node, "a rule is a mapping with 'when' and an effect");
        foreach (var (k, _) in m.Children)
            if (!RuleKeys.Contains(((YamlScalarNode)k).Value!))
                throw Yml.Error(file, k, $"unknown rule key '{k}' (expected {string.Join(", ", RuleKeys)})");
        var operations = new List<string>();
        var predicates = new List<FieldPredicate>();
        if (Yml.Get(m, "when") is { } when)
        {
            if (when is not YamlMappingNode wm) throw Yml.Error(file, when, "'when' maps field paths to values");
            foreach (var (k, v) in wm.Children)
            {
                var path = ((YamlScalarNode)k).Value!;
                if (path == "operation")
                {
                    foreach (var op in StrList(file, v))
                    {
                        if (!vocab.Operations.Contains(op, StringComparer.OrdinalIgnoreCase))
                            throw Yml.Error(file, v, $"'{op}' is not an operation of {vocab.Supplier} (known: {string.Join(", ", vocab.Operations)})");
                        operations.Add(op);
                    }
                    continue;
                }
                predicates.Add(Predicate(file, path, v));
                if (warnings is not null && UnknownField(path, operations, vocab) is { } reason)
                    warnings.Add(new ScenarioError(file, k.Start.Line, k.Start.Column, reason));
            }
        }
        var reply = Yml.Get(m, "reply") is { } r
            ? r as YamlMappingNode is { } rm ? Yml.ToJsonObject(rm) : throw Yml.Error(file, r, "'reply' maps reply fields to values")
            : null;
        var set = Yml.Get(m, "set") is { } s
            ? s as YamlMappingNode is { } sm ? Yml.ToJsonObject(sm) : throw Yml.Error(file, s, "'set' maps reply fields to values")
            : null;
        var fault = Yml.Get(m, "fault") is { } f ? Fault(file, f) : null;
        var tags = StrList(file, Yml.Get(m, "tags"));
        if (reply is null && fault is null && set is null && tags.Count == 0)
            throw Yml.Error(file, m, "a rule needs an effect: 'reply', 'fault', 'set' or 'tags'");
        int? times = null;
        if (Yml.Get(m, "times") is { } tn)
            times = int.TryParse(((YamlScalarNode)tn).Value, out var t) && t > 0 ? t : throw Yml.Error(file, tn, "'times' must be a positive integer");
        double? probability = null;
        if (Yml.Get(m, "probability") is { } pn)
            probability = double.TryParse(((YamlScalarNode)pn).Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
                ? p
                : throw Yml.Error(file, pn, "'probability' must be a number between 0 and 1");
        var name = Yml.Str(m, "name") ?? $"{Path.GetFileNameWithoutExtension(file)}#{index + 1}";
        return new Rule
        {
            Name = name,
            Description = Yml.Str(m, "description"),
            Source = $"{SourceName(file)}:{m.Start.Line}",
            Operations = operations,
            Predicates = predicates,
            Times = times,
            Probability = probability,
            Seed = seed,
            Reply = reply,
            Set = set,
            Fault = fault,
            Tags = tags,
        };
    }

    /// <summary><c>techhouse/qa.yaml</c>: the supplier folder tells two suppliers' <c>qa.yaml</c> apart.</summary>
    static string SourceName(string file) =>
        Path.GetFileName(Path.GetDirectoryName(file)) is { Length: > 0 } folder ? $"{folder}/{Path.GetFileName(file)}" : Path.GetFileName(file);

    /// <summary>Why <paramref name="path"/> can never match, or null when the operations document it (or do not list their fields).</summary>
    static string? UnknownField(string path, IReadOnlyList<string> operations, IScenarioVocabulary vocab)
    {
        var scope = operations.Count > 0 ? operations : vocab.Operations;
        var known = new List<string>();
        foreach (var op in scope)
        {
            if (vocab.FieldsOf(op) is not { } fields) return null;
            known.AddRange(fields);
        }
        if (known.Count == 0 || FieldPaths.Known(path, known)) return null;
        var names = known.Where(k => !k.EndsWith(".*", StringComparison.Ordinal)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var subject = operations.Count > 0 ? string.Join(", ", operations) : $"any operation of {vocab.Supplier}";
        return $"'{path}' is not a field of {subject}: this condition never matches (known: {string.Join(", ", names)})";
    }

    static FieldPredicate Predicate(string file, string path, YamlNode v)
    {
        switch (v)
        {
            case YamlScalarNode s:
                return new FieldPredicate { Path = path, Op = "equals", Operands = [s.Value ?? ""] };
            case YamlSequenceNode seq:
                return new FieldPredicate { Path = path, Op = "in", Operands = StrList(file, seq) };
            case YamlMappingNode m when m.Children.Count == 1:
                var (k, operand) = m.Children.First();
                var op = ((YamlScalarNode)k).Value!;
                if (!FieldPredicate.Operators.Contains(op))
                    throw Yml.Error(file, k, $"unknown operator '{op}' (expected {string.Join(", ", FieldPredicate.Operators)})");
                var operands = StrList(file, operand);
                if (op == "regex")
                {
                    try { _ = new System.Text.RegularExpressions.Regex(operands[0]); }
                    catch (ArgumentException e) { throw Yml.Error(file, operand, "bad regex: " + e.Message); }
                }
                return new FieldPredicate { Path = path, Op = op, Operands = operands };
            default:
                throw Yml.Error(file, v, "a field condition is a value, a list of values or {operator: value}");
        }
    }

    public static FaultSpec Fault(string file, YamlNode node)
    {
        string typeText;
        YamlMappingNode? m = null;
        if (node is YamlScalarNode s) typeText = s.Value ?? "";
        else if (node is YamlMappingNode fm)
        {
            m = fm;
            typeText = Yml.Str(fm, "type") ?? throw Yml.Error(file, fm, "fault needs 'type'");
        }
        else throw Yml.Error(file, node, "fault is a type name or {type, after, status, stage}");
        var type = typeText.Replace("-", "").Replace("_", "").ToLowerInvariant() switch
        {
            "latency" or "delay" => FaultType.Latency,
            "timeout" => FaultType.Timeout,
            "hang" => FaultType.Hang,
            "reset" or "connectionreset" => FaultType.Reset,
            "malformed" or "malformedbody" => FaultType.Malformed,
            "http" or "http5xx" => FaultType.Http,
            "ratelimit" => FaultType.RateLimit,
            _ => throw Yml.Error(file, node, $"unknown fault '{typeText}' (latency, timeout, hang, reset, malformed, http, rate-limit)"),
        };
        var delay = type switch
        {
            FaultType.Timeout => TimeSpan.FromSeconds(30),
            FaultType.Hang => TimeSpan.FromSeconds(120),
            FaultType.Latency => TimeSpan.FromSeconds(1),
            _ => TimeSpan.Zero,
        };
        var status = 503;
        var stage = FaultStage.Before;
        if (m is not null)
        {
            if (Yml.Get(m, "after") is YamlScalarNode a)
                delay = Durations.TryParse(a.Value, out var d) ? d : throw Yml.Error(file, a, $"'{a.Value}' is not a duration");
            if (Yml.Get(m, "status") is YamlScalarNode st)
                status = int.TryParse(st.Value, out var code) && code is >= 400 and <= 599 ? code : throw Yml.Error(file, st, "'status' must be an HTTP error status 400-599");
            if (Yml.Get(m, "stage") is YamlScalarNode sg)
                stage = sg.Value switch
                {
                    "before" => FaultStage.Before,
                    "after" => FaultStage.After,
                    _ => throw Yml.Error(file, sg, "'stage' is 'before' (instead of the operation) or 'after' (the operation happens, the reply is lost)"),
                };
        }
        return new FaultSpec(type, delay, status, stage);
    }

    public static LatencyProfile? Latency(string file, YamlNode? faults)
    {
        if (faults is not YamlMappingNode fm) return null;
        if (Yml.Get(fm, "latency") is not YamlMappingNode lm) return null;
        TimeSpan Read(string key, TimeSpan fallback) =>
            Yml.Get(lm, key) is YamlScalarNode n
                ? Durations.TryParse(n.Value, out var d) ? d : throw Yml.Error(file, n, $"'{n.Value}' is not a duration")
                : fallback;
        var median = Read("median", TimeSpan.FromMilliseconds(20));
        return new LatencyProfile(median, Read("p99", median));
    }

    public static (IReadOnlyList<TimeSpan>? Retry, CallbackChaos? Chaos) Callbacks(string file, YamlNode? node)
    {
        if (node is null) return (null, null);
        if (node is not YamlMappingNode m) throw Yml.Error(file, node, "'callbacks' is a mapping {retry, chaos}");
        List<TimeSpan>? retry = null;
        if (Yml.Get(m, "retry") is YamlSequenceNode rs)
            retry = rs.Children.Select(n => Durations.TryParse(((YamlScalarNode)n).Value, out var d) ? d : throw Yml.Error(file, n, "retry delays are durations")).ToList();
        CallbackChaos? chaos = null;
        if (Yml.Get(m, "chaos") is YamlMappingNode cm)
        {
            double dup = 0;
            if (Yml.Get(cm, "duplicate") is YamlScalarNode dn && !double.TryParse(dn.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out dup))
                throw Yml.Error(file, dn, "'duplicate' is a probability 0..1");
            var delay = TimeSpan.Zero;
            if (Yml.Get(cm, "delay") is YamlScalarNode de && !Durations.TryParse(de.Value, out delay))
                throw Yml.Error(file, de, "'delay' is a duration");
            chaos = new CallbackChaos(dup, delay, Yml.Str(cm, "reorder") == "true", Yml.Str(cm, "dropFirst") == "true");
        }
        return (retry, chaos);
    }

    public static List<string> StrList(string file, YamlNode? node) => node switch
    {
        null => [],
        YamlScalarNode s => [s.Value ?? ""],
        YamlSequenceNode seq => seq.Children.Select(c => c is YamlScalarNode cs ? cs.Value ?? "" : throw Yml.Error(file, c, "expected a plain value")).ToList(),
        _ => throw Yml.Error(file, node, "expected a value or a list of values"),
    };
}
