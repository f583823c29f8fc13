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
}

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
    [JsonPropertyName("fromDate")] public string FromDate { get; set; } = "";
    [JsonPropertyName("fromTime")] public string FromTime { get; set; } = "";
    /// <summary>Order total, fen (Σ ticket prices).</summary>
    [JsonPropertyName("orderAmount")] public long OrderAmount { get; set; }
    /// <summary>Money paid back to the user so far, fen.</summary>
    [JsonPropertyName("refundedAmount")] public long RefundedAmount { get; set; }
    /// <summary>Payment deadline on the tenant's virtual clock, Unix ms: min(lockExpireTime, creation + paymentDeadline).</summary>
    [JsonPropertyName("paymentDeadlineMs")] public long PaymentDeadlineMs { get; set; }
    [JsonPropertyName("tickets")] public List<BusTicket> Tickets { get; set; } = [];

    public BusTicket? Ticket(string passengerId) => Tickets.FirstOrDefault(t => t.PassengerId == passengerId);
}
