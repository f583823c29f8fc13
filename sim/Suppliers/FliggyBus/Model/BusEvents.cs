namespace Sandbox.Suppliers.FliggyBus.Model;

/// <summary>
/// What can happen to a Fliggy bus order (spec §6.3), the <c>on:</c> names of the order and ticket machines in
/// scenarios/fliggybus/*.yaml.
/// </summary>
public static class BusEvents
{
    /// <summary>The user paid: order.confirm is called.</summary>
    public const string Paid = "Paid";
    /// <summary>The payment deadline passed: order.close with closeType 1.</summary>
    public const string PaymentTimeout = "PaymentTimeout";
    /// <summary>The user cancelled before paying: order.close with closeType 3.</summary>
    public const string UserCancel = "UserCancel";
    /// <summary>order.confirm (or the order.query fallback) answered status 3 with tickets.</summary>
    public const string ConfirmIssued = "ConfirmIssued";
    /// <summary>order.confirm answered status 2: tickets come later through bookticket.confirm.</summary>
    public const string ConfirmPending = "ConfirmPending";
    /// <summary>order.confirm answered 4 or 5, or failed on every attempt and order.query did not show it issued.</summary>
    public const string ConfirmFailed = "ConfirmFailed";
    /// <summary><c>taobao.bus.agent.bookticket.confirm</c> with success=true.</summary>
    public const string BookTicketSucceeded = "BookTicketSucceeded";
    /// <summary><c>taobao.bus.agent.bookticket.confirm</c> with success=false.</summary>
    public const string BookTicketFailed = "BookTicketFailed";
    /// <summary>No bookticket.confirm within the ticketing timeout: order.close with closeType 2.</summary>
    public const string TicketingTimeout = "TicketingTimeout";
    /// <summary>return.confirm answered refundStatus 1 (refunded at once).</summary>
    public const string ReturnRefunded = "ReturnRefunded";
    /// <summary>return.confirm answered refundStatus 2 (processing): the result comes through refund.confirm.</summary>
    public const string ReturnProcessing = "ReturnProcessing";
    /// <summary><c>taobao.bus.agent.refund.confirm</c> with status 1.</summary>
    public const string RefundSucceeded = "RefundSucceeded";
    /// <summary><c>taobao.bus.agent.refund.confirm</c> with status 2.</summary>
    public const string RefundFailed = "RefundFailed";
    /// <summary>A refund made outside Fliggy: order.query's isRefund, or refund.confirm with agent_return_mode=offline.</summary>
    public const string OfflineRefund = "OfflineRefund";
    /// <summary><c>taobao.bus.agent.multiple.refund.confirm</c>: money back, tickets unchanged.</summary>
    public const string MoneyRefunded = "MoneyRefunded";

    public static readonly IReadOnlyList<string> All =
    [
        Paid, PaymentTimeout, UserCancel, ConfirmIssued, ConfirmPending, ConfirmFailed, BookTicketSucceeded, BookTicketFailed,
        TicketingTimeout, ReturnRefunded, ReturnProcessing, RefundSucceeded, RefundFailed, OfflineRefund, MoneyRefunded,
    ];

    /// <summary>Events that pay money back to the user (their amount counts towards fully-refunded).</summary>
    public static bool Refunds(string name) => name is ReturnRefunded or RefundSucceeded or OfflineRefund or MoneyRefunded;

    /// <summary>Tag: every ticket of the order is 5 (已退票).</summary>
    public const string AllRefundedTag = "all-refunded";
    /// <summary>Tag: the refunds paid reach the order amount.</summary>
    public const string FullyRefundedTag = "fully-refunded";
}

/// <summary>One event for one order: which passengers' tickets it concerns (none = all) and the money it refunds, in fen.</summary>
public sealed record BusEvent(string Name, IReadOnlyCollection<string>? PassengerIds = null, long RefundAmount = 0);
