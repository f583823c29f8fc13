using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Yobaoxing.Model;

/// <summary>Order status codes (spec §3.1).</summary>
public static class OrderStatus
{
    public const string Booking = "0";
    public const string PartiallyPaid = "1";
    public const string DepositAuthorised = "2";
    public const string Delivered = "3";
    public const string Closed = "4";
    public const string InstantPaid = "5";
    public const string InstantApproved = "6";
    public const string RefundRequested = "7";
    public const string RefundApproved = "8";
    public const string PaymentRejected = "9";
    public const string RefundRejected = "A";
    public const string Refunded = "B";
    public const string CounterCollected = "X";
    public const string RebateAuthorised = "C";
    public const string RebateDelivered = "D";

    public static readonly string[] All = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "X", "C", "D"];

    public static string Describe(string status) => status switch
    {
        "0" => "预定中", "1" => "部分支付", "2" => "预定金授权", "3" => "已交割", "4" => "已关闭", "5" => "第三方付款已支付",
        "6" => "第三方付款已核准", "7" => "第三方支付退款申请中", "8" => "第三方支付退款已核准", "9" => "第三方付款核准未通过",
        "A" => "第三方付款退款核准未通过", "B" => "第三方付款已退款", "X" => "已前台现付取票", "C" => "支付完成(返款余额授权)",
        "D" => "已交割(返款)", _ => status,
    };
}

/// <summary>How an order was paid; decides which account penalties and refunds go to (spec §3.4, §3.5).</summary>
public static class PayMethod
{
    public const string None = "";
    public const string Deposit = "YFK";
    public const string Rebate = "FK";
    public const string Instant = "EPAY";
    public const string Counter = "CASH";

    public static string Describe(string method, string channel) => method switch
    {
        Deposit => "预订金支付",
        Rebate => "返款余额支付",
        Instant => channel.Length > 0 ? channel : "即时支付",
        Counter => "前台现付",
        _ => "",
    };
}

public sealed class OrderLine
{
    [JsonPropertyName("productId")] public string ProductId { get; set; } = "";
    [JsonPropertyName("productName")] public string ProductName { get; set; } = "";
    [JsonPropertyName("num")] public int Num { get; set; }
    [JsonPropertyName("unit")] public string Unit { get; set; } = "张";
    [JsonPropertyName("price")] public decimal Price { get; set; }
    [JsonPropertyName("serviceCode")] public string ServiceCode { get; set; } = "";
    [JsonPropertyName("serviceName")] public string ServiceName { get; set; } = "";
    [JsonPropertyName("timeIndex")] public int? TimeIndex { get; set; }
    [JsonPropertyName("seats")] public List<string> Seats { get; set; } = [];
    [JsonPropertyName("seatDesc")] public string SeatDesc { get; set; } = "";
    [JsonPropertyName("dealNum")] public int DealNum { get; set; }
    [JsonPropertyName("dealAmount")] public decimal DealAmount { get; set; }
    [JsonPropertyName("fees")] public decimal Fees { get; set; }
    [JsonPropertyName("returnCount")] public int ReturnCount { get; set; }
    [JsonPropertyName("returnFees")] public decimal ReturnFees { get; set; }
    [JsonPropertyName("returnTotal")] public decimal ReturnTotal { get; set; }
}

/// <summary>One real-name record (Memo): 证件号码^姓名^手机号码^产品序号^证件类型.</summary>
public sealed record RealName(
    [property: JsonPropertyName("idNumber")] string IdNumber,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("mobile")] string Mobile,
    [property: JsonPropertyName("productIndex")] int ProductIndex,
    [property: JsonPropertyName("idType")] string IdType);

public sealed record GateCheck(
    [property: JsonPropertyName("datetime")] string DateTime,
    [property: JsonPropertyName("stationName")] string StationName,
    [property: JsonPropertyName("gateNumber")] string GateNumber);

/// <summary>A ticket created by collection or activation (spec §4.40); status 1 normal, 2 refunded, 4 consumed (V4).</summary>
public sealed class Ticket
{
    [JsonPropertyName("code")] public string Code { get; set; } = "";
    [JsonPropertyName("productId")] public string ProductId { get; set; } = "";
    [JsonPropertyName("productName")] public string ProductName { get; set; } = "";
    [JsonPropertyName("personCount")] public int PersonCount { get; set; } = 1;
    [JsonPropertyName("ticketDate")] public string TicketDate { get; set; } = "";
    [JsonPropertyName("freeCount")] public int FreeCount { get; set; }
    [JsonPropertyName("price")] public decimal Price { get; set; }
    [JsonPropertyName("serviceCode")] public string ServiceCode { get; set; } = "";
    [JsonPropertyName("serviceName")] public string ServiceName { get; set; } = "";
    [JsonPropertyName("timeSpanIndex")] public int? TimeSpanIndex { get; set; }
    [JsonPropertyName("startTime")] public string StartTime { get; set; } = "";
    [JsonPropertyName("endTime")] public string EndTime { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "1";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("identityCode")] public string IdentityCode { get; set; } = "";
    [JsonPropertyName("seatDesc")] public string SeatDesc { get; set; } = "";
    [JsonPropertyName("checks")] public List<GateCheck> Checks { get; set; } = [];
    [JsonPropertyName("refundedAt")] public string RefundedAt { get; set; } = "";
    [JsonPropertyName("refundFee")] public decimal RefundFee { get; set; }
    [JsonPropertyName("refundMode")] public string RefundMode { get; set; } = "";

    public decimal Summary => Price * (PersonCount - FreeCount);
}

