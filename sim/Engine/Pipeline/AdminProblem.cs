using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// Admin API errors as RFC 9457 problem details. The message is the <c>detail</c>, and also an <c>error</c> member:
/// the admin API answered <c>{"error": "…"}</c> before, and its clients read that.
/// </summary>
public static class AdminProblem
{
    /// <summary>A problem with the message as <c>detail</c> and <c>error</c>, and further members (a supplier's result code, balances …).</summary>
    public static ProblemDetails Of(int status, string message, params (string Name, object? Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = message };
        problem.Extensions["error"] = message;
        foreach (var (name, value) in extensions) problem.Extensions[name] = value;
        return problem;
    }

    public static NotFound<ProblemDetails> NotFound(string message) => TypedResults.NotFound(Of(StatusCodes.Status404NotFound, message));

    public static BadRequest<ProblemDetails> BadRequest(string message) => TypedResults.BadRequest(Of(StatusCodes.Status400BadRequest, message));

    public static Conflict<ProblemDetails> Conflict(string message, params (string Name, object? Value)[] extensions) =>
        TypedResults.Conflict(Of(StatusCodes.Status409Conflict, message, extensions));

    public static ProblemHttpResult Unauthorized(string message) => TypedResults.Problem(Of(StatusCodes.Status401Unauthorized, message));
}
