using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// TMC's admin endpoints: read a tenant's queues (per group: connections, counts and messages with their delivery
/// status), and publish a message of any topic to the tenant's app, to try a consumer before an order produces one.
/// </summary>
static class TmcAdmin
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var api = routes.MapAdminGroup().WithTags("tmc");
        api.MapGet("/tenants/{tenant}/tmc/queues", Queues);
        api.MapPost("/tenants/{tenant}/tmc/messages", Publish);
    }

    static IResult Queues(string tenant, int? limit, TenantRegistry tenants, TmcQueues queues, TmcDispatcher dispatcher, TmcPermits permits, VirtualClock clock)
    {
        if (tenants.Find(tenant) is not { } t) return Results.Json(new { error = $"tenant '{tenant}' not found" }, statusCode: 404);
        var settings = TmcSettings.For(t);
        var now = clock.NowMs(tenant);
        var names = new List<string> { TmcSettings.DefaultGroup };
        names.AddRange(settings.Groups.Select(g => g.Name));
        names.AddRange(queues.QueuesOf(tenant).Select(q => q.Group).Where(g => !names.Contains(g)).Order(StringComparer.Ordinal));
        var groups = new JsonArray();
        foreach (var name in names)
        {
            var messages = queues.Snapshot(tenant, name, Math.Clamp(limit ?? 100, 1, 10_000));
            var counts = new JsonObject { ["ready"] = 0, ["inflight"] = 0, ["delayed"] = 0, ["parked"] = 0 };
            var list = new JsonArray();
            foreach (var m in messages)
            {
                var status = m.Status(now);
                counts[status] = counts[status]!.GetValue<int>() + 1;
                list.Add(new JsonObject
                {
                    ["id"] = m.Id, ["topic"] = m.Topic, ["status"] = status, ["deliveries"] = m.Deliveries, ["holder"] = m.Holder,
                    ["userId"] = m.UserId, ["userNick"] = m.UserNick, ["pubTime"] = Iso(m.PubMs),
                    ["visibleAt"] = m.VisibleMs > now ? Iso(m.VisibleMs) : null, ["content"] = m.Content,
                });
            }
            groups.Add(new JsonObject
            {
                ["name"] = name,
                ["routes"] = settings.Groups.FirstOrDefault(g => g.Name == name) is { } g
                    ? new JsonObject { ["topics"] = new JsonArray(g.Topics.Order().Select(x => (JsonNode)x).ToArray()), ["nicks"] = new JsonArray(g.Nicks.Order().Select(x => (JsonNode)x).ToArray()) }
                    : null,
                ["connections"] = new JsonArray(dispatcher.ConnectionsOf(tenant, name).Select(c => (JsonNode)new JsonObject
                {
                    ["token"] = c.Token, ["sdk"] = c.Sdk, ["remote"] = c.Remote, ["connectedAt"] = c.ConnectedAt.ToString("O", CultureInfo.InvariantCulture),
                }).ToArray()),
                ["counts"] = counts,
                ["messages"] = list,
            });
        }
        return Results.Json(new JsonObject
        {
            ["tenant"] = tenant,
            ["appKey"] = t.Credential(TmcConnectValidator.Supplier, TmcConnectValidator.IdentityField),
            ["settings"] = new JsonObject
            {
                ["topics"] = new JsonArray(settings.Topics.Order().Select(x => (JsonNode)x).ToArray()),
                ["auto_permit"] = settings.AutoPermit, ["publisher"] = settings.Publisher,
                ["push_ack_timeout_seconds"] = settings.PushAckTimeout.TotalSeconds, ["consume_ack_timeout_seconds"] = settings.ConsumeAckTimeout.TotalSeconds,
                ["failed_retry_seconds"] = settings.FailedRetryDelay.TotalSeconds, ["max_deliveries"] = settings.MaxDeliveries,
                ["timestamp_tolerance_seconds"] = settings.TimestampTolerance.TotalSeconds,
            },
            ["warnings"] = new JsonArray(settings.Warnings.Select(w => (JsonNode)w).ToArray()),
            ["permits"] = JsonSerializer.SerializeToNode(permits.All(tenant), StoreJson.Options),
            ["groups"] = groups,
        }, StoreJson.Options);
    }

    /// <summary>
    /// Body <c>{"topic", "userId", "userNick", "content"}</c>; content is an object (its <c>id</c> becomes the message id,
    /// as in every TMC payload) or a string taken as it is. Routed like any message: the reply says to which group, or
    /// why nobody receives it.
    /// </summary>
    static async Task<IResult> Publish(string tenant, HttpRequest request, TenantRegistry tenants, TmcPublisher publisher, IStore store)
    {
        if (tenants.Find(tenant) is not { } t) return Results.Json(new { error = $"tenant '{tenant}' not found" }, statusCode: 404);
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException e)
        {
            return Results.Json(new { error = "invalid JSON: " + e.Message }, statusCode: 400);
        }
        if (body?["topic"] is not JsonValue tv || !tv.TryGetValue<string>(out var topic) || topic.Length == 0)
            return Results.Json(new { error = "body is {\"topic\": \"alitrip_flight_TradeNotify\", \"userId\": 2200000000001, \"userNick\": \"sandbox_seller\", \"content\": {…}}" }, statusCode: 400);
        var userId = body["userId"] is JsonValue uv && uv.TryGetValue<long>(out var u) ? u : 2200000000001;
        var nick = body["userNick"] is JsonValue nv && nv.TryGetValue<string>(out var n) && n.Length > 0 ? n : "sandbox_seller";
        Func<long, string> content = body["content"] switch
        {
            JsonObject o => id =>
            {
                var copy = new JsonObject { ["id"] = id.ToString(CultureInfo.InvariantCulture) };
                foreach (var (k, v) in o)
                    if (k != "id") copy[k] = v?.DeepClone();
                return copy.ToJsonString(StoreJson.Options);
            },
            JsonValue s when s.TryGetValue<string>(out var text) => _ => text,
            null => id => new JsonObject { ["id"] = id.ToString(CultureInfo.InvariantCulture) }.ToJsonString(),
            _ => null!,
        };
        if (content is null) return Results.Json(new { error = "content must be an object or a string" }, statusCode: 400);
        var uow = new UnitOfWork(store);
        var route = publisher.Route(t, topic, nick);
        var messageId = publisher.Publish(uow, new TmcPublication(tenant, topic, userId, nick, content));
        await uow.CommitAsync();
        return Results.Json(new JsonObject
        {
            ["id"] = messageId, ["topic"] = topic, ["queued"] = route.Group is not null, ["group"] = route.Group, ["reason"] = route.Reason,
        }, StoreJson.Options, statusCode: route.Group is not null ? 201 : 200);
    }

    static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture);
}
