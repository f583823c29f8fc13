namespace Sandbox.Engine.Callbacks;

/// <summary>A supplier's outbound rules: what counts as an acknowledgement, how long to wait, when to retry.</summary>
public sealed record CallbackContract(
    Func<int, string, bool> IsAcknowledged,
    IReadOnlyList<TimeSpan> RetrySchedule,
    TimeSpan Timeout);

/// <summary>One callback to deliver, built by a supplier module in its own format and signing.</summary>
public sealed record CallbackMessage(
    string Tenant,
    string Supplier,
    string EntityKey,
    string Name,
    string? Url,
    string Method,
    string ContentType,
    byte[] Body);
