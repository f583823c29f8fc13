namespace Sandbox.Suppliers.FliggyFlight.Model;

/// <summary>Order states of spec §2.15 (the machine in scenarios/fliggyflight/default.yaml), with <c>order_status_code</c> and text.</summary>
public static class OrderStatus
{
    public const string WaitPay = "WAIT_PAY";
    public const string PaidTicketing = "PAID_TICKETING";
    public const string Ticketed = "TICKETED";
    public const string Closed = "CLOSED";
    public const string TicketFailed = "TICKET_FAILED";

    public static int Code(string state) => state switch
    {
        WaitPay => 1,
        PaidTicketing => 2,
        Ticketed => 3,
        Closed => 4,
        TicketFailed => 5,
        _ => 0,
    };

    public static string Text(string state) => state switch
    {
        WaitPay => "生单预定成功",
        PaidTicketing => "支付成功，出票中",
        Ticketed => "出票成功",
        Closed => "订单关闭",
        TicketFailed => "出票失败，已退款",
        _ => state,
    };
}

/// <summary>Refund order states of spec §2.16; <c>NEW</c> exists only until the create transition of the machine.</summary>
public static class RefundStatus
{
    public const string New = "NEW";
    public const string Applied = "APPLIED";
    public const string WaitAttachment = "WAIT_ATTACHMENT";
    public const string Auditing = "AUDITING";
    public const string Refunded = "REFUNDED";
    public const string Closed = "CLOSED";

    public static int Code(string state) => state switch
    {
        WaitAttachment => 2,
        Auditing => 3,
        Refunded => 4,
        Closed => 5,
        _ => 1,
    };

    public static string Text(string state) => state switch
    {
        WaitAttachment => "待补充附件",
        Auditing => "审核中",
        Refunded => "退款成功",
        Closed => "退票单关闭",
        _ => "退票申请成功，审核中",
    };

    public static bool Open(string state) => state is New or Applied or WaitAttachment or Auditing;
}

/// <summary>Change order states of spec §2.17 (status codes from the ChangeStatusNotify typings); <c>NEW</c> as for refunds.</summary>
public static class ChangeStatus
{
    public const string New = "NEW";
    public const string Submitted = "SUBMITTED";
    public const string WaitPay = "WAIT_PAY";
    public const string WaitTicket = "WAIT_TICKET";
    public const string Closed = "CLOSED";
    public const string Ticketed = "TICKETED";

    public static int Code(string state) => state switch
    {
        WaitPay => 2,
        WaitTicket => 3,
        Closed => 4,
        Ticketed => 5,
        _ => 1,
    };

    public static string Text(string state) => state switch
    {
        WaitPay => "待支付",
        WaitTicket => "待出票",
        Closed => "关闭",
        Ticketed => "出票成功",
        _ => "改签单提交成功",
    };

    public static bool Open(string state) => state is New or Submitted or WaitPay or WaitTicket;
}

/// <summary>A passenger's ticket status (spec §2.2).</summary>
public static class TicketStatus
{
    public const string Ticketing = "TICKETING";
    public const string Ticketed = "TICKETED";
    public const string Refunding = "REFUNDING";
    public const string Refunded = "REFUNDED";
    public const string Changed = "CHANGED";
    public const string Failed = "FAILED";
}

public enum PassengerType
{
    Adult = 0,
    Child = 1,
    Infant = 2,
}
