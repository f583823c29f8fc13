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
        for (var attempt = 2; attempt <= 4; attempt++)
        {
            // The receiver sees an attempt before the dispatcher has recorded it and set the next one; an hour
            // more of virtual time is due whichever happened first, so a retry that was set late fires on the next step.
            for (var step = 0; step < 5 && _receiver.All.Count < attempt; step++)
            {
                await _steps.Advance("PT1H");
                try
                {
                    await _receiver.WaitForAsync(attempt, TimeSpan.FromSeconds(2));
                }
                catch (TimeoutException)
                {
                }
            }
            // Once the fourth attempt is acknowledged the closing notice may already have followed it.
            Assert.InRange(_receiver.All.Count, attempt, attempt == 4 ? 5 : attempt);
        }
        // The fourth attempt of the creation notice is acknowledged; only then does the closing notice go out.
        var all = await _receiver.WaitForAsync(5);
        Assert.Equal(["0", "0", "0", "0", "4"], all.Select(r => HttpUtility.ParseQueryString(r.Query)["status"] ?? "").ToArray());
    }
}
