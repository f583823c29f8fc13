using System.Text.Json.Nodes;
using Sandbox.Engine.Faults;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Engine.Scenarios;

public sealed record ScenarioError(string File, long Line, long Column, string Reason);

/// <summary>What a reload did: sets loaded, files rejected (errors), and conditions that load but can never match (warnings).</summary>
public sealed record ReloadReport(IReadOnlyList<string> Loaded, IReadOnlyList<ScenarioError> Errors, IReadOnlyList<ScenarioError> Warnings);

/// <summary>
/// All scenario sets under <c>scenarios/&lt;supplier&gt;/&lt;set&gt;.yaml</c>. A file that fails validation is
/// reported with file, line and reason and the set keeps its last good version; reload swaps sets atomically.
/// </summary>
public sealed class ScenarioCatalog(string root)
{
    readonly Dictionary<string, IScenarioVocabulary> _vocabularies = new(StringComparer.OrdinalIgnoreCase);
    volatile Dictionary<(string, string), Scenario> _sets = new();
    readonly Lock _reloadGate = new();

    public string Root { get; } = root;
    public IReadOnlyList<ScenarioError> LastErrors { get; private set; } = [];
    public IReadOnlyList<ScenarioError> LastWarnings { get; private set; } = [];

    public IReadOnlyCollection<IScenarioVocabulary> Vocabularies => _vocabularies.Values;

    public void Register(IScenarioVocabulary vocabulary) => _vocabularies[vocabulary.Supplier] = vocabulary;

    public IEnumerable<Scenario> All => _sets.Values.OrderBy(s => s.Supplier).ThenBy(s => s.Name);

    public Scenario? Find(string supplier, string set) => _sets.GetValueOrDefault((supplier.ToLowerInvariant(), set.ToLowerInvariant()));

    /// <summary>The scenario a tenant runs for a supplier; an unknown set falls back to <c>default</c>.</summary>
    public Scenario For(string supplier, string set) =>
        Find(supplier, set) ?? Find(supplier, "default")
        ?? throw new InvalidOperationException($"no default scenario for {supplier} under {Root}");

    /// <summary>Raised after every reload (the other replicas reload too).</summary>
    public event Action? Reloaded;

    public ReloadReport Reload()
    {
        var report = ReloadFiles();
        Reloaded?.Invoke();
        return report;
    }

    ReloadReport ReloadFiles()
    {
        lock (_reloadGate)
        {
            var next = new Dictionary<(string, string), Scenario>(_sets);
            var loaded = new List<string>();
            var errors = new List<ScenarioError>();
            var warnings = new List<ScenarioError>();
            foreach (var (supplier, vocab) in _vocabularies)
            {
                var dir = Path.Combine(Root, supplier);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
                {
                    var name = Path.GetFileNameWithoutExtension(file).ToLowerInvariant();
                    try
                    {
                        var partial = LoadPartial(dir, name, vocab, [], warnings);
                        if (partial.Fragment) continue;
                        next[(supplier.ToLowerInvariant(), name)] = partial.Build(supplier, name);
                        loaded.Add($"{supplier}/{name}");
                    }
                    catch (YamlLoadException e)
                    {
                        errors.Add(new ScenarioError(Relative(e.File), e.Line, e.Column, e.Reason));
                    }
                }
            }
            _sets = next;
            LastErrors = errors;
            // A file extended or included by several sets is read once per set: report each warning once.
            LastWarnings = warnings.Select(w => w with { File = Relative(w.File) }).Distinct().ToList();
            return new ReloadReport(loaded, errors, LastWarnings);
        }
    }

