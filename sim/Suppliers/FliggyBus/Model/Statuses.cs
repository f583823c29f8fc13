namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>Fliggy order status codes (spec §6.1, the seed's order status table).</summary>
public static class OrderStatus
{
    /// <summary>等待付款 (锁单，占座成功): after create order succeeds.</summary>
    public const string AwaitingPayment = "1";
    /// <summary>等待出票: paid, the merchant did not return the ticketing result in real time.</summary>
    public const string AwaitingTickets = "2";
    /// <summary>出票成功</summary>
    public const string Issued = "3";
    /// <summary>订单关闭: ticketing failed or timed out.</summary>
    public const string Closed = "4";
    /// <summary>订单取消: the user did not pay in time (or cancelled).</summary>
    public const string Cancelled = "5";
    /// <summary>退票订单退票中</summary>
    public const string Refunding = "9";
    /// <summary>退票成功: every ticket refunded.</summary>
    public const string Refunded = "11";

    public static readonly IReadOnlyList<string> All = [AwaitingPayment, AwaitingTickets, Issued, Closed, Cancelled, Refunding, Refunded];

    /// <summary>
    /// Before Fliggy's table applies [sandbox definition]: the order is booked on Fliggy and order.create is being
    /// sent (with its retries). The order machine starts at <see cref="AwaitingPayment"/> once the merchant took it.
    /// </summary>
    public const string Creating = "creating";
    /// <summary>Every order.create attempt failed: the user sees 下单失败，请重试 and no close call is made [sandbox definition].</summary>
    public const string CreateFailed = "create-failed";

    public static string Label(string code) => code switch
    {
        Creating => "下单中",
        CreateFailed => "下单失败，请重试",
        AwaitingPayment => "等待付款",
        AwaitingTickets => "等待出票",
        Issued => "出票成功",
        Closed => "订单关闭",
        Cancelled => "订单取消",
        Refunding => "退票订单退票中",
        Refunded => "退票成功",
        _ => "未知",
    };
}

/// <summary>Ticket status codes (spec §6.2, the seed's ticket status table).</summary>
public static class TicketStatus
{
    /// <summary>出票中: seats locked or ticketing.</summary>
    public const string Ticketing = "1";
    /// <summary>已出票</summary>
    public const string Issued = "2";
    /// <summary>无票: ticketing failed.</summary>
    public const string NoTicket = "3";
    /// <summary>退票中</summary>
    public const string Refunding = "4";
    /// <summary>已退票</summary>
    public const string Refunded = "5";
    /// <summary>退票失败</summary>
    public const string RefundFailed = "6";
    /// <summary>未知: what a merchant's unrecognised <c>ticketStatus</c> is recorded as.</summary>
    public const string Unknown = "-1";

    public static readonly IReadOnlyList<string> All = [Ticketing, Issued, NoTicket, Refunding, Refunded, RefundFailed, Unknown];

    public static string Label(string code) => code switch
    {
        Ticketing => "出票中",
        Issued => "已出票",
        NoTicket => "无票",
        Refunding => "退票中",
        Refunded => "已退票",
        RefundFailed => "退票失败",
        _ => "未知",
    };

    /// <summary>A merchant's <c>ticketStatus</c> as Fliggy records it: a known code, else -1.</summary>
    public static string FromMerchant(string? code) => code is not null && All.Contains(code) ? code : Unknown;
}

/// <summary>
/// Certificate types: <c>1</c>–<c>4</c> in the Qimen APIs (1 身份证 from the seed; 2 护照, 3 港澳通行证, 4 台湾通行证
/// [sandbox definition]) and <c>01</c>–<c>04</c> in <c>taobao.bus.agent.bookticket.confirm</c>.
/// </summary>
public static class CertificateTypes
{
    public static readonly string[] Qimen = ["1", "2", "3", "4"];

    /// <summary>The TOP code (01…04) of a Qimen code, and back: the two code sets map one to one.</summary>
    public static string ToTop(string qimen) => qimen.Length == 1 ? "0" + qimen : qimen;

    public static string FromTop(string top) => top.Length == 2 && top[0] == '0' ? top[1..] : top;
}
