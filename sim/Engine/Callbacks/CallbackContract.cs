namespace Sandbox.Engine.Callbacks;

/// <summary>
/// A supplier's outbound rules: what counts as an acknowledgement, how long to wait, when to retry, and what a receiver
/// following the contract answers (the built-in inbox answers with it).
/// </summary>
public sealed record CallbackContract(
    Func<int, string, bool> IsAcknowledged,
    IReadOnlyList<TimeSpan> RetrySchedule,
    TimeSpan Timeout,
    CallbackAcknowledgement? Acknowledgement = null)
{
    /// <summary>The contract's own answers, or a plain "OK" / "FAIL" for a contract that only wants HTTP 2xx.</summary>
    public CallbackAcknowledgement Answers => Acknowledgement ?? CallbackAcknowledgement.PlainText;
}

/// <summary>
/// The bodies a receiver answers with: <see cref="Acknowledge"/> is accepted by the contract, <see cref="Reject"/> is a
/// well-formed answer the contract refuses (a receiver saying it failed to process the callback).
/// </summary>
public sealed record CallbackAcknowledgement(string ContentType, string Acknowledge, string Reject)
{
    public static readonly CallbackAcknowledgement PlainText = new("text/plain; charset=utf-8", "OK", "FAIL");
}

/// <summary>One callback to deliver, built by a supplier module in its own format and signing.</summary>
public sealed record CallbackMessage(
    string Tenant,
    string Supplier,
    string EntityKey,
    string Name,
    CallbackTarget Target,
    string Method,
    string ContentType,
    byte[] Body);

/// <summary>
/// Where a callback goes. A target the request named (BPT <c>callbackurl</c>, Yobaoxing <c>SetAgentParameters</c>) stays
/// as given; a target from the tenant's settings (<c>callbacks.{supplier}</c>) is resolved at each attempt, so an
/// integrator who fixes its URL receives the next retry there — as webhook endpoints behave at Stripe.
/// A suffix is <c>[/path][?query]</c>: the path is appended to the base without a doubled slash, the query with
/// <c>?</c> or <c>&amp;</c> as the base needs.
/// </summary>
public readonly record struct CallbackTarget(string? Url, string? TenantSuffix)
{
    public bool FromTenant => TenantSuffix is not null;

    /// <summary>The request named the target: <paramref name="url"/> joined with <paramref name="suffix"/>, fixed from now on.</summary>
    public static CallbackTarget Request(string url, string suffix = "") => new(Join(url, suffix), null);

    /// <summary>The tenant's configured callback URL for the supplier, joined with <paramref name="suffix"/> at each attempt.</summary>
    public static CallbackTarget Tenant(string suffix = "") => new(null, suffix);

    public static string Join(string baseUrl, string suffix)
    {
        if (suffix.Length == 0) return baseUrl;
        var q = suffix.IndexOf('?');
        var path = q < 0 ? suffix : suffix[..q];
        var query = q < 0 ? "" : suffix[(q + 1)..];
        var url = path.Length > 0 ? baseUrl.TrimEnd('/') + path : baseUrl;
        return query.Length > 0 ? url + (url.Contains('?') ? "&" : "?") + query : url;
    }
}
