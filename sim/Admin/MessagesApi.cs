using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Messages;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;

namespace Sandbox.Admin;

/// <summary>
/// GET /admin/api/tenants/{tenant}/messages?supplier=&amp;to=&amp;purpose=&amp;limit= — the SMS and other messages the
/// tenant's suppliers would have sent (verification codes, vouchers, notices), newest first.
/// </summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("messages");
        api.MapGet("/tenants/{tenant}/messages", ListMessages);
        return app;
    }

    public static Results<Ok<JsonArray>, NotFound<ProblemDetails>> ListMessages(
        string tenant, string? supplier, string? to, string? purpose, int? limit, TenantRegistry tenants, MessageLog messages) =>
        tenants.Find(tenant) is null
            ? AdminProblem.NotFound($"tenant '{tenant}' not found")
            : TypedResults.Ok(messages.Query(tenant, supplier, to, purpose, limit ?? 100));
}
