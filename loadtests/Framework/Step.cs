using System.Diagnostics;

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
            var (statusCode, message) = Describe(e, context.CancellationToken);
            response = Response.Fail<T>(statusCode, message);
        }

        context.Stats.Step(name).Record(Stopwatch.GetElapsedTime(started), response);
        return response;
    }

    // The status code names the kind of failure, as a server status would, so the report groups like with like.
    internal static (string StatusCode, string Message) Describe(Exception e, CancellationToken runToken) => e switch
    {
        OperationCanceledException when runToken.IsCancellationRequested => ("cancelled", "run ended before the step completed"),
        TimeoutException => ("timeout", e.Message),
        HttpRequestException => ("http", e.Message),
        _ => ("exception", $"{e.GetType().Name}: {e.Message}"),
    };
}
