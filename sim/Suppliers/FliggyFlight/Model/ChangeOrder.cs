using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.FliggyFlight.Model;

public sealed class ChangePassenger
{
    public string Name { get; set; } = "";
    public string CredentialNo { get; set; } = "";
    public PassengerType Type { get; set; }
    /// <summary>The new ticket once the change is ticketed (state 5).</summary>
    public string? TicketNo { get; set; }
}

/// <summary>The fee of one passenger on one changed segment (<c>change_fee_detail</c>).</summary>
public sealed class ChangeFee
{
    public string PassengerName { get; set; } = "";
    public string SegmentId { get; set; } = "";
    public decimal Fee { get; set; }
    public decimal UpgradeFee { get; set; }
}

/// <summary>A change order (spec §2.14) on the change machine (<see cref="ChangeStatus"/>): new segments, fees, payment.</summary>
public sealed class ChangeOrder : Entity
{
    public long OrderId { get; set; }
    public string OutChangeNo { get; set; } = "";
    public int ChangeType { get; set; }
    public string? Reason { get; set; }
    public List<ChangePassenger> Passengers { get; set; } = [];
    public List<OrderSegment> Segments { get; set; } = [];
    public List<ChangeFee> Fees { get; set; } = [];
    public decimal PayAmount { get; set; }
    public long PayDeadlineMs { get; set; }
    public long? PayTimeMs { get; set; }
    public string? AlipayTradeNo { get; set; }
    public bool SeatsReleased { get; set; }
    public long UserId { get; set; }

    public long ChangeOrderId => long.Parse(Id, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// An idempotency key (out_order_no, or order_id + out_refund_no / out_change_no) and the entity it created, so a
/// retry finds its first result in one look-up.
/// </summary>
public sealed class IdempotencyKey : Entity
{
    public string Target { get; set; } = "";
    public string RequestHash { get; set; } = "";

    public static string ForOrder(string outOrderNo) => "order:" + outOrderNo;
    public static string ForRefund(long orderId, string outRefundNo) => $"refund:{orderId}:{outRefundNo}";
    public static string ForChange(long orderId, string outChangeNo) => $"change:{orderId}:{outChangeNo}";
}
