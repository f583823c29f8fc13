using System.Diagnostics;
using System.Net.Http;

namespace Sandbox.LoadTests.Framework;

public static class Step
{
    /// <summary>
    /// Times <paramref name="run"/> and records it under <paramref name="name"/>. Exceptions become failed
    /// responses so that one broken request never tears down the flow loop.
    /// </summary>
    public static async Task<Response<T>> Run<T>(string name, ScenarioContext context, Func<Task<Response<T>>> run)
    {
        var started = Stopwatch.GetTimestamp();
        Response<T> response;
        try
        {
            response = await run();
        }
        catch (Exception e)
        {
            response = Response.Fail<T>("exception", Describe(e, context.CancellationToken));
        }

        context.Stats.Step(name).Record(Stopwatch.GetElapsedTime(started), response);
        return response;
    }

    // Messages are grouped by text in the report, so they must not carry per-request details.
    internal static string Describe(Exception e, CancellationToken runToken) => e switch
    {
        OperationCanceledException when runToken.IsCancellationRequested => "cancelled: run ended before the step completed",
        HttpRequestException http => $"HTTP error: {http.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
