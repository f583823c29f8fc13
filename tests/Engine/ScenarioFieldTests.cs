using System.Text.Json.Nodes;
using Json.Schema;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Yaml;
using Sandbox.Suppliers.TechHouse.Protocol;
using Sandbox.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Tests.Engine;

/// <summary>
/// A field a rule names but the operation does not document can never match: the loader warns with file:line and the
/// operation's known fields, and the JSON Schema editors use flags it too. Uses its own scenario folder only.
/// </summary>
public sealed class ScenarioFieldTests : IDisposable
{
    /// <summary>The TechHouse vocabulary as the module declares it (operations and their documented fields).</summary>
    sealed class TechHouseLike : IScenarioVocabulary
    {
        public string Supplier => "techhouse";
        public IReadOnlyCollection<string> Operations => ActionShapes.All.Select(a => a.Name).ToList();
        public IReadOnlyCollection<string> Callbacks => ["SyncOrderStatus"];
        public IReadOnlyCollection<string> MachineKinds => ["order"];
        public void Validate(string file, YamlMappingNode root) { }
        public IReadOnlyCollection<string>? FieldsOf(string operation) => ActionShapes.FieldsOf(operation);
    }

    /// <summary>A module that lists no fields: nothing is checked.</summary>
    sealed class Unlisted : IScenarioVocabulary
    {
        public string Supplier => "acme";
        public IReadOnlyCollection<string> Operations => ["Book"];
        public IReadOnlyCollection<string> Callbacks => [];
        public IReadOnlyCollection<string> MachineKinds => ["order"];
        public void Validate(string file, YamlMappingNode root) { }
    }

    readonly string _root = Path.Combine(Path.GetTempPath(), "sandbox-field-tests", Guid.NewGuid().ToString("N"), "scenarios");

    public ScenarioFieldTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "techhouse"));
        Directory.CreateDirectory(Path.Combine(_root, "acme"));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, true);

    void Write(string supplier, string name, string yaml) => File.WriteAllText(Path.Combine(_root, supplier, name + ".yaml"), yaml.ReplaceLineEndings("\n"));

    ReloadReport Load()
    {
        var catalog = new ScenarioCatalog(_root);
        catalog.Register(new TechHouseLike());
        catalog.Register(new Unlisted());
        return catalog.Reload();
    }

    const string Typo = """
        supplier: techhouse
        rules:
          - name: stansted
            when: {operation: LowFareSearch, fromCtiy: STN}
            fault: timeout
        """;

    [Fact]
    public void A_misspelt_field_is_a_warning_with_file_line_and_the_operations_fields()
    {
        Write("techhouse", "qa", Typo);
        var report = Load();

        Assert.Contains("techhouse/qa", report.Loaded);
        Assert.Empty(report.Errors);
        var w = Assert.Single(report.Warnings);
        Assert.Equal(Path.Combine("scenarios", "techhouse", "qa.yaml"), w.File);
        Assert.Equal(4, w.Line);
        Assert.Contains("'fromCtiy' is not a field of LowFareSearch", w.Reason);
        Assert.Contains("fromCity", w.Reason);
        Assert.Contains("retDate", w.Reason);
    }

    [Theory]
    [InlineData("{operation: LowFareSearch, fromCity: STN}")]
    [InlineData("{operation: LowFareSearch, FROMCITY: STN}")]
    [InlineData("{operation: Commit, \"passengers[*].lastName\": DECLINE}")]
    [InlineData("{operation: SetPassengers, \"passengers[0].cardNum\": X}")]
    [InlineData("{operation: SetPassengers, passengers: X}")]
    [InlineData("{operation: [AirPricing, Commit], toCity: XXP}")]
    [InlineData("{\"passengers[*].lastName\": HTTP503}")]
    public void Documented_fields_and_facts_give_no_warning(string when)
    {
        Write("techhouse", "qa", $"supplier: techhouse\nrules:\n  - when: {when}\n    fault: reset\n");
        Assert.Empty(Load().Warnings);
    }

    [Fact]
    public void A_field_no_operation_of_a_wildcard_rule_has_is_a_warning()
    {
        Write("techhouse", "qa", "supplier: techhouse\nrules:\n  - when: {\"passengers[*].lastNmae\": X}\n    fault: reset\n");
        var w = Assert.Single(Load().Warnings);
        Assert.Contains("any operation of techhouse", w.Reason);
    }

    [Fact]
    public void A_module_that_lists_no_fields_is_not_checked()
    {
        Write("acme", "default", "supplier: acme\nrules:\n  - when: {operation: Book, anything: X}\n    fault: reset\n");
        Assert.Empty(Load().Warnings);
    }

    [Fact]
    public void The_magic_value_source_names_the_supplier_folder()
    {
        Write("techhouse", "qa", "supplier: techhouse\nrules:\n  - name: decline\n    when: {operation: Commit, \"passengers[*].lastName\": DECLINE}\n    reply: {status: 1201}\n");
        var catalog = new ScenarioCatalog(_root);
        catalog.Register(new TechHouseLike());
        catalog.Reload();
        var rule = Assert.Single(catalog.Find("techhouse", "qa")!.Rules);
        Assert.Equal("techhouse/qa.yaml:3", rule.Source);
    }

    static JsonSchema Schema() => JsonSchema.FromText(ScenarioSchema.Build([new TechHouseLike(), new Unlisted()]).ToJsonString());

    static System.Text.Json.JsonElement Json(string yaml) =>
        System.Text.Json.JsonSerializer.SerializeToElement(Yml.ToJson(Yml.LoadMapping(yaml.ReplaceLineEndings("\n"), "test.yaml")));

    [Fact]
    public void The_json_schema_flags_the_misspelt_field_and_accepts_the_right_one()
    {
        var schema = Schema();
        Assert.False(schema.Evaluate(Json(Typo)).IsValid);
        Assert.True(schema.Evaluate(Json(Typo.Replace("fromCtiy", "fromCity"))).IsValid);
    }

    [Theory]
    [InlineData("supplier: techhouse\nmachines: {order: {initial: A, transitions: [{from: A, to: B, on: Comit}]}}")]
    [InlineData("supplier: techhouse\nrules: [{when: {operation: Comit}, fault: reset}]")]
    [InlineData("supplier: techhouse\nrules: [{when: {operation: Commit}}]")]
    [InlineData("supplier: techhouse\nrules: [{when: {operation: Commit}, fault: explode}]")]
    [InlineData("supplier: techhouse\nsetings: {}")]
    [InlineData("supplier: nobody")]
    public void The_json_schema_rejects_what_the_loader_rejects(string yaml) => Assert.False(Schema().Evaluate(Json(yaml)).IsValid);

    [Fact]
    public void The_shipped_scenario_files_are_valid_against_the_repository_schema()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Scenarios, "scenario.schema.json"));
        var schema = JsonSchema.FromText(text);
        // The suppliers the server registers; a folder of a module still being built is not described yet.
        var suppliers = JsonNode.Parse(text)!["properties"]!["supplier"]!["enum"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Contains("techhouse", suppliers);
        foreach (var file in suppliers.SelectMany(s => Directory.GetFiles(Path.Combine(RepoPaths.Scenarios, s), "*.yaml")))
        {
            var result = schema.Evaluate(Json(File.ReadAllText(file)), new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{file}: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}")).Take(5)));
        }
    }
}
