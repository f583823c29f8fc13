using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// The simulated customers' and the call log's admin endpoints with bad input (problem details, never a 500), the
/// conformance run against the tenant's operator, and the scheduled bookings of the shipped <c>traffic</c> scenario.
/// </summary>
public sealed class BusAdminTests : BusLoop
{
    [Fact]
    public async Task Bad_requests_get_problem_details_that_say_what_is_wrong()
    {
        async Task Expect(HttpMethod method, string path, object? body, int status, string words)
        {
            var (got, reply) = await Host.AdminSend(method, path, body);
            Assert.True(got == status, $"{method} {path}: {got} {reply}");
            Assert.Contains(words, reply!["detail"]!.ToString());
        }

        const string orders = $"/tenants/{Tenant}/fliggybus/orders";
        await Expect(HttpMethod.Post, orders, new { scheduleId = "X" }, 400, "passengers");
        await Expect(HttpMethod.Post, orders, new { passengers = Array.Empty<object>() }, 400, "scheduleId");
        await Expect(HttpMethod.Post, orders, new { scheduleId = "NOPE", passengers = new[] { new { name = "a", certNo = "1" } } }, 404, "sync it first");
        await SyncAsync();
        var schedule = Schedule(5);
        await Expect(HttpMethod.Post, orders, new { scheduleId = schedule, passengers = Array.Empty<object>(), contactName = "a", contactPhone = "13900000000" }, 400,
            "1 to 5 passengers");
        await Expect(HttpMethod.Post, orders,
            new { scheduleId = schedule, passengers = new[] { new { name = "a", certType = "9", certNo = "1" } }, contactName = "a", contactPhone = "13900000000" }, 400,
            "certType");
        await Expect(HttpMethod.Post, orders,
            new { scheduleId = schedule, passengers = new[] { new { name = "a", certNo = "1" } }, contactName = "a", contactPhone = "139" }, 400, "contactPhone");
        await Expect(HttpMethod.Post, orders,
            new { scheduleId = schedule, fromStationCode = "SHHQ", passengers = new[] { new { name = "a", certNo = "1" } }, contactName = "a", contactPhone = "13900000000" },
            400, "no boarding station 'SHHQ'");
        await Expect(HttpMethod.Post, $"/tenants/nobody/fliggybus/sync", null, 404, "nobody");
        await Expect(HttpMethod.Post, $"{orders}/123/pay", null, 404, "no fliggybus order");
        await Expect(HttpMethod.Get, $"/tenants/{Tenant}/fliggybus/calls?method=qimen.alitrip.custombus.order.cancel", null, 400, "11 merchant APIs");

        var id = (await BookAsync(schedule, passengers: 1))["alitripOrderId"]!.ToString();
        await Expect(HttpMethod.Post, $"{orders}/{id}/fly", null, 404, "unknown action");
        await Expect(HttpMethod.Post, $"{orders}/{id}/refund", null, 409, "only issued tickets");
        await Expect(HttpMethod.Post, $"{orders}/{id}/refund", "[1]", 400, "passengerIds");
        await ActAsync(id, "pay");
        await Expect(HttpMethod.Post, $"{orders}/{id}/pay", null, 409, "paid already");
        await Expect(HttpMethod.Post, $"{orders}/{id}/refund", new { passengerIds = new[] { "7" } }, 409, "no passenger 7");
        await Expect(HttpMethod.Post, $"{orders}/{id}/cancel", null, 409, "refunded, not cancelled");

        // A tenant without Qimen access is told which fields are missing.
        var (status, _) = await Host.AdminSend(HttpMethod.Post, "/tenants", new JsonObject { ["id"] = "no-bus", ["credentials"] = new JsonObject() });
        Assert.Equal(201, status);
        await Expect(HttpMethod.Post, "/tenants/no-bus/fliggybus/sync", null, 409, "credentials.fliggybus");
    }

    [Fact]
    public async Task Conformance_runs_against_the_tenant_operator_in_json_and_junit()
    {
        var (status, report) = await Host.AdminSend(HttpMethod.Post, $"/tenants/{Tenant}/fliggybus/conformance", new { passengers = 1 });
        Assert.True(status == 200, $"{status} {report}");
        Assert.True(report!["conforms"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal(23, report["checks"]!.AsArray().Count);
        Assert.StartsWith("curl -sS -X POST '" + Operator.Url, report["checks"]![0]!["curl"]!.ToString());

        using var junit = await Host.Http.PostAsync($"/admin/api/tenants/{Tenant}/fliggybus/conformance?format=junit", null);
        var xml = XDocument.Parse(await junit.Content.ReadAsStringAsync());
        Assert.Equal("0", xml.Root!.Attribute("failures")!.Value);
        Assert.Equal(23, xml.Descendants("testcase").Count());
    }

    [Fact]
    public async Task The_traffic_scenario_books_and_pays_on_its_own()
    {
        await SyncAsync();
        var (status, body) = await Host.AdminSend(HttpMethod.Put, $"/tenants/{Tenant}/scenario", new { supplier = "fliggybus", set = "traffic" });
        Assert.True(status == 200, $"{status} {body}");
        JsonArray orders = [];
        for (var i = 0; i < 40 && orders.Count == 0; i++)
        {
            await Task.Delay(500);
            await AdvanceAsync("PT10M");
            orders = (await Host.AdminGet($"/tenants/{Tenant}/orders?supplier=fliggybus"))!.AsArray();
        }
        Assert.NotEmpty(orders);
        await AdvanceAsync("PT3M");
        var id = orders[0]!["id"]!.ToString();
        var order = await OrderAsync(id);
        Assert.Contains("scheduled", order["tags"]!.AsArray().Select(S));
        Assert.Equal("3", S(order["status"]));
        Assert.True(order["paid"]!.GetValue<bool>());
    }
}