    string Relative(string file) => Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(Root))!, file);

    static Partial LoadPartial(string dir, string name, IScenarioVocabulary vocab, HashSet<string> stack, List<ScenarioError> warnings)
    {
        var file = Path.Combine(dir, name + ".yaml");
        if (!File.Exists(file)) throw new YamlLoadException(file, 1, 1, $"scenario '{name}' not found in {dir}");
        if (!stack.Add(name)) throw new YamlLoadException(file, 1, 1, $"'{name}' extends or includes itself");
        var root = Yml.LoadMapping(File.ReadAllText(file), file);
        ScenarioParser.CheckTopLevel(file, root);
        var supplier = Yml.Str(root, "supplier");
        if (supplier is null || !supplier.Equals(vocab.Supplier, StringComparison.OrdinalIgnoreCase))
            throw Yml.Error(file, root, $"'supplier: {vocab.Supplier}' is required in a file under scenarios/{vocab.Supplier}/");
        vocab.Validate(file, root);

        var seed = 0;
        if (Yml.Get(root, "seed") is YamlScalarNode sn && !int.TryParse(sn.Value, out seed))
            throw Yml.Error(file, sn, "'seed' must be an integer");

        // The base comes first; includes and the file itself are layered on top of it.
        var result = Yml.Str(root, "extends") is { } parent
            ? LoadPartial(dir, parent.ToLowerInvariant(), vocab, stack, warnings)
            : new Partial();
        result.Fragment = Yml.Str(root, "fragment") == "true";
        if (Yml.Get(root, "seed") is not null) result.Seed = seed;
        result.Description = Yml.Str(root, "description") ?? result.Description;

        var own = new Partial { Seed = result.Seed };
        if (Yml.Get(root, "catalog") is YamlMappingNode cat) own.Catalog = Yml.ToJsonObject(cat);
        if (Yml.Get(root, "settings") is YamlMappingNode set) own.Settings = Yml.ToJsonObject(set);
        if (Yml.Get(root, "machines") is { } machines) own.Machines = ScenarioParser.Machines(file, machines, vocab);
        if (Yml.Get(root, "rules") is { } rules) own.Rules = ScenarioParser.Rules(file, rules, vocab, result.Seed, warnings);
        own.Latency = ScenarioParser.Latency(file, Yml.Get(root, "faults"));
        (own.Retry, own.Chaos) = ScenarioParser.Callbacks(file, Yml.Get(root, "callbacks"));
        own.Files.Add(file);

        foreach (var include in ScenarioParser.StrList(file, Yml.Get(root, "include")))
        {
            var inc = LoadPartial(dir, include.ToLowerInvariant(), vocab, [.. stack], warnings);
            own.Rules.AddRange(inc.Rules);
            own.Files.AddRange(inc.Files);
            MergeCatalog(own.Catalog, inc.Catalog, concatenate: true);
            foreach (var (k, m) in inc.Machines) own.Machines.TryAdd(k, m);
        }

        result.Layer(own);
        stack.Remove(name);
        return result;
    }

    /// <summary>Child keys win; with <paramref name="concatenate"/>, lists are joined (an include adds routes, products …).</summary>
    static void MergeCatalog(JsonObject target, JsonObject source, bool concatenate)
    {
        foreach (var (k, v) in source)
        {
            if (v is null) continue;
            if (target[k] is JsonObject to && v is JsonObject so) MergeCatalog(to, so, concatenate);
            else if (concatenate && target[k] is JsonArray ta && v is JsonArray sa)
                foreach (var item in sa) ta.Add(item?.DeepClone());
            else if (!target.ContainsKey(k) || !concatenate) target[k] = v.DeepClone();
        }
    }

    sealed class Partial
    {
        public bool Fragment;
        public int Seed;
        public string? Description;
        public JsonObject Catalog = [];
        public JsonObject Settings = [];
        public Dictionary<string, MachineDefinition> Machines = new(StringComparer.OrdinalIgnoreCase);
        public List<Rule> Rules = [];
        public LatencyProfile? Latency;
        public IReadOnlyList<TimeSpan>? Retry;
        public CallbackChaos? Chaos;
        public List<string> Files = [];

        /// <summary>Puts a more specific layer on top: its rules are tried first, its keys win.</summary>
        public void Layer(Partial top)
        {
            MergeCatalog(Catalog, top.Catalog, concatenate: false);
            MergeCatalog(Settings, top.Settings, concatenate: false);
            foreach (var (k, m) in top.Machines) Machines[k] = m;
            Rules = [.. top.Rules, .. Rules];
            Latency = top.Latency ?? Latency;
            Retry = top.Retry ?? Retry;
            Chaos = top.Chaos ?? Chaos;
            Files = [.. top.Files, .. Files];
        }

        public Scenario Build(string supplier, string name)
        {
            var ordered = Rules.Select((r, i) => new Rule
            {
                Name = r.Name, Description = r.Description, Source = r.Source, Order = i, Operations = r.Operations,
                Predicates = r.Predicates, Times = r.Times, Probability = r.Probability, Seed = Seed, Reply = r.Reply,
                Set = r.Set, Fault = r.Fault, Tags = r.Tags,
            }).ToList();
            return new Scenario
            {
                Supplier = supplier.ToLowerInvariant(),
                Name = name,
                Files = Files.Distinct().ToList(),
                Description = Description,
                Seed = Seed,
                Catalog = Catalog,
                Settings = Settings,
                Machines = Machines,
                Rules = ordered,
                Latency = Latency,
                Chaos = Chaos ?? CallbackChaos.None,
                RetrySchedule = Retry,
            };
        }
    }
}
