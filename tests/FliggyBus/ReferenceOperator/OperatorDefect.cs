namespace Sandbox.Tests.FliggyBus.ReferenceOperator;

/// <summary>What a deliberately broken operator gets wrong; each is a mistake real integrations make.</summary>
[Flags]
public enum OperatorDefect
{
    None = 0,
    /// <summary>Never checks the signature.</summary>
    AcceptsAnySignature = 1 << 0,
    /// <summary>Never checks the timestamp (replayed requests go through).</summary>
    IgnoresTimestamp = 1 << 1,
    /// <summary>Answers success to a method it does not implement.</summary>
    AcceptsUnknownMethod = 1 << 2,
    /// <summary>Gives schedules a fresh id on every sync.</summary>
    UnstableScheduleIds = 1 << 3,
    /// <summary>A repeated create order makes a second order (and locks seats again).</summary>
    NonIdempotentCreate = 1 << 4,
    /// <summary>Refunds a refunded ticket again.</summary>
    RefundsTwice = 1 << 5,
    /// <summary>Create order does not lock seats: seat.query still shows them.</summary>
    SeatsNotLocked = 1 << 6,
    /// <summary>The airport area's geofence lists its corners crosswise (A then C).</summary>
    CrossedGeofence = 1 << 7,
    /// <summary>A section price names a station the line does not have.</summary>
    SegmentPriceUnknownStation = 1 << 8,
    /// <summary>Departure cities come without their administrative cityCode.</summary>
    MissingCityCode = 1 << 9,
    /// <summary>Closing an order does not release its seats.</summary>
    CloseKeepsSeats = 1 << 10,
}
