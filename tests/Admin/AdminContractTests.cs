using System.Net;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Admin;

/// <summary>
/// The admin API's shapes: errors as problem details that keep the former <c>error</c> member, 201 with a Location for
/// creation, response types the OpenAPI description shows, and modules' admin endpoints behind the same token check.
/// </summary>
public sealed class AdminContractTests : IAsyncLifetime
{
    SandboxHost _host = null!;

    public async Task InitializeAsync() => _host = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    static string Str(JsonNode? node) => node!.GetValue<string>();

    [Theory]
    [InlineData("GET", "/tenants/nobody", 404)]
    [InlineData("GET", "/tenants/nobody/clock", 404)]
    [InlineData("DELETE", "/tenants/demo/faults/none", 404)]
    [InlineData("GET", "/callbacks/424242", 404)]
    [InlineData("POST", "/tenants/demo/bpt/orders/none/explode", 404)]
    [InlineData("POST", "/tenants/nobody/yobaoxing/counter-collect", 404)]
    public async Task Errors_are_problem_details_with_the_message_in_detail_and_error(string method, string path, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/admin/api" + path);
        if (method == "POST") request.Content = new StringContent("{\"orderid\": \"x\"}", System.Text.Encoding.UTF8, "application/json");
        using var response = await _host.Http.SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.Equal("Not Found", Str(problem["title"]));
        Assert.False(string.IsNullOrEmpty(Str(problem["detail"])));
        Assert.Equal(Str(problem["detail"]), Str(problem["error"]));
    }

    [Fact]
    public async Task A_conflict_carries_the_suppliers_result_code_beside_the_message()
    {
        var (status, body) = await _host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/account", new { deposit = -1e12m });

        Assert.Equal(409, status);
        Assert.Equal("Conflict", Str(body!["title"]));
        Assert.Equal("a debit exceeds the balance", Str(body["error"]));
        Assert.NotNull(body["deposit"]);
    }

    [Fact]
    public async Task Creating_a_tenant_is_201_with_its_location()
    {
        using var response = await _host.Http.PostAsync("/admin/api/tenants",
            new StringContent("{\"id\": \"located\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/admin/api/tenants/located", response.Headers.Location?.OriginalString);
        Assert.Equal("located", Str(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]));
    }

    [Fact]
    public async Task The_OpenAPI_description_shows_each_areas_response_types()
    {
        var paths = JsonNode.Parse(await _host.Http.GetStringAsync("/openapi/v1.json"))!["paths"]!;

        var create = paths["/admin/api/tenants"]!["post"]!["responses"]!.AsObject();
        Assert.Equal(["201", "400", "409"], create.Select(r => r.Key).Order());
        var notFound = paths["/admin/api/tenants/{tenant}"]!["get"]!["responses"]!["404"]!.ToJsonString();
        Assert.Contains("ProblemDetails", notFound);
        Assert.Contains("200", paths["/admin/api/tenants/{tenant}/clock/advance"]!["post"]!["responses"]!.AsObject().Select(r => r.Key));
        Assert.Equal(["200", "422"], paths["/admin/api/scenarios/reload"]!["post"]!["responses"]!.AsObject().Select(r => r.Key).Order());
        Assert.NotNull(paths["/admin/api/tenants/{tenant}/yobaoxing/gate-check"]);
        Assert.NotNull(paths["/admin/api/tenants/{tenant}/bpt/pnrs"]);
    }

    [Theory]
    [InlineData("GET", "/admin/api/tenants/demo/bpt/pnrs")]
    [InlineData("POST", "/admin/api/tenants/demo/yobaoxing/account")]
    [InlineData("GET", "/admin/api/tenants/demo/messages")]
    public async Task A_modules_admin_endpoints_need_the_admin_token_like_the_rest(string method, string path)
    {
        await using var host = await SandboxHost.StartAsync(adminToken: "t0ken");
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var refused = await anonymous.SendAsync(request);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("admin token required", Str(problem["error"]));

        using var allowed = await host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null,
        });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public void No_supplier_module_reaches_into_the_admin_API()
    {
        var suppliers = Path.Combine(RepoPaths.Root, "sim", "Suppliers");
        var offenders = Directory.EnumerateFiles(suppliers, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("Sandbox.Admin", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .ToList();
        Assert.Empty(offenders);
    }
}
