using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Top.Sessions;

namespace Sandbox.Suppliers.Top;

/// <summary>
/// Sessions of a tenant's app (spec §1.8): <c>POST /admin/api/tenants/{tenant}/top/sessions</c> authorizes a user,
/// <c>GET</c> lists, <c>DELETE …/{session}</c> revokes (using it then answers code 27).
/// </summary>
static class TopAdmin
{
    public static void Map(RouteGroupBuilder admin, TopSessions sessions)
    {
        var api = admin.WithTags("top");
        api.MapGet("/tenants/{tenant}/top/sessions", (string tenant, TenantRegistry tenants, VirtualClock clock) =>
            tenants.Find(tenant) is { } t
                ? Results.Json(new JsonArray(sessions.List(t).Select(s => (JsonNode)View(s, clock.NowMs(tenant))).ToArray()), StoreJson.Options)
                : NotFound($"tenant '{tenant}' not found"));
        api.MapPost("/tenants/{tenant}/top/sessions", (string tenant, HttpRequest request, TenantRegistry tenants, ScenarioCatalog scenarios, VirtualClock clock) =>
            Create(tenant, request, tenants, scenarios, clock, sessions));
        api.MapDelete("/tenants/{tenant}/top/sessions/{session}", async (string tenant, string session, TenantRegistry tenants, VirtualClock clock) =>
        {
            if (tenants.Find(tenant) is not { } t) return NotFound($"tenant '{tenant}' not found");
            return await sessions.RevokeAsync(t, session) is { } revoked
                ? Results.Json(View(revoked, clock.NowMs(tenant)), StoreJson.Options)
                : NotFound($"tenant '{tenant}' has no session '{session}'");
        });
    }

    static async Task<IResult> Create(string tenant, HttpRequest request, TenantRegistry tenants, ScenarioCatalog scenarios, VirtualClock clock, TopSessions sessions)
    {
        if (tenants.Find(tenant) is not { } t) return NotFound($"tenant '{tenant}' not found");
        JsonObject body;
        try
        {
            body = request.ContentLength is 0 ? [] : await JsonNode.ParseAsync(request.Body) as JsonObject ?? throw new JsonException("body must be a JSON object");
        }
        catch (JsonException error)
        {
            return Bad("invalid JSON: " + error.Message);
        }
        var settings = new TopSettings(t, scenarios.For(TopCredentials.Supplier, t.ScenarioSet(TopCredentials.Supplier)));
        long userId;
        if (body["userId"] is null) userId = TopCredentials.DefaultUserId + 1 + Random.Shared.Next(1, 1_000_000);
        else if (!long.TryParse(body["userId"]!.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out userId) || userId <= 0)
            return Bad("'userId' must be a positive integer");
        var expiresIn = settings.SessionLifetime;
        if (body["expiresIn"] is { } e)
        {
            if (!long.TryParse(e.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                return Bad("'expiresIn' is a number of seconds > 0");
            expiresIn = TimeSpan.FromSeconds(seconds);
        }
        bool? Flag(string name) => body[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;
        if (body["channelAssigned"] is not null && Flag("channelAssigned") is null) return Bad("'channelAssigned' is true or false");
        if (body["payAgreementSigned"] is not null && Flag("payAgreementSigned") is null) return Bad("'payAgreementSigned' is true or false");
        var nick = body["userNick"]?.ToString() is { Length: > 0 } n ? n : "sandbox_" + userId.ToString(CultureInfo.InvariantCulture);
        var session = await sessions.CreateAsync(t, userId, nick, expiresIn, Flag("channelAssigned") ?? true, Flag("payAgreementSigned") ?? true);
        return Results.Json(View(session, clock.NowMs(tenant)), StoreJson.Options, statusCode: 201);
    }

    static JsonObject View(TopSession s, long nowMs) => new()
    {
        ["session"] = s.Id,
        ["userId"] = s.UserId,
        ["userNick"] = s.UserNick,
        ["status"] = s.Status == TopSession.Valid && s.ExpiresMs is { } exp && nowMs >= exp ? "expired" : s.Status,
        ["createdAt"] = s.CreatedMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedMs).ToString("O") : null,
        ["expiresAt"] = s.ExpiresMs is { } x ? DateTimeOffset.FromUnixTimeMilliseconds(x).ToString("O") : null,
        ["channelAssigned"] = s.ChannelAssigned,
        ["payAgreementSigned"] = s.PayAgreementSigned,
        ["standing"] = s.CreatedMs == 0,
    };

    static IResult NotFound(string message) => AdminProblem.NotFound(message);

    static IResult Bad(string message) => AdminProblem.BadRequest(message);
}
