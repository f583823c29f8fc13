using Sandbox.LoadTests.Framework;

namespace Sandbox.LoadTests.Callbacks;

/// <summary>One invocation delivers one notification; its step, named after the callback, times the receiver's acknowledgement.</summary>
public static class CallbacksScenario
{
    public static Scenario Create(CallbackSource source, HttpClient http) => Scenario.Create("callbacks-" + source.Callback, async ctx =>
        await Step.Run(source.Callback, ctx, () => source.DeliverAsync(http, ctx.CancellationToken)));
}
