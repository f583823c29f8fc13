using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sandbox.Suppliers.Bpt.Protocol;
using Sandbox.Tests.Bpt;
using Sandbox.Tests.Infrastructure;
using Sandbox.Tests.Yobaoxing;

namespace Sandbox.Tests.Reliability;

/// <summary>
/// The tenant's secrets (TechHouse secret, BPT key, Yobaoxing KEY and login password, TOP app secret) and the admin
/// token never appear unmasked in the server's log (every level), the request journal, the delivery log or a
/// signature diagnostic — after good calls, bad signatures, unknown credentials and callbacks of every supplier.
/// </summary>
public sealed class SecretTests
{
    const string AdminToken = "admin-token-that-must-stay-secret";

    static readonly string[] Secrets =
    [
        TechHouseClient.DemoSecret, BptClient.DemoKey, YobaoxingClient.DemoKey, YobaoxingClient.DemoPassword, "helloworld", AdminToken,
    ];

    [Fact]
    public async Task Secrets_stay_masked_in_logs_journal_delivery_log_and_diagnostics()
    {
        var logs = new CapturedLogs(LogLevel.Trace);
        await using var host = await SandboxHost.StartAsync(AdminToken, new() { ["Logging:LogLevel:Default"] = "Trace" },
            b => b.Logging.AddProvider(logs));
        await using var receiver = await CallbackReceiver.StartAsync();
        await host.RouteCallbacksToAsync(receiver);
        var seen = new StringBuilder();

        // TechHouse: a booking with its push, a signature made with another secret, an unknown key.
        var th = new TechHouseClient(host.Http);
        await th.BookAsync();
        await host.AdvanceAsync("PT2M");
        await receiver.WaitForAsync(1);
        var wrong = new TechHouseClient(host.Http, TechHouseClient.DemoKey, "another-secret-another-secret-00");
        var (_, _, headers) = await wrong.Raw(TechHouseClient.PathOf("GetBalance"), wrong.Envelope("GetBalance", new JsonObject()));
        seen.AppendLine(string.Join(" ", headers.GetValues("X-Sandbox-Diagnostic")));
        await new TechHouseClient(host.Http, "nobody", TechHouseClient.DemoSecret).Call("GetBalance", new JsonObject());

        // BPT: ver=2 signed right and wrong, a notice to the receiver.
        var bpt = await BptClient.StartAsync(host);
        (string, string)[] ps = [("pnr", "SEC" + Random.Shared.Next(100, 999)), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bpwd", "p"), ("ver", "2")];
        var sign = BptSignature.SignGbk([new("cmd", "newquerypricebypnr"), .. ps.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))], BptClient.DemoKey);
        Assert.Equal("1", (await bpt.Get("newquerypricebypnr", [.. ps, ("sign", sign)])).Code);
        var bad = await bpt.Get("newquerypricebypnr", [.. ps, ("sign", new string('0', 32))]);
        seen.AppendLine(bad.Headers.GetValueOrDefault("X-Sandbox-Diagnostic"));
        await bpt.Get("orderex", [.. BptClient.Common("NJD40G", "HU", "SEC-1", "HV7SEK"), ("autopayflag", "1"), ("callbackurl", receiver.Url + "/bpt")]);

        // Yobaoxing: a signed call, a wrong sign, a wrong password, a booking whose notification goes out.
        var ybx = new YobaoxingClient(host.Http);
        Assert.Equal(0, (await ybx.Get("SetAgentParameters", ("responseaddr", receiver.Url + "/ybx"), ("sendofficiallysnotify", "1"))).Retcode);
        var products = await new YobaoxingSteps(host, ybx).Products();
        await new YobaoxingSteps(host, ybx).Book(products["成人票"] + "|1");
        var badSign = await ybx.Send(HttpMethod.Get, "/yobaoxing/GetProducts.aspx?" + YobaoxingClient.Query(
            ybx.Parameters().Select(p => p.Key == "sign" ? new KeyValuePair<string, string>("sign", new string('0', 32)) : p)), null);
        seen.AppendLine(badSign.Diagnostic);
        var badPassword = await new YobaoxingClient(host.Http, password: "not-the-password").Get("GetProducts");
        seen.AppendLine(badPassword.Diagnostic);
        await host.AdvanceAsync("PT1M");

        seen.AppendLine(await host.Http.GetStringAsync("/admin/api/journal?limit=1000"));
        seen.AppendLine(await host.Http.GetStringAsync("/admin/api/callbacks?limit=1000"));
        seen.AppendLine(await host.Http.GetStringAsync("/admin/api/stats"));
        foreach (var e in logs.Entries) seen.AppendLine(e.Message).AppendLine(e.Exception?.ToString());
        var text = seen.ToString();

        Assert.Contains("signature mismatch", text);
        Assert.Contains("sign mismatch", text);
        Assert.True(logs.Entries.Count > 0);
        foreach (var secret in Secrets) Assert.DoesNotContain(secret, text);
    }
}
