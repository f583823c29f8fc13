using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Faults;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Tests.Engine;

/// <summary>Rule matching (predicates over request fields and facts), times, seeded probability, and rule evaluation order.</summary>
public class RuleTests
{
    static readonly IRequestView View = new JsonRequestView(JsonDocument.Parse("""
        {
          "toCity": "xxp", "adultNumber": "3", "price": 120.5, "flag": true,
          "passengers": [{"lastName": "LIU", "age": 30}, {"lastName": "Decline", "age": 7}],
          "seats": {"designator": "27C"},
          "contact": {"email": "qa@example.com"}
        }
        """).RootElement);

    static readonly Dictionary<string, List<string>> NoFacts = [];

    static bool Match(string path, string op, params string[] operands) =>
        new FieldPredicate { Path = path, Op = op, Operands = operands }.Matches(View, NoFacts);

    [Fact]
    public void Equals_is_case_insensitive_and_numeric_values_compare_as_numbers()
    {
        Assert.True(Match("toCity", "equals", "XXP"));
        Assert.False(Match("toCity", "equals", "XXQ"));
        Assert.True(Match("adultNumber", "equals", "3.0"));
        Assert.True(Match("price", "equals", "120.50"));
        Assert.True(Match("flag", "equals", "TRUE"));
        Assert.False(Match("missing", "equals", ""));
    }

    [Fact]
    public void Prefix_suffix_contains_and_regex()
    {
        Assert.True(Match("contact.email", "prefix", "QA@"));
        Assert.True(Match("contact.email", "suffix", ".COM"));
        Assert.True(Match("contact.email", "contains", "example"));
        Assert.False(Match("contact.email", "prefix", "example"));
        Assert.True(Match("contact.email", "regex", "^[a-z]+@example\\.com$"));
        Assert.False(Match("contact.email", "regex", "^QA@"));  // regex is case-sensitive
    }

    [Fact]
    public void In_and_not()
    {
        Assert.True(Match("toCity", "in", "XXN", "XXP"));
        Assert.False(Match("toCity", "in", "XXN", "XXQ"));
        Assert.True(Match("toCity", "not", "XXN"));
        Assert.False(Match("toCity", "not", "XXP"));
        Assert.True(Match("missing", "not", "anything"));
    }

    [Fact]
    public void Exists_true_and_false()
    {
        Assert.True(Match("contact.email", "exists", "true"));
        Assert.False(Match("contact.phone", "exists", "true"));
        Assert.True(Match("contact.phone", "exists", "false"));
        Assert.False(Match("contact.email", "exists", "false"));
    }

    [Fact]
    public void Gt_and_lt_compare_numbers_and_ignore_non_numbers()
    {
        Assert.True(Match("price", "gt", "100"));
        Assert.False(Match("price", "gt", "120.5"));
        Assert.True(Match("adultNumber", "lt", "4"));
        Assert.False(Match("toCity", "gt", "0"));
    }

    [Fact]
    public void Array_paths_match_when_any_element_does()
    {
        Assert.True(Match("passengers[*].lastName", "equals", "DECLINE"));
        Assert.False(Match("passengers[*].lastName", "equals", "WANG"));
        Assert.True(Match("passengers[0].lastName", "equals", "LIU"));
        Assert.False(Match("passengers[0].lastName", "equals", "DECLINE"));
        Assert.False(Match("passengers[5].lastName", "exists", "true"));
        Assert.True(Match("passengers[*].age", "lt", "12"));
        // A single object where an array is documented counts as one element.
        Assert.True(Match("seats[*].designator", "equals", "27c"));
        Assert.True(Match("PASSENGERS[*].LASTNAME", "equals", "liu"));
    }

