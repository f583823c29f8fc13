using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// Bearer-token check for /admin/api. Without a configured token the admin API is open, which the server
/// allows only while every listener is on loopback (checked at start by <see cref="EnsureSafeBinding"/>).
/// The engine applies it to every admin route group (<see cref="AdminRoutes.MapAdminGroup"/>): modules never see it.
/// </summary>
sealed class AdminAuth(IOptions<SandboxOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var token = options.Value.AdminToken;
        if (string.IsNullOrEmpty(token)) return await next(context);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token)))
            return await next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"sandbox-admin\"";
        return AdminProblem.Unauthorized("admin token required: Authorization: Bearer <Sandbox:AdminToken>");
    }

    /// <summary>Refuses to start when a listener binds beyond loopback and no admin token is configured.</summary>
    public static void EnsureSafeBinding(IEnumerable<string> urls, string? token)
    {
        if (!string.IsNullOrEmpty(token)) return;
        foreach (var url in urls)
        {
            var host = new Uri(url.Replace("*", "0.0.0.0").Replace("+", "0.0.0.0")).Host;
            var loopback = host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
                throw new InvalidOperationException(
                    $"listener {url} is beyond loopback: set an admin token (Sandbox:AdminToken, env SANDBOX__ADMINTOKEN) so the admin API is not open to the network");
        }
    }
}

public static class AdminRoutes
{
    public const string Prefix = "/admin/api";

    /// <summary>A route group under /admin/api with the admin token check applied: the admin API's areas and each module's admin endpoints are mapped on one.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder routes) => routes.MapGroup(Prefix).AddEndpointFilter<AdminAuth>();
}
