using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Inbox;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Admin;

/// <summary>The built-in callback inbox of a tenant: its receivers (URL and answer mode per supplier) and what they received.</summary>
public static class InboxApi
{
    public sealed record Receiver(string Supplier, string Url, string Mode, string Delay);

    public sealed record InboxView(string Tenant, IEnumerable<Receiver> Receivers, JsonArray Requests);

    public sealed record ModeRequest(string? Mode, string? Delay);

    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("inbox");
        api.MapGet("/tenants/{tenant}/inbox", GetInbox);
        api.MapDelete("/tenants/{tenant}/inbox", ClearInbox);
        api.MapPut("/tenants/{tenant}/inbox/{supplier}/mode", SetMode);
        return app;
    }

    /// <summary>The URL callbacks reach the inbox on: the main listener, a wildcard bind read as loopback (where the sandbox sends from).</summary>
    static string UrlOf(Listeners.Table listeners, string tenant, string supplier)
    {
        var main = new Uri(listeners.UrlOf(Listeners.Main) ?? "http://127.0.0.1:8080");
        var host = main.Host is "0.0.0.0" or "[::]" ? "127.0.0.1" : main.Host;
        return $"http://{host}:{main.Port}{CallbackInbox.Prefix}/{Uri.EscapeDataString(tenant)}/{supplier}";
    }

    static Receiver ReceiverOf(CallbackInbox inbox, Listeners.Table listeners, string tenant, string supplier)
    {
        var mode = inbox.ModeOf(tenant, supplier);
        return new Receiver(supplier, UrlOf(listeners, tenant, supplier), mode.Mode, Durations.ToIso(mode.Delay));
    }

    public static Results<Ok<InboxView>, NotFound<ProblemDetails>> GetInbox(
        string tenant, string? supplier, int? limit, CallbackInbox inbox, Listeners.Table listeners, [AsParameters] AdminServices s) =>
        s.Tenants.Find(tenant) is null
            ? AdminProblem.NotFound($"tenant '{tenant}' not found")
            : TypedResults.Ok(new InboxView(tenant,
                inbox.Suppliers.Order(StringComparer.Ordinal).Select(x => ReceiverOf(inbox, listeners, tenant, x)),
                inbox.Query(tenant, supplier, limit ?? 100)));

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> ClearInbox(string tenant, string? supplier, CallbackInbox inbox, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        await inbox.ClearAsync(tenant, supplier);
        return TypedResults.NoContent();
    }

    /// <summary>Sets how the inbox answers the tenant's callbacks from one supplier: {"mode": "acknowledge|refuse|slow|wrong-ack", "delay": "PT15S"}.</summary>
    public static async Task<Results<Ok<Receiver>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>>> SetMode(
        string tenant, string supplier, ModeRequest body, CallbackInbox inbox, Listeners.Table listeners, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        if (!inbox.Knows(supplier)) return AdminProblem.NotFound($"no supplier '{supplier}' (known: {string.Join(", ", inbox.Suppliers.Order())})");
        var (mode, error) = InboxMode.Parse(body.Mode, body.Delay);
        if (mode is null) return AdminProblem.BadRequest(error!);
        var name = supplier.ToLowerInvariant();
        await inbox.SetModeAsync(tenant, name, mode);
        return TypedResults.Ok(ReceiverOf(inbox, listeners, tenant, name));
    }
}