    [Fact]
    public void Facts_override_the_request_view()
    {
        var facts = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase) { ["passengers[*].lastName"] = ["TKTFAIL"] };
        var p = new FieldPredicate { Path = "passengers[*].lastName", Op = "equals", Operands = ["TKTFAIL"] };
        Assert.True(p.Matches(View, facts));
        Assert.False(new FieldPredicate { Path = "passengers[*].lastName", Op = "equals", Operands = ["LIU"] }.Matches(View, facts));
    }

    [Fact]
    public void A_rule_matches_its_operations_and_all_its_predicates()
    {
        var rule = new Rule
        {
            Name = "r", Source = "t", Operations = ["Commit"],
            Predicates = [new FieldPredicate { Path = "toCity", Op = "equals", Operands = ["XXP"] }, new FieldPredicate { Path = "flag", Op = "equals", Operands = ["true"] }],
        };
        Assert.True(rule.Matches("commit", View, NoFacts));
        Assert.False(rule.Matches("AirPricing", View, NoFacts));
        var any = new Rule { Name = "any", Source = "t", Predicates = [new FieldPredicate { Path = "toCity", Op = "equals", Operands = ["XXQ"] }] };
        Assert.False(any.Matches("Commit", View, NoFacts));
    }

    [Fact]
    public void Times_1_fires_once_per_tenant_then_the_rule_behaves()
    {
        var rule = new Rule { Name = "once", Source = "t", Times = 1 };
        Assert.True(rule.Fires("a"));
        Assert.False(rule.Fires("a"));
        Assert.False(rule.Fires("a"));
        Assert.True(rule.Fires("b"));
        rule.ResetTenant("a");
        Assert.True(rule.Fires("a"));
    }

    static List<bool> Draws(Rule rule, string tenant, int n = 40) => Enumerable.Range(0, n).Select(_ => rule.Fires(tenant)).ToList();

    static Rule Flaky(int seed, string name = "flaky") => new() { Name = name, Source = "t", Probability = 0.5, Seed = seed };

    [Fact]
    public void The_same_seed_gives_the_same_sequence()
    {
        var a = Draws(Flaky(42), "demo");
        Assert.Equal(a, Draws(Flaky(42), "demo"));
        Assert.Contains(true, a);
        Assert.Contains(false, a);
        Assert.NotEqual(a, Draws(Flaky(43), "demo"));
        Assert.NotEqual(a, Draws(Flaky(42, "other-rule"), "demo"));
    }

    [Fact]
    public void Tenants_draw_independent_sequences()
    {
        var alone = Draws(Flaky(42), "a");
        var shared = Flaky(42);
        var interleaved = new List<bool>();
        for (var i = 0; i < 40; i++)
        {
            interleaved.Add(shared.Fires("a"));
            shared.Fires("b");
            shared.Fires("b");
        }
        Assert.Equal(alone, interleaved);
        Assert.NotEqual(alone, Draws(Flaky(42), "b"));
    }

    [Fact]
    public void Probability_0_never_fires_and_1_always_does()
    {
        Assert.DoesNotContain(true, Draws(new Rule { Name = "never", Source = "t", Probability = 0 }, "a"));
        Assert.DoesNotContain(false, Draws(new Rule { Name = "always", Source = "t", Probability = 1 }, "a"));
    }

    static OperationContext Context(Scenario scenario, string operation = "Commit") => new()
    {
        Http = new DefaultHttpContext(),
        Tenant = new Tenant { Id = "demo" },
        Supplier = "techhouse",
        Call = new SupplierCall { Operation = operation, View = View },
        Scenario = scenario,
        Uow = new UnitOfWork(null!),
        Now = DateTimeOffset.UtcNow,
    };

    static Rule R(string name, JsonObject? reply = null, string[]? tags = null, JsonObject? set = null, FaultSpec? fault = null) => new()
    {
        Name = name, Source = "t", Operations = ["Commit"], Reply = reply, Tags = tags ?? [], Set = set, Fault = fault,
    };

    [Fact]
    public void Tags_and_set_fields_accumulate_until_the_first_rule_with_a_reply_decides()
    {
        var scenario = new Scenario
        {
            Supplier = "techhouse", Name = "t", Files = [],
            Rules =
            [
                R("tag", tags: ["price-change"]),
                R("set", set: new JsonObject { ["extra"] = 1 }),
                R("decide", reply: new JsonObject { ["status"] = 1201 }),
                R("later", reply: new JsonObject { ["status"] = 2013 }),
            ],
        };
        var outcome = new RuleEngine().Evaluate(Context(scenario));

        Assert.Equal("decide", outcome.Decisive!.Name);
        Assert.Equal(1201, outcome.Reply!["status"]!.GetValue<int>());
        Assert.Equal(["price-change"], outcome.Tags);
        Assert.Equal(1, outcome.Set!["extra"]!.GetValue<int>());
        Assert.Equal(["tag", "set", "decide"], outcome.Matched);
    }

    [Fact]
    public void Ad_hoc_rules_come_before_the_scenario_rules_and_can_be_removed()
    {
        var scenario = new Scenario { Supplier = "techhouse", Name = "t", Files = [], Rules = [R("scenario", reply: new JsonObject { ["status"] = 2013 })] };
        var engine = new RuleEngine();
        var added = engine.Add("demo", "techhouse", R("ad-hoc", fault: new FaultSpec(FaultType.Http, TimeSpan.Zero, 503, FaultStage.Before)));

        Assert.Equal("ad-hoc", engine.Evaluate(Context(scenario)).Decisive!.Name);
        Assert.Single(engine.List("demo"));
        Assert.True(engine.Remove("demo", added.Id));
        Assert.False(engine.Remove("demo", added.Id));
        Assert.Equal("scenario", engine.Evaluate(Context(scenario)).Decisive!.Name);
    }

    [Fact]
    public void Rules_of_other_operations_are_not_evaluated()
    {
        var scenario = new Scenario { Supplier = "techhouse", Name = "t", Files = [], Rules = [R("commit-only", reply: new JsonObject { ["status"] = 1 })] };
        Assert.Same(RuleOutcome.None, new RuleEngine().Evaluate(Context(scenario, "GetBalance")));
    }
}
