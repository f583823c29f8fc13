namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// The tags scenarios/yobaoxing/failures.yaml puts on a request (and on the order it creates) to reach a documented
/// failure through the module's own code path, so the reply carries the retcode of the page and edition in force.
/// </summary>
public static class Failures
{
    public const string AccountDisabled = "account-disabled";
    public const string DailyLimit = "daily-limit";
    public const string InsufficientFunds = "insufficient-funds";
    public const string PayPasswordWrong = "pay-password-wrong";
    public const string SmsCodeWrong = "sms-code-wrong";
    public const string SmsCodeExpired = "sms-code-expired";
    /// <summary>On the order: its callbacks go to a closed loopback port, as if the integrator's receiver were down.</summary>
    public const string CallbackDown = "callback-down";
    /// <summary>On the order: the machine closes it unpaid after one minute (failures.yaml quick-close rule, default.yaml).</summary>
    public const string QuickClose = "quick-close";
    /// <summary>On the order: finance rejects its refund application (7 → A).</summary>
    public const string RefundRejected = "refund-rejected";

    /// <summary>Where callbacks of a callback-down order go: the discard port on loopback, refused or unanswered.</summary>
    public const string DeadReceiver = "http://127.0.0.1:9";
}
