using Sandbox.Engine.Clock;

namespace Sandbox.Engine.Inbox;

/// <summary>
/// How the inbox answers one tenant's callbacks from one supplier: <c>acknowledge</c> (the contract's acknowledgement),
/// <c>refuse</c> (HTTP 500), <c>slow</c> (acknowledges after <see cref="Delay"/>, by default longer than every
/// supplier's timeout) or <c>wrong-ack</c> (HTTP 200 with an answer the contract rejects).
/// </summary>
public sealed record InboxMode(string Mode, TimeSpan Delay)
{
    public const string Acknowledge = "acknowledge", Refuse = "refuse", Slow = "slow", WrongAck = "wrong-ack";

    public static readonly IReadOnlyList<string> Names = [Acknowledge, Refuse, Slow, WrongAck];

    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(15);

    /// <summary>The longest a slow answer may take: the inbox holds a connection meanwhile.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(2);

    public static readonly InboxMode Default = new(Acknowledge, DefaultDelay);

    /// <summary>Reads a mode from its name and an ISO 8601 or short delay ("PT15S", "15s"); null with the reason when invalid.</summary>
    public static (InboxMode? Mode, string? Error) Parse(string? mode, string? delay)
    {
        var name = (mode ?? "").Trim().ToLowerInvariant();
        if (!Names.Contains(name)) return (null, $"'mode' must be one of {string.Join(", ", Names)}");
        var d = DefaultDelay;
        if (!string.IsNullOrWhiteSpace(delay) && (!Durations.TryParse(delay, out d) || d < TimeSpan.Zero || d > MaxDelay))
            return (null, $"'delay' must be a duration from PT0S to {Durations.ToIso(MaxDelay)}, such as PT15S");
        return (new InboxMode(name, d), null);
    }
}