/// <summary>
/// One refund the supplier recorded for an order (QueryOrderRefund's details): the whole undelivered order for an
/// instant-payment ApplyRefund (basis 1), or one ticket for RefundTicket (basis 2). Status: 1 applied, 2 approved,
/// 3 refunded, 4 rejected by finance, 0 withdrawn.
/// </summary>
public sealed class RefundRecord
{
    [JsonPropertyName("productId")] public string ProductId { get; set; } = "";
    [JsonPropertyName("productName")] public string ProductName { get; set; } = "";
    [JsonPropertyName("personCount")] public int PersonCount { get; set; }
    [JsonPropertyName("price")] public decimal Price { get; set; }
    [JsonPropertyName("summary")] public decimal Summary { get; set; }
    [JsonPropertyName("fee")] public decimal Fee { get; set; }
    [JsonPropertyName("amount")] public decimal Amount { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = "1";
    [JsonPropertyName("basis")] public string Basis { get; set; } = "1";
    [JsonPropertyName("ticketCode")] public string TicketCode { get; set; } = "";
    [JsonPropertyName("createdAt")] public string CreatedAt { get; set; } = "";
    [JsonPropertyName("completedAt")] public string CompletedAt { get; set; } = "";
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
}

/// <summary>
/// A booking order (预订单) with its delivery (sell bill and tickets) and refunds. Its status is one of the 15
/// codes of spec §3.1, driven by the machine in scenarios/yobaoxing/default.yaml.
/// </summary>
public sealed class TicketOrder : Entity
{
    [JsonPropertyName("theatre")] public bool Theatre { get; set; }
    [JsonPropertyName("senderId")] public string SenderId { get; set; } = "";
    [JsonPropertyName("orderTime")] public string OrderTime { get; set; } = "";
    [JsonPropertyName("mobile")] public string Mobile { get; set; } = "";
    [JsonPropertyName("cardId")] public string CardId { get; set; } = "";
    [JsonPropertyName("sxrq")] public string Sxrq { get; set; } = "";
    [JsonPropertyName("needInvoice")] public bool NeedInvoice { get; set; }
    [JsonPropertyName("invoiceTitle")] public string InvoiceTitle { get; set; } = "";
    [JsonPropertyName("realNames")] public List<RealName> RealNames { get; set; } = [];
    [JsonPropertyName("lines")] public List<OrderLine> Lines { get; set; } = [];
    [JsonPropertyName("total")] public decimal Total { get; set; }
    [JsonPropertyName("payMethod")] public string PayMethod { get; set; } = "";
    [JsonPropertyName("payChannel")] public string PayChannel { get; set; } = "";
    /// <summary>Amount taken from the deposit or rebate account so far (V4 takes it at authorisation, legacy at delivery).</summary>
    [JsonPropertyName("debited")] public decimal Debited { get; set; }
    [JsonPropertyName("smsModel")] public string SmsModel { get; set; } = "0";
    /// <summary>The per-call sendnotification switch (V4): false suppresses the official notices of this order.</summary>
    [JsonPropertyName("sendNotification")] public bool SendNotification { get; set; } = true;
    /// <summary>Instant payment: the trade number BeginToPay issued (WeChat's out_trade_no) and the legacy NotifyURL.</summary>
    [JsonPropertyName("payTradeNo")] public string PayTradeNo { get; set; } = "";
    [JsonPropertyName("notifyUrl")] public string NotifyUrl { get; set; } = "";
    [JsonPropertyName("paidAt")] public string PaidAt { get; set; } = "";
    /// <summary>What closed the order (a page, "after 0 timer", an admin): BeginToPay's -2008 tells a payment time-out apart.</summary>
    [JsonPropertyName("closedBy")] public string ClosedBy { get; set; } = "";
    [JsonPropertyName("serviceCode")] public string ServiceCode { get; set; } = "";
    [JsonPropertyName("timeSpanIndex")] public int? TimeSpanIndex { get; set; }
    [JsonPropertyName("theaterId")] public string TheaterId { get; set; } = "";
    [JsonPropertyName("senceId")] public string SenceId { get; set; } = "";
    [JsonPropertyName("sellBillId")] public string SellBillId { get; set; } = "";
    [JsonPropertyName("stationId")] public string StationId { get; set; } = "";
    [JsonPropertyName("stationName")] public string StationName { get; set; } = "";
    [JsonPropertyName("businessType")] public string BusinessType { get; set; } = "";
    [JsonPropertyName("deliveredAt")] public string DeliveredAt { get; set; } = "";
    [JsonPropertyName("dealAmount")] public decimal DealAmount { get; set; }
    [JsonPropertyName("totalFees")] public decimal TotalFees { get; set; }
    [JsonPropertyName("tickets")] public List<Ticket> Tickets { get; set; } = [];
    [JsonPropertyName("refundReason")] public string RefundReason { get; set; } = "";
    [JsonPropertyName("refundAmount")] public decimal RefundAmount { get; set; }
    [JsonPropertyName("backStatus")] public string BackStatus { get; set; } = "";
    [JsonPropertyName("smsSends")] public int SmsSends { get; set; }
    [JsonPropertyName("voucherSentMs")] public long VoucherSentMs { get; set; }
    [JsonPropertyName("refunds")] public List<RefundRecord> Refunds { get; set; } = [];
    /// <summary>Stock this order holds ("sold|key|n", "daily|key|n", "slot|key|n", "seat|key", "id|key"), released when it closes.</summary>
    [JsonPropertyName("closeSettled")] public bool CloseSettled { get; set; }
    [JsonPropertyName("held")] public List<string> Held { get; set; } = [];

    [JsonIgnore] public int Quantity => Lines.Sum(l => l.Num);

    public string TicketTypeDesc() => string.Join(",", Lines.Select(l => $"{l.ProductName}{l.Num}{l.Unit}"));
}
