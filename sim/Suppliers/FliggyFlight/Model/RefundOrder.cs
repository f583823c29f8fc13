using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.FliggyFlight.Model;

/// <summary>One ticket on one segment being refunded, with its fee (spec §2.9 <c>refund_fee_detail</c>).</summary>
public sealed class RefundItem
{
    public string PassengerName { get; set; } = "";
    public string CredentialNo { get; set; } = "";
    public string? TicketNo { get; set; }
    public string SegmentId { get; set; } = "";
    public decimal TicketPrice { get; set; }
    public decimal BuildFee { get; set; }
    public decimal OilFee { get; set; }
    public decimal RefundFee { get; set; }
    public decimal RefundAmount { get; set; }
}

/// <summary>Proof uploaded for a refund (spec §2.11): the file key handed out and what the file was.</summary>
public sealed class Attachment
{
    public string FileKey { get; set; } = "";
    public string FileName { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public long UploadedMs { get; set; }
}

/// <summary>A refund order (spec §2.10–2.13) on the refund machine (<see cref="RefundStatus"/>).</summary>
public sealed class RefundOrder : Entity
{
    public long OrderId { get; set; }
    public string OutRefundNo { get; set; } = "";
    public int ApplyType { get; set; }
    public string? Reason { get; set; }
    public List<RefundItem> Items { get; set; } = [];
    public bool CalculateSuccess { get; set; }
    /// <summary>The fee total: computed at creation for voluntary refunds, fixed at audit (0) for involuntary ones.</summary>
    public decimal? AllRefundFee { get; set; }
    public decimal RefundAmount { get; set; }
    public long? AuditTimeMs { get; set; }
    public long? RefundTimeMs { get; set; }
    public string? RefuseReason { get; set; }
    public bool MultiRefundFlag { get; set; }
    public List<Attachment> Attachments { get; set; } = [];
    public long UserId { get; set; }

    public long RefundOrderId => long.Parse(Id, System.Globalization.CultureInfo.InvariantCulture);
}
