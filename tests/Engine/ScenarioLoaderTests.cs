using Sandbox.Engine.Scenarios;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Tests.Engine;

/// <summary>
/// Loading scenario sets with a stand-in supplier vocabulary: merging of extends and include, and validation
/// errors that name the file, line, column and reason.
/// </summary>
public sealed class ScenarioLoaderTests : IDisposable
{
    sealed class Acme : IScenarioVocabulary
    {
        public string Supplier => "acme";
        public IReadOnlyCollection<string> Operations => ["Search", "Book", "Cancel"];
        public IReadOnlyCollection<string> Callbacks => ["Notify"];
        public IReadOnlyCollection<string> MachineKinds => ["order"];
        public void Validate(string file, YamlMappingNode root) { }
    }

    readonly string _root = Path.Combine(Path.GetTempPath(), "sandbox-loader-tests", Guid.NewGuid().ToString("N"), "scenarios");

    public ScenarioLoaderTests() => Directory.CreateDirectory(Path.Combine(_root, "acme"));

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, true);

    void Write(string name, string yaml) => File.WriteAllText(Path.Combine(_root, "acme", name + ".yaml"), yaml.ReplaceLineEndings("\n"));

    (ScenarioCatalog Catalog, ReloadReport Report) Load()
    {
        var catalog = new ScenarioCatalog(_root);
        catalog.Register(new Acme());
        return (catalog, catalog.Reload());
    }

    const string Valid = """
        supplier: acme
        description: valid set
        seed: 7
        settings: {ticketing: PT2M, lenient: true}
        catalog: {routes: [{from: AAA, to: BBB}], currency: CNY}
        machines:
          order:
            initial: NEW
            transitions:
              - {from: NEW, to: PAID, on: Book, emit: Notify}
              - {from: PAID, to: DONE, after: 2m, unless: [slow]}
        rules:
          - name: decline
            description: "Book with name DECLINE"
            when: {operation: Book, "passengers[*].name": DECLINE}
            reply: {status: 1201, msg: no money}
          - name: flaky
            when: {operation: [Search, Cancel]}
            fault: {type: http, status: 502}
            probability: 0.25
            times: 3
        faults:
          latency: {median: 5ms, p99: 20ms}
        callbacks:
          retry: [1m, 5m]
          chaos: {duplicate: 0.5, dropFirst: true}
        """;

    [Fact]
    public void A_valid_set_loads_with_every_section()
    {
        Write("default", Valid);
        var (catalog, report) = Load();

        Assert.Empty(report.Errors);
        Assert.Equal(["acme/default"], report.Loaded);
        var s = catalog.Find("acme", "default")!;
        Assert.Equal("valid set", s.Description);
        Assert.Equal(7, s.Seed);
        Assert.Equal("PT2M", s.SettingString("ticketing"));
        Assert.Equal("CNY", s.Catalog["currency"]!.GetValue<string>());
        var machine = s.Machines["order"];
        Assert.Equal("NEW", machine.Initial);
        Assert.Equal(["DONE", "NEW", "PAID"], machine.States.Order());
        Assert.Equal(TimeSpan.FromMinutes(2), machine.Transitions[1].After);
        Assert.Equal(["decline", "flaky"], s.Rules.Select(r => r.Name));
        Assert.Equal(["Search", "Cancel"], s.Rules[1].Operations);
        Assert.Equal(0.25, s.Rules[1].Probability);
        Assert.Equal(3, s.Rules[1].Times);
        Assert.Equal(502, s.Rules[1].Fault!.HttpStatus);
        Assert.Equal(TimeSpan.FromMilliseconds(5), s.Latency!.Median);
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)], s.RetrySchedule);
        Assert.True(s.Chaos.DropFirst);
        Assert.Equal(0.5, s.Chaos.Duplicate);
        Assert.Same(s, catalog.For("acme", "no-such-set"));
    }

    [Fact]
    public void Extends_puts_the_child_rules_first_and_lets_the_child_keys_win()
    {
        Write("base", """
            supplier: acme
            seed: 7
            settings: {a: 1, b: 2}
            catalog: {routes: [{from: AAA}], currency: CNY}
            machines:
              order: {initial: NEW, transitions: [{from: NEW, to: DONE, after: 1m}]}
            rules:
              - {name: base-rule, when: {operation: Search}, reply: {status: 1}}
            """);
        Write("child", """
            supplier: acme
            extends: base
            settings: {b: 3}
            catalog: {routes: [{from: BBB}]}
            rules:
              - {name: child-rule, when: {operation: Search}, reply: {status: 2}}
            """);
        var (catalog, report) = Load();

        Assert.Empty(report.Errors);
        var child = catalog.Find("acme", "child")!;
        Assert.Equal(["child-rule", "base-rule"], child.Rules.Select(r => r.Name));
        Assert.Equal([0, 1], child.Rules.Select(r => r.Order));
        Assert.Equal(1, child.Settings["a"]!.GetValue<long>());
        Assert.Equal(3, child.Settings["b"]!.GetValue<long>());
        Assert.Equal("BBB", child.Catalog["routes"]!.AsArray().Single()!["from"]!.GetValue<string>());
        Assert.Equal("CNY", child.Catalog["currency"]!.GetValue<string>());
        Assert.Equal(7, child.Seed);
        Assert.Equal("DONE", child.Machines["order"].Transitions.Single().To);
        Assert.Equal(["child.yaml", "base.yaml"], child.Files.Select(Path.GetFileName));
        Assert.Equal(["base-rule"], catalog.Find("acme", "base")!.Rules.Select(r => r.Name));
    }

    [Fact]
    public void Include_appends_rules_and_concatenates_catalogue_lists_and_fragments_are_not_sets()
    {
        Write("main", """
            supplier: acme
            include: [extra]
            catalog: {routes: [{from: AAA}]}
            rules:
              - {name: own, when: {operation: Book}, tags: [x]}
            """);
        Write("extra", """
            supplier: acme
            fragment: true
            catalog: {routes: [{from: XXX}]}
            machines:
              order: {initial: NEW, transitions: [{from: NEW, to: DONE, on: Book}]}
            rules:
              - {name: included, when: {operation: Search, city: XXX}, reply: {status: 2010}}
            """);
        var (catalog, report) = Load();

        Assert.Empty(report.Errors);
        Assert.Equal(["acme/main"], report.Loaded);
        Assert.Null(catalog.Find("acme", "extra"));
        var main = catalog.Find("acme", "main")!;
        Assert.Equal(["own", "included"], main.Rules.Select(r => r.Name));
        Assert.Equal(["AAA", "XXX"], main.Catalog["routes"]!.AsArray().Select(r => r!["from"]!.GetValue<string>()));
        Assert.Equal("Book", main.Machines["order"].Transitions.Single().On);
        Assert.Equal(["main.yaml", "extra.yaml"], main.Files.Select(Path.GetFileName));
    }

    public static TheoryData<string, string, int, int, string> Broken => new()
    {
        { "bad YAML syntax", "supplier: acme\nrules: [\n  {name: x\n", 4, 1, "" },
        { "unknown top-level key", "supplier: acme\ncolour: blue\n", 2, 1, "unknown key 'colour'" },
        { "unknown operation", "supplier: acme\nrules:\n  - when: {operation: Fly}\n    reply: {status: 1}\n", 3, 23, "'Fly' is not an operation of acme" },
        { "unknown emit", "supplier: acme\nmachines:\n  order:\n    initial: NEW\n    transitions:\n      - {from: NEW, to: DONE, after: 1m, emit: Shout}\n", 6, 48, "'Shout' is not a callback of acme" },
        { "bad duration", "supplier: acme\nmachines:\n  order:\n    initial: NEW\n    transitions:\n      - {from: NEW, to: DONE, after: soon}\n", 6, 38, "'soon' is not a duration" },
        { "transition with both on and after", "supplier: acme\nmachines:\n  order:\n    initial: NEW\n    transitions:\n      - {from: NEW, to: DONE, on: Book, after: 1m}\n", 6, 9, "exactly one of 'on'" },
        { "transition with neither on nor after", "supplier: acme\nmachines:\n  order:\n    initial: NEW\n    transitions:\n      - {from: NEW, to: DONE}\n", 6, 9, "exactly one of 'on'" },
        { "bad fault type", "supplier: acme\nrules:\n  - when: {operation: Book}\n    fault: explode\n", 4, 12, "unknown fault 'explode'" },
        { "bad probability", "supplier: acme\nrules:\n  - when: {operation: Book}\n    reply: {status: 1}\n    probability: 1.5\n", 5, 18, "'probability' must be a number between 0 and 1" },
        { "missing supplier", "description: no supplier\nrules: []\n", 1, 1, "'supplier: acme' is required" },
        { "another supplier", "supplier: techhouse\n", 1, 1, "'supplier: acme' is required" },
        { "unknown machine kind", "supplier: acme\nmachines:\n  ticket: {initial: NEW, transitions: []}\n", 3, 3, "'ticket' is not an entity kind of acme" },
        { "unknown operator", "supplier: acme\nrules:\n  - when: {operation: Book, name: {startswith: A}}\n    reply: {status: 1}\n", 3, 36, "unknown operator 'startswith'" },
        { "rule without effect", "supplier: acme\nrules:\n  - when: {operation: Book}\n", 3, 5, "a rule needs an effect" },
        { "extends a missing set", "supplier: acme\nextends: nowhere\n", 1, 1, "scenario 'nowhere' not found" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_file_is_reported_with_file_line_column_and_reason(string what, string yaml, int line, int column, string reason)
    {
        Write("good", "supplier: acme\n");
        Write("broken", yaml);
        var (catalog, report) = Load();

        var error = Assert.Single(report.Errors);
        Assert.True(error.File.EndsWith(Path.Combine("acme", what == "extends a missing set" ? "nowhere.yaml" : "broken.yaml")), error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Reason);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.Null(catalog.Find("acme", "broken"));
        Assert.NotNull(catalog.Find("acme", "good"));
    }

    [Fact]
    public void A_set_that_breaks_on_reload_keeps_its_last_good_version()
    {
        Write("default", Valid);
        var (catalog, _) = Load();
        var good = catalog.Find("acme", "default")!;
        Write("default", "supplier: acme\ncolour: blue\n");

        var report = catalog.Reload();
        Assert.Single(report.Errors);
        Assert.Same(good, catalog.Find("acme", "default"));
        Assert.Equal(report.Errors, catalog.LastErrors);

        Write("default", "supplier: acme\ndescription: fixed\n");
        Assert.Empty(catalog.Reload().Errors);
        Assert.Equal("fixed", catalog.Find("acme", "default")!.Description);
        Assert.Empty(catalog.LastErrors);
    }

    [Fact]
    public void A_set_that_extends_itself_is_an_error()
    {
        Write("loop", "supplier: acme\nextends: loop\n");
        var (_, report) = Load();
        Assert.Contains("extends or includes itself", Assert.Single(report.Errors).Reason);
    }
}
