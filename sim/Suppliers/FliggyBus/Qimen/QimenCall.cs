using Sandbox.Suppliers.FliggyBus.Validation;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>
/// The record of one Qimen call, as plain data a journal or a call log stores: what was sent (URL, headers, body,
/// string to sign with the secret masked, sign), what came back (HTTP status, body, §2.3 outcome), how long it
/// took, and what was wrong with the reply.
/// </summary>
public sealed record QimenCall
{
    public required string Method { get; init; }
    public required string Url { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }
    public required string Body { get; init; }
    public required string StringToSign { get; init; }
    public required string Sign { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public required long LatencyMs { get; init; }
    /// <summary>The same latency in microseconds, for percentiles of fast merchants.</summary>
    public long LatencyMicros { get; init; }
    public int? HttpStatus { get; init; }
    public string? ReplyBody { get; init; }
    /// <summary>One of <see cref="QimenOutcome"/>.</summary>
    public required string Outcome { get; init; }
    public string? RetCode { get; init; }
    public string? RetDesc { get; init; }
    /// <summary>Why the reply could not be read (timeout, parse error), when it could not.</summary>
    public string? Error { get; init; }
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>The reply as §2.3 reads it (fields unwrapped, success, retCode), when an HTTP reply came back.</summary>
    public QimenReply? Reply { get; init; }

    /// <summary>Fliggy takes the reply: the merchant said success and nothing in it is an error.</summary>
    public bool Accepted => Outcome == QimenOutcome.Success && Findings.All(f => f.Severity != Severity.Error);

    /// <summary>The verdict in one word for logs: the outcome, or <c>invalid-reply</c> when a successful reply had errors.</summary>
    public string Verdict => Outcome == QimenOutcome.Success && !Accepted ? "invalid-reply" : Outcome;
}
