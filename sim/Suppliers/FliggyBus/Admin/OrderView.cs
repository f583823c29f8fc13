using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;

namespace Sandbox.Suppliers.FliggyBus.Admin;

/// <summary>An order as the simulated customer sees it (spec §8.1): Fliggy's order and ticket statuses (§6) with their labels, money, what is pending.</summary>
static class OrderView
{
    public static JsonObject Of(BusOrder o) => new()
    {
        ["alitripOrderId"] = o.Id,
        ["agentOrderId"] = o.AgentOrderId,
        ["status"] = o.Status,
        ["statusDesc"] = OrderStatus.Label(o.Status),
        ["scheduleId"] = o.ScheduleId,
        ["lineId"] = o.LineId,
        ["fromCity"] = o.FromCity,
        ["toCity"] = o.ToCity,
        ["fromStationCode"] = o.FromStationCode,
        ["toStationCode"] = o.ToStationCode,
        ["fromDate"] = o.FromDate,
        ["fromTime"] = o.FromTime,
        ["orderAmount"] = o.OrderAmount,
        ["refundedAmount"] = o.RefundedAmount,
        ["paid"] = o.Paid,
        ["paidAt"] = Instant(o.PaidMs),
        ["paymentDeadline"] = o.PaymentDeadlineMs > 0 ? Instant(o.PaymentDeadlineMs) : null,
        ["createdAt"] = Instant(o.CreatedMs),
        ["updatedAt"] = Instant(o.UpdatedMs),
        ["tags"] = new JsonArray(o.Tags.Order(StringComparer.Ordinal).Select(t => (JsonNode)t).ToArray()),
        ["note"] = o.Note,
        ["pendingCall"] = o.PendingCall is { } p
            ? new JsonObject { ["method"] = p.Method, ["attempt"] = p.Attempt, ["at"] = Instant(p.DueMs), ["lastVerdict"] = p.LastVerdict }
            : null,
        ["refund"] = o.Refund is { } r
            ? new JsonObject { ["passengerIds"] = new JsonArray(r.PassengerIds.Select(x => (JsonNode)x).ToArray()), ["stage"] = r.Stage }
            : null,
        ["lastRefund"] = o.LastRefund is { } l
            ? new JsonObject
            {
                ["passengerIds"] = new JsonArray(l.PassengerIds.Select(x => (JsonNode)x).ToArray()), ["result"] = l.Result, ["reason"] = l.Reason,
                ["fees"] = l.Fees is null ? null : new JsonObject(l.Fees.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
            }
            : null,
        ["tickets"] = new JsonArray(o.Tickets.Select(t => (JsonNode)new JsonObject
        {
            ["passengerId"] = t.PassengerId,
            ["passengerName"] = t.PassengerName,
            ["passengerType"] = t.PassengerType,
            ["passengerCertificateType"] = t.PassengerCertificateType,
            ["passengerCertificateNo"] = t.PassengerCertificateNo,
            ["ticketPrice"] = t.TicketPrice,
            ["status"] = t.Status,
            ["statusDesc"] = TicketStatus.Label(t.Status),
            ["ticketId"] = t.TicketId,
            ["ticketNo"] = t.TicketNo,
            ["ticketPwd"] = t.TicketPwd,
            ["seatNo"] = t.SeatNo,
            ["refundedAmount"] = t.RefundedAmount,
        }).ToArray()),
    };

    static string? Instant(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).ToOffset(TimeSpan.FromHours(8)).ToString("O") : null;
}
