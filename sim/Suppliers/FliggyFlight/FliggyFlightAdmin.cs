using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyFlight.Messages;
using Sandbox.Suppliers.FliggyFlight.Model;

namespace Sandbox.Suppliers.FliggyFlight;

/// <summary>
/// Fliggy events no API call causes (spec §2.18, §3.1): a schedule change of an order's flight, announced as
/// <c>alitrip_flight_FlightChange</c> or <c>alitrip_flight_Change</c>; and a supplementary refund (补退) of a refunded
/// refund order. Forced states go through the generic <c>POST /admin/api/tenants/{tenant}/orders/{id}/transition</c>.
/// </summary>
static class FliggyFlightAdmin
{
    public static void Map(RouteGroupBuilder admin, FliggyFlightServices s)
    {
        var api = admin.WithTags("fliggyflight");
        api.MapPost("/tenants/{tenant}/fliggyflight/orders/{id}/flight-change", (string tenant, string id, HttpRequest request) => FlightChange(tenant, id, request, s));
        api.MapPost("/tenants/{tenant}/fliggyflight/refunds/{id}/supplementary", (string tenant, string id) => Supplementary(tenant, id, s));
    }

    /// <summary>
    /// Body (every field optional): <c>topic</c> (alitrip_flight_FlightChange, default, or alitrip_flight_Change),
    /// <c>changeType</c> (1 cancelled, 2 changed — default —, 3 protected: Change only), <c>segmentId</c> (default the
    /// first), <c>reason</c>, <c>newFlightNo</c>, <c>delay</c> (default PT2H for a change) or <c>newDepTime</c> /
    /// <c>newArrTime</c> (yyyy-MM-dd HH:mm:ss).
    /// </summary>
    static async Task<IResult> FlightChange(string tenant, string id, HttpRequest request, FliggyFlightServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is not { } t) return Error(404, $"tenant '{tenant}' not found");
        if (s.Orders.Get(tenant, id) is not { } order) return Error(404, $"no fliggyflight order '{id}' for tenant '{tenant}'");
        JsonObject body;
        try
        {
            body = request.ContentLength is 0 ? [] : await JsonNode.ParseAsync(request.Body) as JsonObject ?? throw new JsonException("body must be a JSON object");
        }
        catch (JsonException e)
        {
            return Error(400, "invalid JSON: " + e.Message);
        }
        var topic = body["topic"]?.ToString() ?? FlightMessages.FlightChange;
        if (topic is not (FlightMessages.FlightChange or FlightMessages.Change)) return Error(400, $"'topic' is {FlightMessages.FlightChange} or {FlightMessages.Change}");
        var changeType = body["changeType"] is { } ct && int.TryParse(ct.ToString(), out var n) ? n : 2;
        if (changeType is < 1 or > 3 || (changeType == 3 && topic == FlightMessages.FlightChange))
            return Error(400, "'changeType' is 1 (cancelled) or 2 (changed); 3 (protected) exists for alitrip_flight_Change only");
        var segment = body["segmentId"]?.ToString() is { } segId ? order.Segments.FirstOrDefault(x => x.SegmentId == segId) : order.Segments[0];
        if (segment is null) return Error(400, $"the order has no segment '{body["segmentId"]}' ({string.Join(", ", order.Segments.Select(x => x.SegmentId))})");

        string? newDep = null, newArr = null;
        if (changeType != 1)
        {
            var delay = TimeSpan.FromHours(2);
            if (body["delay"] is { } d && !Durations.TryParse(d.ToString(), out delay)) return Error(400, "'delay' is a duration such as PT2H");
            newDep = body["newDepTime"]?.ToString() ?? Shift(segment.DepTime, delay);
            newArr = body["newArrTime"]?.ToString() ?? Shift(segment.ArrTime, delay);
            if (!Times.TryParse(newDep, out _) || !Times.TryParse(newArr, out _)) return Error(400, $"'newDepTime' and 'newArrTime' are {Times.Format}");
        }
        var now = s.Engine.Clock.NowMs(tenant);
        var facts = new FlightChangeFacts(changeType, body["reason"]?.ToString(), Times.Of(now), segment.MarketingFlightNo, segment.DepAirport, segment.ArrAirport,
            segment.DepTime, segment.ArrTime,
            changeType == 1 ? null : body["newFlightNo"]?.ToString() ?? segment.MarketingFlightNo,
            changeType == 1 ? null : segment.DepAirport, changeType == 1 ? null : segment.ArrAirport, newDep, newArr);

        var uow = s.Engine.NewUnitOfWork();
        long? messageId;
        lock (order)
        {
            messageId = s.Messages.FlightChanged(uow, tenant, order, topic, facts);
            order.FlightChanges.Add(new FlightChangeNotice { MessageId = messageId ?? 0, Topic = topic, ChangeType = changeType, SegmentId = segment.SegmentId, AtTime = facts.ChangeTime });
            s.Orders.Save(uow, tenant, order);
            uow.Timeline(tenant, FliggyFlightServices.Key(FliggyFlightServices.OrderKind, order.Id), s.Engine.Clock.RealNow.ToUnixTimeMilliseconds(), now, "flight-change",
                new JsonObject { ["topic"] = topic, ["changeType"] = changeType, ["segmentId"] = segment.SegmentId, ["messageId"] = messageId });
        }
        await uow.CommitAsync();
        return Results.Json(new { messageId, published = messageId is not null, topic, orderId = order.OrderId, facts }, StoreJson.Options);
    }

    static string Shift(string local, TimeSpan by) => Times.Instant(local).Add(by).ToOffset(Times.China).ToString(Times.Format, CultureInfo.InvariantCulture);

    /// <summary>A supplementary refund (补退) of a refunded refund order: multi_refund_flag set, RefundNotify REFUND_SUCCESS_MSG again.</summary>
    static async Task<IResult> Supplementary(string tenant, string id, FliggyFlightServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is null) return Error(404, $"tenant '{tenant}' not found");
        if (s.Refunds.Get(tenant, id) is not { } refund) return Error(404, $"no fliggyflight refund '{id}' for tenant '{tenant}'");
        if (s.Orders.Get(tenant, refund.OrderId.ToString(CultureInfo.InvariantCulture)) is not { } order) return Error(404, $"refund '{id}' has no order");
        var uow = s.Engine.NewUnitOfWork();
        lock (refund)
        {
            if (refund.Status != RefundStatus.Refunded) return Error(409, $"refund '{id}' is {refund.Status}: a supplementary refund follows a refunded one");
            refund.MultiRefundFlag = true;
            s.Refunds.Save(uow, tenant, refund);
            s.Messages.Refund(uow, tenant, order, refund, "REFUND_SUCCESS_MSG");
            uow.Timeline(tenant, FliggyFlightServices.Key(FliggyFlightServices.RefundKind, refund.Id), s.Engine.Clock.RealNow.ToUnixTimeMilliseconds(),
                s.Engine.Clock.NowMs(tenant), "supplementary-refund", new JsonObject { ["multiRefundFlag"] = true });
        }
        await uow.CommitAsync();
        return Results.Json(refund, StoreJson.Options);
    }

    static IResult Error(int status, string message) => TypedResults.Problem(AdminProblem.Of(status, message));
}
