using System.Text.Json.Nodes;
using Sandbox.Suppliers.TechHouse.Protocol;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Docs;

/// <summary>
/// /openapi/v1.json describes the product: request schemas, 201 for creations, the bearer scheme, optional fields
/// optional, the TechHouse actions and the TOP gateway's methods; /docs serves the reference page without a CDN; the
/// scenario schema the server serves is the one the repository ships.
/// </summary>
public sealed class ApiDescriptionTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    JsonObject _doc = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _doc = JsonNode.Parse(await _host.Http.GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    JsonObject Operation(string path, string method) => _doc["paths"]![path]![method]!.AsObject();

    JsonObject Schema(JsonNode? node)
    {
        var r = node!["$ref"]?.GetValue<string>();
        return r is null ? node.AsObject() : _doc["components"]!["schemas"]![r["#/components/schemas/".Length..]]!.AsObject();
    }

    static List<string> Names(JsonNode? array) => array?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];

    [Fact]
    public void Creating_a_tenant_and_a_fault_answers_201_and_has_a_request_schema()
    {
        foreach (var path in new[] { "/admin/api/tenants", "/admin/api/tenants/{tenant}/faults" })
        {
            var op = Operation(path, "post");
            Assert.NotNull(op["responses"]!["201"]);
            Assert.Null(op["responses"]!["200"]);
            Assert.NotEmpty(Schema(op["requestBody"]!["content"]!["application/json"]!["schema"])["properties"]!.AsObject());
        }
        Assert.Contains("id", Schema(Operation("/admin/api/tenants", "post")["requestBody"]!["content"]!["application/json"]!["schema"])["properties"]!.AsObject()
            .Select(p => p.Key));
    }

    [Fact]
    public void No_admin_operation_is_a_bare_200_and_module_ones_say_their_refusals()
    {
        var bare = new List<string>();
        foreach (var (path, item) in _doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                if (!path.StartsWith("/admin/api", StringComparison.Ordinal) || op!["responses"] is not JsonObject responses) continue;
                if (responses.Count == 1 && responses["200"] is JsonObject ok && ok["content"] is null) bare.Add($"{method} {path}");
            }
        Assert.True(bare.Count == 0, "bare 200: " + string.Join(", ", bare));
        var calls = Operation("/admin/api/tenants/{tenant}/fliggybus/orders/{id}/{action}", "post")["responses"]!.AsObject();
        Assert.NotNull(calls["200"]!["content"]!["application/json"]);
        Assert.NotNull(calls["409"]!["content"]!["application/problem+json"]);
    }

    [Fact]
    public void Admin_operations_need_the_bearer_scheme_and_supplier_ones_do_not()
    {
        var scheme = _doc["components"]!["securitySchemes"]!["adminToken"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        foreach (var (path, item) in _doc["paths"]!.AsObject())
        foreach (var (_, op) in item!.AsObject())
        {
            var security = op!["security"]?.AsArray();
            if (path.StartsWith("/admin/api", StringComparison.Ordinal))
                Assert.True(security is [JsonObject s] && s.ContainsKey("adminToken"), $"{path} lacks the bearer requirement");
            else
                Assert.Null(security);
        }
    }

    [Fact]
    public void Optional_fields_are_not_required()
    {
        var transition = Schema(Operation("/admin/api/tenants/{tenant}/orders/{id}/transition", "post")["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.Equal(["to"], Names(transition["required"]));
        var fault = Schema(Operation("/admin/api/tenants/{tenant}/faults", "post")["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.DoesNotContain("seed", Names(fault["required"]));
        Assert.Contains("supplier", Names(fault["required"]));
    }

    [Fact]
    public void Every_TechHouse_action_has_its_request_and_reply_schema_on_its_path()
    {
        foreach (var action in ActionShapes.All)
        {
            var op = Operation(action.Path, "post");
            var requests = op["requestBody"]!["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray().Select(Schema).ToList();
            var envelope = requests.Single(r => r["properties"]!["action"]!["const"]?.GetValue<string>() == action.Name);
            Assert.Equal(["action", "key", "request", "signature", "timestamp"], Names(envelope["required"]).Order());
            var request = envelope["properties"]!["request"]!.AsObject();
            foreach (var field in action.Request)
                Assert.True(request["properties"]![field.Name] is not null, $"{action.Name}.request.{field.Name}");
            var replies = op["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray().Select(Schema).ToList();
            Assert.Contains(replies, r => r["description"]!.GetValue<string>() == $"{action.Name} reply" && r["properties"]!["status"] is not null);
        }
        var search = Schema(_doc["components"]!["schemas"]!["TechHouseLowFareSearchRequest"])["properties"]!["request"]!;
        Assert.Equal(["fromCity", "fromDate", "toCity", "tripType"], Names(search["required"]).Order());
    }

    [Fact]
    public void The_TOP_gateway_lists_system_parameters_and_each_alitrip_flight_method_with_its_business_parameters()
    {
        var forms = Operation("/router/rest", "post")["requestBody"]!["content"]!["application/x-www-form-urlencoded"]!["schema"]!["oneOf"]!
            .AsArray().Select(Schema).ToList();
        var byMethod = forms.ToDictionary(f => f["properties"]!["method"]!["const"]!.GetValue<string>());
        Assert.Equal(15, byMethod.Keys.Count(k => k.StartsWith("alitrip.flight.", StringComparison.Ordinal)));
        Assert.Contains("taobao.tmc.messages.consume", byMethod.Keys);
        var pay = byMethod["alitrip.flight.service.pay"];
        Assert.Equal(["app_key", "method", "order_id", "session", "sign", "timestamp", "total_price", "v"], Names(pay["required"]).Order());
        foreach (var system in new[] { "format", "sign_method", "simplify" })
            Assert.NotNull(pay["properties"]![system]);
        Assert.Null(pay["properties"]!["app_key"]!["const"]);
        var search = byMethod["alitrip.flight.service.search"]["properties"]!["search_flight_info_req"]!;
        Assert.Equal("application/json", search["contentMediaType"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_reference_page_is_served_with_its_own_script()
    {
        var html = await _host.Http.GetStringAsync("/docs/");
        Assert.Contains("scalar", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_served_scenario_schema_is_the_one_the_repository_ships()
    {
        var served = await _host.AdminGet("/scenarios/schema");
        var actual = Sandbox.Engine.Scenarios.ScenarioSchema.ToText(served!.AsObject());
        var path = Path.Combine(RepoPaths.Scenarios, "scenario.schema.json");
        var expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual != expected) File.WriteAllText(Path.Combine(RepoPaths.Scenarios, "scenario.schema.received.json"), actual);
        Assert.True(actual == expected,
            "scenarios/scenario.schema.json differs from what the server generates: review scenarios/scenario.schema.received.json and move it over the file");
    }
}
