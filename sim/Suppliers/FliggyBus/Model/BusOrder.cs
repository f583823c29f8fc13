using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>One passenger's ticket on a Fliggy order, with its §6.2 status.</summary>
public sealed class BusTicket
{
    [JsonPropertyName("passengerId")] public string PassengerId { get; set; } = "";
    [JsonPropertyName("passengerName")] public string PassengerName { get; set; } = "";
    [JsonPropertyName("passengerType")] public string PassengerType { get; set; } = "0";
    [JsonPropertyName("passengerCertificateType")] public string PassengerCertificateType { get; set; } = "1";
    [JsonPropertyName("passengerCertificateNo")] public string PassengerCertificateNo { get; set; } = "";
    /// <summary>Price paid, fen.</summary>
    [JsonPropertyName("ticketPrice")] public long TicketPrice { get; set; }
    /// <summary>The merchant's ticket id, once create order or confirm named it.</summary>
    [JsonPropertyName("ticketId")] public string? TicketId { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = TicketStatus.Ticketing;
    /// <summary>What the merchant said about the issued ticket (order.confirm, order.query, bookticket.confirm).</summary>
    [JsonPropertyName("ticketNo")] public string? TicketNo { get; set; }
    [JsonPropertyName("ticketPwd")] public string? TicketPwd { get; set; }
    [JsonPropertyName("seatNo")] public string? SeatNo { get; set; }
    /// <summary>Money paid back to the user for this ticket so far, fen.</summary>
    [JsonPropertyName("refundedAmount")] public long RefundedAmount { get; set; }
}

/// <summary>
/// A refund the user asked for and Fliggy is settling with the merchant: return.query quotes the fees, then
/// return.confirm submits them (spec §4.8, §4.9). One at a time per order.
/// </summary>
public sealed class BusRefund
{
    [JsonPropertyName("passengerIds")] public List<string> PassengerIds { get; set; } = [];
    /// <summary><c>query</c> (return.query in progress) or <c>confirm</c> (return.confirm in progress).</summary>
    [JsonPropertyName("stage")] public string Stage { get; set; } = QueryStage;
    /// <summary>The fee per passenger the merchant quoted, fen.</summary>
    [JsonPropertyName("fees")] public Dictionary<string, long> Fees { get; set; } = [];

    public const string QueryStage = "query";
    public const string ConfirmStage = "confirm";
}

/// <summary>How the last refund request ended, for the order view.</summary>
public sealed record BusRefundOutcome(
    [property: JsonPropertyName("passengerIds")] IReadOnlyList<string> PassengerIds,
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("fees")] IReadOnlyDictionary<string, long>? Fees)
{
    public const string Refunded = "refunded";
    public const string Processing = "processing";
    public const string Rejected = "rejected";
    public const string NotOffered = "not-offered";
}

/// <summary>A Qimen call's next attempt, shown with the order while it waits on the virtual clock.</summary>
public sealed record PendingCall(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("dueMs")] long DueMs,
    [property: JsonPropertyName("lastVerdict")] string LastVerdict);

/// <summary>
/// A Fliggy custom-bus order as Fliggy keeps it (spec §6): its id (<c>alitripOrderId</c>), the merchant's
/// <c>agentOrderId</c>, what was booked and paid, the order status and one ticket per passenger.
/// </summary>
public sealed class BusOrder : Entity
{
    [JsonPropertyName("agentOrderId")] public string? AgentOrderId { get; set; }
    [JsonPropertyName("alipayTradeNo")] public string AlipayTradeNo { get; set; } = "";
    [JsonPropertyName("lineId")] public string LineId { get; set; } = "";
    [JsonPropertyName("scheduleId")] public string ScheduleId { get; set; } = "";
    [JsonPropertyName("fromCity")] public string FromCity { get; set; } = "";
    [JsonPropertyName("toCity")] public string ToCity { get; set; } = "";
    [JsonPropertyName("fromStationCode")] public string FromStationCode { get; set; } = "";
    [JsonPropertyName("toStationCode")] public string ToStationCode { get; set; } = "";
    [JsonPropertyName("fromDate")] public string FromDate { get; set; } = "";
    [JsonPropertyName("fromTime")] public string FromTime { get; set; } = "";
    /// <summary>Departure instant (Unix ms), when the schedule gives one: the refund rules count hours to it.</summary>
    [JsonPropertyName("departureMs")] public long? DepartureMs { get; set; }
    /// <summary>Order total, fen (Σ ticket prices).</summary>
    [JsonPropertyName("orderAmount")] public long OrderAmount { get; set; }
    /// <summary>Money paid back to the user so far, fen.</summary>
    [JsonPropertyName("refundedAmount")] public long RefundedAmount { get; set; }
    /// <summary>Payment deadline on the tenant's virtual clock, Unix ms: min(lockExpireTime, creation + paymentDeadline).</summary>
    [JsonPropertyName("paymentDeadlineMs")] public long PaymentDeadlineMs { get; set; }
    /// <summary>When the user paid (virtual clock, Unix ms).</summary>
    [JsonPropertyName("paidMs")] public long? PaidMs { get; set; }
    /// <summary>The line's refund mode and machine rule, as they were when the order was booked.</summary>
    [JsonPropertyName("isOrderRefund")] public bool IsOrderRefund { get; set; }
    [JsonPropertyName("refundRules")] public List<RefundRule>? RefundRules { get; set; }
    /// <summary>The order.create body, sent unchanged by every attempt (spec §3).</summary>
    [JsonPropertyName("createBody")] public string CreateBody { get; set; } = "";
    [JsonPropertyName("tickets")] public List<BusTicket> Tickets { get; set; } = [];
    [JsonPropertyName("refund")] public BusRefund? Refund { get; set; }
    [JsonPropertyName("lastRefund")] public BusRefundOutcome? LastRefund { get; set; }
    /// <summary>Refund serial numbers of the merchant's taobao.bus.* refunds already applied (each counts once).</summary>
    [JsonPropertyName("refundTransIds")] public HashSet<string> RefundTransIds { get; set; } = new(StringComparer.Ordinal);
    /// <summary>A call about this order waiting for its next attempt on the virtual clock, if any.</summary>
    [JsonPropertyName("pendingCall")] public PendingCall? PendingCall { get; set; }
    /// <summary>Why the order is where it is, when a failure put it there (下单失败, the merchant's refusal …).</summary>
    [JsonPropertyName("note")] public string? Note { get; set; }

    public BusTicket? Ticket(string passengerId) => Tickets.FirstOrDefault(t => t.PassengerId == passengerId);

    /// <summary>What each passenger paid (of <paramref name="passengerIds"/>, or all), fen: the validator's yardstick for refunds.</summary>
    public IReadOnlyDictionary<string, long> Prices(IEnumerable<string>? passengerIds = null)
    {
        var ids = passengerIds?.ToHashSet();
        return Tickets.Where(t => ids is null || ids.Contains(t.PassengerId)).ToDictionary(t => t.PassengerId, t => t.TicketPrice);
    }

    public bool Paid => PaidMs is not null;
}
