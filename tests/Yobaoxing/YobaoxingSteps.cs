using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>Steps the Yobaoxing tests share: tenant settings, the catalogue, bookings, the message log.</summary>
public sealed class YobaoxingSteps(SandboxHost host, YobaoxingClient client)
{
    public static string Day(int offset = 0) =>
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Freezes the demo tenant's clock at 09:00 of today (UTC+8): rules that depend on the time of day (no refund in
    /// the last 30 minutes of a time slot …) then behave the same whenever the suite runs.
    /// </summary>
    public async Task FreezeAtMorning()
    {
        var (status, _) = await host.AdminSend(HttpMethod.Put, "/tenants/demo/clock", new
        {
            frozen = true,
            now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T09:00:00+08:00",
        });
        Assert.Equal(200, status);
    }

    /// <summary>Replaces settings.yobaoxing of the demo tenant.</summary>
    public async Task Settings(params (string Name, string Value)[] settings)
    {
        var t = (await host.AdminGet("/tenants/demo"))!.AsObject();
        t["settings"] ??= new JsonObject();
        var s = new JsonObject();
        foreach (var (n, v) in settings) s[n] = v;
        t["settings"]!["yobaoxing"] = s;
        var (status, _) = await host.AdminSend(HttpMethod.Put, "/tenants/demo", t);
        Assert.Equal(200, status);
    }

    public async Task<Dictionary<string, string>> Products()
    {
        var reply = await client.Get("GetProducts");
        Assert.Equal(0, reply.Retcode);
        return reply.Items().ToDictionary(i => i.Element("productname")!.Value, i => i.Element("productid")!.Value);
    }

    public (string, string)[] Order(string list, string mobile = "13812345678", int day = 0) =>
        [("Order_list", list), ("Mobile", client.Enc(mobile)), ("ID", client.Enc("A123")), ("SXRQ", client.Enc(Day(day)))];

    /// <summary>OrderProducts; returns the new order id.</summary>
    public async Task<string> Book(string list, string? senderId = null, int day = 0)
    {
        (string, string)[] ps = senderId is null ? Order(list, day: day) : [.. Order(list, day: day), ("senderid", senderId)];
        var reply = await client.Get("OrderProducts", ps);
        Assert.Equal(0, reply.Retcode);
        return reply.Value("orderid");
    }

    public async Task<JsonArray> Messages(string? purpose = null)
    {
        var node = await host.AdminGet("/tenants/demo/messages" + (purpose is null ? "" : "?purpose=" + purpose));
        return node!.AsArray();
    }

    /// <summary>The newest verification code sent to <paramref name="phone"/>.</summary>
    public async Task<string> LastCode(string phone = "13800000001")
    {
        var message = (await Messages("verification-code")).First(m => m!["to"]!.GetValue<string>() == phone)!;
        var text = message["text"]!.GetValue<string>();
        var at = text.IndexOf("验证码", StringComparison.Ordinal) + 3;
        return text.Substring(at, 6);
    }

    public async Task Advance(string by)
    {
        var (status, _) = await host.AdminSend(HttpMethod.Post, "/tenants/demo/clock/advance", new { by });
        Assert.Equal(200, status);
    }

    public async Task<string> Status(string orderId) => (await client.Get("QueryOrder", ("order_id", orderId))).Value("orderstatus");

    public async Task Account(decimal? deposit = null, decimal? rebate = null)
    {
        var (status, _) = await host.AdminSend(HttpMethod.Post, "/tenants/demo/yobaoxing/account", new { deposit, rebate });
        Assert.Equal(200, status);
    }
}
