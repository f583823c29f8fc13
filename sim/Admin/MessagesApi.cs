using Sandbox.Engine.Messages;
using Sandbox.Engine.Storage;
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
        var api = app.MapGroup("/admin/api").AddEndpointFilter<AdminAuth>().WithTags("admin");
        api.MapGet("/tenants/{tenant}/messages", List);
        return app;
    }

    static IResult List(string tenant, string? supplier, string? to, string? purpose, int? limit, TenantRegistry tenants, MessageLog messages) =>
        tenants.Find(tenant) is null
            ? Results.Json(new { error = $"tenant '{tenant}' not found" }, statusCode: 404)
            : Results.Json(messages.Query(tenant, supplier, to, purpose, limit ?? 100), StoreJson.Options);
}
