using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Engine;

/// <summary>Scenario changes on a running server: reload through the admin API and per-tenant set selection.</summary>
public class ScenarioReloadTests : TechHouseTest
{
    string DefaultFile => Path.Combine(Host.ScenariosPath, "techhouse", "default.yaml");

    [Fact]
    public async Task A_broken_reload_is_422_with_located_errors_and_the_last_good_set_keeps_serving()
    {
        var good = await File.ReadAllTextAsync(DefaultFile);
        await File.WriteAllTextAsync(DefaultFile, good + "\ncolour: blue\n");

        var (status, body) = await Host.AdminSend(HttpMethod.Post, "/scenarios/reload");
        Assert.Equal(422, status);
        // default.yaml is reported for itself and for instant.yaml, which extends it.
        var errors = body!["errors"]!.AsArray();
        Assert.Equal(2, errors.Count);
        foreach (var error in errors)
        {
            Assert.EndsWith(Path.Combine("techhouse", "default.yaml"), Str(error!["file"]));
            Assert.Equal(good.Split('\n').Length + 1, error["line"]!.GetValue<int>());
            Assert.Equal(1, error["column"]!.GetValue<int>());
            Assert.Contains("unknown key 'colour'", Str(error["reason"]));
        }
        var listed = await Host.AdminGet("/scenarios");
        Assert.Equal(2, listed!["errors"]!.AsArray().Count);

        // Requests are still served by the last good default set.
        AssertSuccess(await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "SHA", TechHouseClient.FutureDate())));
        AssertError(2011, await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "XXN", TechHouseClient.FutureDate())));
    }

    [Fact]
    public async Task A_fixed_file_is_picked_up_by_reload_without_a_restart()
    {
        var good = await File.ReadAllTextAsync(DefaultFile);
        await File.WriteAllTextAsync(DefaultFile, good + "\ncolour: blue\n");
        Assert.Equal(422, (await Host.AdminSend(HttpMethod.Post, "/scenarios/reload")).Status);
        AssertSuccess(await Client.Call("GetBalance", new JsonObject()));

        await File.WriteAllTextAsync(DefaultFile, good + """

            rules:
              - name: maintenance
                description: GetBalance is down for maintenance
                when: {operation: GetBalance}
                reply: {status: 1005, msg: maintenance}
            """);
        var (status, body) = await Host.AdminSend(HttpMethod.Post, "/scenarios/reload");
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Empty(body!["errors"]!.AsArray());
        Assert.Contains("techhouse/default", body["loaded"]!.AsArray().Select(x => Str(x)));

        var reply = await Client.Call("GetBalance", new JsonObject());
        AssertError(1005, reply);
        Assert.Equal("maintenance", Str(reply["msg"]));
        Assert.Empty((await Host.AdminGet("/scenarios"))!["errors"]!.AsArray());
        // The included failure catalogue is still there, after the file's own rule.
        AssertError(2011, await Client.Call("LowFareSearch", TechHouseClient.SearchRequest("PEK", "XXN", TechHouseClient.FutureDate())));
    }

    [Fact]
    public async Task A_tenant_selecting_the_instant_set_gets_orders_ticketed_at_once()
    {
        var pending = await Client.BookAsync();
        Assert.Equal("PENDING", Str((await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = Str(pending["orderNo"]) }))["orderStatus"]));

        await Host.UseScenarioAsync("instant");
        Assert.Equal("instant", Str((await Host.AdminGet("/tenants/demo"))!["scenarios"]!["techhouse"]));
        var instant = await Client.BookAsync("WANG");

        Assert.Equal("TICKETED", Str((await Client.Call("GetOrderDetail", new JsonObject { ["orderno"] = Str(instant["orderNo"]) }))["orderStatus"]));
    }

    [Fact]
    public async Task Selecting_a_set_that_does_not_exist_is_400()
    {
        var (status, body) = await Host.AdminSend(HttpMethod.Put, "/tenants/demo/scenario", new { supplier = "techhouse", set = "nosuchset" });
        Assert.Equal(400, status);
        Assert.Contains("nosuchset", Str(body!["error"]));
        Assert.Equal("default", Str((await Host.AdminGet("/tenants/demo"))!["scenarios"]!["techhouse"]));
    }

    [Fact]
    public async Task A_new_set_written_at_runtime_can_be_selected_after_a_reload()
    {
        await Host.WriteScenarioAsync("lenient", """
            supplier: techhouse
            description: Commit without SetPaymentToBooking pays with AG
            extends: default
            settings:
              lenientPayment: true
            """);
        var (_, sessionId) = await Client.WithPassengersAsync();
        AssertError(2301, await Client.CommitAsync(sessionId));

        await Host.UseScenarioAsync("lenient");
        AssertSuccess(await Client.CommitAsync(sessionId));
    }
}
