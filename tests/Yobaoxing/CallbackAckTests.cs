using System.Web;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>Only an XML answer whose root has retcode 0 acknowledges a callback; anything else is retried on the virtual clock, in order.</summary>
public sealed class CallbackAckTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    CallbackReceiver _receiver = null!;
    YobaoxingClient _client = null!;
    YobaoxingSteps _steps = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _receiver = await CallbackReceiver.StartAsync();
        _client = new YobaoxingClient(_host.Http);
        _steps = new YobaoxingSteps(_host, _client);
        await _steps.FreezeAtMorning();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Non_zero_retcode_http_error_and_plain_text_are_retried_until_retcode_0()
    {
        var answers = new Queue<(int, string)>(
        [
            (200, "<root><retcode>-1</retcode><retmsg>busy</retmsg></root>"),
            (500, "<root><retcode>0</retcode></root>"),
            (200, "success"),
            (200, "<ROOT><RETMSG/><RETCODE> 0 </RETCODE></ROOT>"),
        ]);
        _receiver.Reply = _ => answers.Count > 0 ? answers.Dequeue() : (200, "<root><retcode>0</retcode></root>");
        await _client.Get("SetAgentParameters", ("responseaddr", _receiver.Url), ("sendofficiallysnotify", "0"));
        var p = await _steps.Products();
        var order = await _steps.Book(p["成人票"] + "|1", senderId: "ACK-1");
        Assert.Equal(0, (await _client.Get("CancelOrder", ("Order_id", order))).Retcode);

        await _receiver.WaitForAsync(1);
        // One advance replays the retries due in it (1 m, then 2 m, then 5 m after each attempt), each at its own
        // instant; the acknowledged fourth attempt lets the closing notice go.
        await _steps.Advance("PT1H");
        // The fourth attempt of the creation notice is acknowledged; only then does the closing notice go out.
        var all = await _receiver.WaitForAsync(5);
        Assert.Equal(["0", "0", "0", "0", "4"], all.Select(r => HttpUtility.ParseQueryString(r.Query)["status"] ?? "").ToArray());
        var log = (await _host.AdminGet("/callbacks?tenant=demo&limit=10"))!.AsArray();
        var creation = log.Single(c => c!["name"]!.GetValue<string>() == "Notify_OrderChanged" && c["deliveries"]!.AsArray().Count == 4)!;
        var at = creation["deliveries"]!.AsArray().Select(d => DateTimeOffset.Parse(d!["virtualAt"]!.GetValue<string>())).ToArray();
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)], at.Zip(at.Skip(1), (x, y) => y - x).ToArray());
    }
}
