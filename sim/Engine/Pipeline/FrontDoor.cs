using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// Which supplier answers for a listener, or for a path prefix on the main listener. What never reaches an operation
/// — a request the HTTP server refuses before routing (<see cref="RefusalPipe"/>), a path under a supplier's prefix
/// that names nothing, a method no route takes — is answered in that supplier's format, as the real systems' own web
/// servers answer with their own pages, instead of with an empty body. Modules claim their doors through
/// <see cref="SupplierPipeline.Claim"/>: the engine knows no supplier.
/// </summary>
public sealed class FrontDoor
{
    readonly record struct Door(string Listener, string? Prefix, SupplierProtocol Protocol);

    Door[] _doors = [];
    readonly Lock _gate = new();

    /// <summary>
    /// <paramref name="protocol"/> answers for everything on <paramref name="listener"/> (a supplier's own port) when
    /// <paramref name="pathPrefix"/> is null, else for the paths under that prefix (<c>/flight</c>).
    /// </summary>
    public void Claim(SupplierProtocol protocol, string listener, string? pathPrefix)
    {
        if (pathPrefix is not null && (!pathPrefix.StartsWith('/') || pathPrefix.Length < 2 || pathPrefix.EndsWith('/')))
            throw new ArgumentException($"a path prefix is '/name' without a trailing slash: '{pathPrefix}'", nameof(pathPrefix));
        lock (_gate) _doors = [.. _doors, new Door(listener, pathPrefix, protocol)];
    }

    /// <summary>The supplier answering for <paramref name="path"/> on <paramref name="listener"/>: the listener's own, else the longest claimed prefix.</summary>
    public SupplierProtocol? Find(string listener, string? path)
    {
        SupplierProtocol? found = null;
        var longest = 0;
        foreach (var door in Volatile.Read(ref _doors))
        {
            if (!door.Listener.Equals(listener, StringComparison.OrdinalIgnoreCase)) continue;
            if (door.Prefix is null) return door.Protocol;
            if (path is not null && door.Prefix.Length > longest && Under(path, door.Prefix))
            {
                found = door.Protocol;
                longest = door.Prefix.Length;
            }
        }
        return found;
    }

    static bool Under(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] is '/' or '?');

    /// <summary>The engine's short description of a refusal, for the supplier's message: "HTTP 414 URI Too Long".</summary>
    public static string Reason(int status) => $"HTTP {status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();
}

public static class FrontDoorMiddleware
{
    /// <summary>
    /// Counts the requests in the application (so that <see cref="RefusalPipe"/> knows what the server writes on its
    /// own), and answers what routing left unanswered under a claimed door — no route for the path
    /// (404) or for the method (405) — in its supplier's format. Supplier endpoints always write their reply, so an
    /// unstarted 404/405 there is routing's.
    /// </summary>
    public static IApplicationBuilder UseFrontDoor(this IApplicationBuilder app)
    {
        var doors = app.ApplicationServices.GetRequiredService<FrontDoor>();
        return app.Use(async (http, next) =>
        {
            RefusalPipe.Of(http)?.RequestReachedApplication(http.Response);
            await next(http);
            var response = http.Response;
            if (response.HasStarted || response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)) return;
            if (doors.Find(http.ListenerName(), http.Request.Path.Value) is not { } protocol) return;
            var reply = protocol.Refusal(response.StatusCode, FrontDoor.Reason(response.StatusCode));
            response.ContentType = reply.ContentType;
            response.ContentLength = reply.Body.Length;
            await response.Body.WriteAsync(reply.Body, http.RequestAborted);
        });
    }
}
