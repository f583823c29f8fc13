using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Engine.Clock;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// The whole custom-bus loop on loopback: the sandbox (playing Fliggy) and the in-repo reference operator, with a
/// merchant tenant whose Qimen URL is the operator's and whose TOP app the operator signs its taobao.bus.* calls with.
/// The operator's TOP client stamps the tenant's virtual time, as a merchant's clock would read on a shared clock.
/// </summary>
public abstract class BusLoop : IAsyncLifetime
{
    public const string Tenant = "bus-op";
    public const string TopAppKey = "34567890";
    public const string TopSecret = "bus-top-secret-0123";

    protected SandboxHost Host { get; private set; } = null!;
    protected ReferenceOperator.ReferenceOperator Operator { get; private set; } = null!;
    protected TopClient Top { get; private set; } = null!;
    /// <summary>Every taobao.bus.* call the operator made on its own (asynchronous ticketing and refunds) with the reply.</summary>
    protected ConcurrentQueue<(string Method, TopResponse Reply)> OperatorCalls { get; } = new();

    /// <summary>Settings the tenant starts with (settings.fliggybus).</summary>
    protected virtual JsonObject? Settings => null;

    public virtual async Task InitializeAsync()
    {
        Operator = await ReferenceOperator.ReferenceOperator.StartAsync();
        Host = await SandboxHost.StartAsync();
        var tenant = new JsonObject
        {
            ["id"] = Tenant,
            ["name"] = "Reference bus operator",
            ["credentials"] = new JsonObject
            {
                ["fliggybus"] = new JsonObject
                {
                    ["qimenUrl"] = Operator.Url, ["qimenAppKey"] = ReferenceOperator.ReferenceOperator.AppKey,
                    ["qimenSecret"] = ReferenceOperator.ReferenceOperator.Secret, ["customerId"] = "ref_bus",
                },
                ["top"] = new JsonObject { ["appKey"] = TopAppKey, ["appSecret"] = TopSecret },
            },
        };
        if (Settings is { } settings) tenant["settings"] = new JsonObject { ["fliggybus"] = settings };
        var (status, body) = await Host.AdminSend(HttpMethod.Post, "/tenants", tenant);
        Assert.True(status == 201, $"POST tenant: {status} {body}");
        Top = new TopClient(Host.Http, TopAppKey, TopSecret, () => Host.Service<VirtualClock>().Now(Tenant)) { Style = TopClientStyle.GoSdk };
    }

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Operator.DisposeAsync();
    }

    /// <summary>The operator reports asynchronous results itself, through the TOP gateway, shortly after answering 2.</summary>
    protected void OperatorCallsBack() => Operator.Apis.AfterReply = (kind, alitripOrderId) => _ = Task.Run(async () =>
    {
        await Task.Delay(20);
        var (method, parameter, request) = kind == "bookticket"
            ? ("taobao.bus.agent.bookticket.confirm", "param_agent_confirm_book_r_q", Operator.Apis.Issued(alitripOrderId))
            : ("taobao.bus.agent.refund.confirm", "param_agent_confirm_return_and_refund_r_q", Operator.Apis.CompleteRefund(alitripOrderId));
        OperatorCalls.Enqueue((method, await Top.CallAsync(method, new Dictionary<string, string> { [parameter] = request.ToJsonString() })));
    });

    protected async Task<JsonObject> BusTopAsync(string method, string parameter, JsonObject request)
    {
        var reply = await Top.CallAsync(method, new Dictionary<string, string> { [parameter] = request.ToJsonString() });
        Assert.Equal(200, reply.Status);
        return reply.Json;
    }

    protected async Task<JsonObject> SyncAsync()
    {
        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/{Tenant}/fliggybus/sync");
        Assert.True(status == 200, $"sync: {status} {body}");
        Assert.Equal("complete", body!["status"]!.GetValue<string>());
        return body.AsObject();
    }

    /// <summary>A departure of the operator's airport line, <paramref name="days"/> ahead (China date) at 13:30.</summary>
    protected static string Schedule(int days, string time = "1330") =>
        $"HZSH01-{DateTime.UtcNow.AddHours(8).AddDays(days):yyyyMMdd}-{time}";

    protected async Task<JsonObject> BookAsync(string scheduleId, int passengers = 2, int expect = 201)
    {
        var list = new JsonArray(Enumerable.Range(1, passengers).Select(i => (JsonNode)new JsonObject
        {
            ["name"] = "乘客" + i.ToString(CultureInfo.InvariantCulture), ["certType"] = "1",
            ["certNo"] = Sandbox.Suppliers.FliggyBus.Model.IdentityNumbers.Make("330106", new DateOnly(1980 + i, 3, 4), 200 + i), ["type"] = "0",
        }).ToArray());
        var (status, body) = await Host.AdminSend(HttpMethod.Post, $"/tenants/{Tenant}/fliggybus/orders", new JsonObject
        {
            ["scheduleId"] = scheduleId, ["passengers"] = list, ["contactName"] = "张三", ["contactPhone"] = "13900000000",
        });
        Assert.True(status == expect, $"book: {status} {body}");
        return body!.AsObject();
    }

    protected async Task<JsonObject> ActAsync(string id, string action, object? body = null, int expect = 200)
    {
        var (status, reply) = await Host.AdminSend(HttpMethod.Post, $"/tenants/{Tenant}/fliggybus/orders/{id}/{action}", body);
        Assert.True(status == expect, $"{action}: {status} {reply}");
        return reply!.AsObject();
    }

    protected async Task<JsonObject> OrderAsync(string id) => (await Host.AdminGet($"/tenants/{Tenant}/fliggybus/orders/{id}"))!.AsObject();

    /// <summary>Polls the order until <paramref name="done"/> holds (the operator's own calls take real time), at most 10 s.</summary>
    protected async Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var order = await OrderAsync(id);
            if (done(order)) return order;
            if (i == 200) Assert.Fail($"order {id} never got there: {order}");
            await Task.Delay(50);
        }
    }

    protected async Task<JsonArray> CallsAsync(string? method = null, string? order = null)
    {
        var query = new List<string>();
        if (method is not null) query.Add("method=" + method);
        if (order is not null) query.Add("order=" + order);
        return (await Host.AdminGet($"/tenants/{Tenant}/fliggybus/calls" + (query.Count > 0 ? "?" + string.Join("&", query) : "")))!.AsArray();
    }

    protected Task AdvanceAsync(string by) => Host.AdvanceAsync(by, Tenant);

    /// <summary>What the operator received of one Qimen method, in order.</summary>
    protected List<JsonObject> Received(string method) =>
        Operator.Received.Where(r => r.Method == method).Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();

    protected static string S(JsonNode? node) => node?.ToString() ?? "";
}
