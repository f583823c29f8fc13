namespace Sandbox.Suppliers.FliggyBus.Conformance;

/// <summary>
/// The operator under test: its Qimen URL and the access account and secret it gave Fliggy; optionally its TOP app
/// (its key is sent as <c>target_app_key</c>). <see cref="PassengerCount"/> passengers are booked per order.
/// </summary>
public sealed record ConformanceOptions
{
    public required string Url { get; init; }
    public required string AppKey { get; init; }
    public required string Secret { get; init; }
    public string CustomerId { get; init; } = "sandbox";
    public string? TopAppKey { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public bool SignedTrace { get; init; }
    public int PassengerCount { get; init; } = 2;
    /// <summary>How long an order answered with status 2 (tickets later) is polled with order.query before the refund checks give up.</summary>
    public TimeSpan TicketingWait { get; init; } = TimeSpan.FromSeconds(10);
}
