using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Inbox;
using Sandbox.Engine.Pipeline;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.QaConsole;

/// <summary>The built-in callback inbox: it records and acknowledges in each supplier's contract, in the mode the tenant chose.</summary>
public class InboxTests : TechHouseTest
{
    [Fact]
    public async Task A_booking_ends_with_an_acknowledged_callback_in_the_demo_inbox()
    {
        var orderNo = Str((await Client.BookAsync())["orderNo"]);
        await Host.AdvanceAsync("PT2M");
        var callbacks = await Host.CallbacksWhenAsync(l => l.Any(c => Str(c["status"]) != "pending"));
        var delivered = Assert.Single(callbacks);
        Assert.Equal("delivered", Str(delivered["status"]));
        Assert.StartsWith(Host.BaseAddress + "inbox/demo/techhouse", Str(delivered["deliveries"]![0]!["url"]));

        var inbox = (await Host.AdminGet("/tenants/demo/inbox"))!;
        var received = Assert.Single(inbox["requests"]!.AsArray())!;
        Assert.Equal("POST", Str(received["method"]));
        Assert.Equal("/inbox/demo/techhouse", Str(received["path"]));
        Assert.Equal(orderNo, Str(JsonNode.Parse(Str(received["body"]))!["orderNo"]));
        Assert.Equal("acknowledge", Str(received["mode"]));
        Assert.Equal(200, received["status"]!.GetValue<int>());
        Assert.Equal("""{"status":0,"msg":"success"}""", Str(received["answer"]));
        Assert.Equal(Str(delivered["deliveries"]![0]!["virtualAt"]), Str(received["virtualAt"]));
        Assert.NotNull(received["headers"]!["X-Sandbox-Callback-Id"]);
        var receivers = inbox["receivers"]!.AsArray();
        Assert.Contains(receivers, r => Str(r!["supplier"]) == "techhouse" && Str(r["url"]) == Host.BaseAddress + "inbox/demo/techhouse");
    }

    [Theory]
    [InlineData("refuse", 500)]
    [InlineData("wrong-ack", 200)]
    public async Task A_refusing_or_wrongly_acknowledging_inbox_leaves_the_callback_pending(string mode, int status)
    {
        var (set, receiver) = await Host.AdminSend(HttpMethod.Put, "/tenants/demo/inbox/techhouse/mode", new { mode });
        Assert.Equal(200, set);
        Assert.Equal(mode, Str(receiver!["mode"]));
        await Client.BookAsync();
        await Host.AdvanceAsync("PT2M");
        var callback = Assert.Single(await Host.CallbacksWhenAsync(l => l.Any(c => c["attempts"]!.GetValue<int>() > 0)));
        Assert.Equal("pending", Str(callback["status"]));
        Assert.Equal(status, callback["deliveries"]![0]!["httpStatus"]!.GetValue<int>());
        var received = (await Host.AdminGet("/tenants/demo/inbox?supplier=techhouse"))!["requests"]![0]!;
        Assert.Equal(mode, Str(received["mode"]));
        Assert.Equal(status, received["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_slow_inbox_answers_after_its_delay()
    {
        Assert.Equal(200, (await Host.AdminSend(HttpMethod.Put, "/tenants/demo/inbox/techhouse/mode", new { mode = "slow", delay = "PT0.3S" })).Status);
        var started = DateTimeOffset.UtcNow;
        using var resp = await Host.Http.PostAsync("/inbox/demo/techhouse", new StringContent("{}"));
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(250), "answered before the delay");
        Assert.Equal("""{"status":0,"msg":"success"}""", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_inbox_keeps_the_newest_500_per_tenant_and_can_be_cleared()
    {
        for (var i = 0; i < CallbackInbox.Keep + 5; i++)
            using (var resp = await Host.Http.GetAsync($"/inbox/demo/yobaoxing/Notify_OrderChanged.aspx?n={i}"))
                Assert.Equal("""<?xml version="1.0" encoding="UTF-8"?><root><retcode>0</retcode><retmsg>通知成功</retmsg></root>""",
                    await resp.Content.ReadAsStringAsync());
        var all = (await Host.AdminGet("/tenants/demo/inbox?limit=1000"))!["requests"]!.AsArray();
        Assert.Equal(CallbackInbox.Keep, all.Count);
        Assert.Equal($"?n={CallbackInbox.Keep + 4}", Str(all[0]!["query"]));
        Assert.Equal("?n=5", Str(all[^1]!["query"]));
        Assert.Equal("/inbox/demo/yobaoxing/Notify_OrderChanged.aspx", Str(all[0]!["path"]));

        Assert.Equal(204, (await Host.AdminSend(HttpMethod.Delete, "/tenants/demo/inbox")).Status);
        Assert.Empty((await Host.AdminGet("/tenants/demo/inbox"))!["requests"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_tenants_suppliers_and_modes_are_refused()
    {
        using (var resp = await Host.Http.PostAsync("/inbox/nobody/techhouse", new StringContent("{}")))
            Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
        using (var resp = await Host.Http.PostAsync("/inbox/demo/nosuch", new StringContent("{}")))
            Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Put, "/tenants/demo/inbox/techhouse/mode", new { mode = "sometimes" })).Status);
        Assert.Equal(400, (await Host.AdminSend(HttpMethod.Put, "/tenants/demo/inbox/techhouse/mode", new { mode = "slow", delay = "PT1H" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Put, "/tenants/demo/inbox/nosuch/mode", new { mode = "refuse" })).Status);
        Assert.Equal(404, (await Host.AdminSend(HttpMethod.Get, "/tenants/nobody/inbox")).Status);
    }

    /// <summary>Each module's acknowledgement is one its own contract accepts; its wrong answer is one the contract refuses.</summary>
    [Fact]
    public void Every_contract_accepts_its_acknowledgement_and_refuses_its_wrong_answer()
    {
        var modules = Host.App.Services.GetServices<ISupplierModule>().ToList();
        Assert.NotEmpty(modules);
        foreach (var m in modules)
        {
            var answers = m.CallbackContract.Answers;
            Assert.True(m.CallbackContract.IsAcknowledged(200, answers.Acknowledge), $"{m.Supplier} refuses its own acknowledgement");
            if (m.CallbackContract.Acknowledgement is not null)
                Assert.False(m.CallbackContract.IsAcknowledged(200, answers.Reject), $"{m.Supplier} accepts its wrong answer");
            Assert.False(m.CallbackContract.IsAcknowledged(500, answers.Acknowledge), $"{m.Supplier} accepts an HTTP 500");
        }
        Assert.Equal(CallbackAcknowledgement.PlainText, new CallbackContract((_, _) => true, [], TimeSpan.FromSeconds(1)).Answers);
    }

    [Fact]
    public async Task Reset_empties_the_inbox_and_its_modes()
    {
        await Host.AdminSend(HttpMethod.Put, "/tenants/demo/inbox/techhouse/mode", new { mode = "refuse" });
        using (await Host.Http.PostAsync("/inbox/demo/techhouse", new StringContent("{}", Encoding.UTF8, "application/json"))) { }
        Assert.Single((await Host.AdminGet("/tenants/demo/inbox"))!["requests"]!.AsArray());
        Assert.Equal(200, (await Host.AdminSend(HttpMethod.Post, "/tenants/demo/reset")).Status);
        var inbox = (await Host.AdminGet("/tenants/demo/inbox"))!;
        Assert.Empty(inbox["requests"]!.AsArray());
        Assert.Equal("acknowledge", Str(inbox["receivers"]!.AsArray().Single(r => Str(r!["supplier"]) == "techhouse")!["mode"]));
    }
}
