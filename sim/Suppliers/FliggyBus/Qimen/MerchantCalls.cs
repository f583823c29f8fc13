using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Config;
using Sandbox.Suppliers.FliggyBus.Validation;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>
/// Fliggy's calls into one merchant: each API sent to its own URL (the tenant's override, else the one Qimen URL)
/// with the merchant's account, waited for as long as its call policy says, and its reply validated against spec §4.
/// </summary>
public sealed class MerchantCalls(QimenClient client, Func<string, QimenEndpoint> endpointFor, Func<string, CallPolicy> policyFor)
{
    /// <summary>The calls of a configured tenant: its credentials, its settings' timeouts, retries and trace header.</summary>
    public static MerchantCalls ForTenant(QimenClient client, FliggyBusCredentials credentials, FliggyBusSettings settings) =>
        new(client, method => credentials.EndpointFor(method, settings.SignedTrace), settings.PolicyFor);

    /// <summary>One attempt.</summary>
    public async Task<QimenCall> CallAsync(string method, JsonObject body, ReplyContext? context = null, CancellationToken ct = default)
    {
        var call = await client.CallAsync(endpointFor(method), method, body, policyFor(method).Timeout, ct: ct);
        return call.Reply is { } reply ? call with { Findings = ReplyValidator.Validate(method, body, reply, context) } : call;
    }

    /// <summary>
    /// Every attempt the method's policy allows until Fliggy takes a reply (spec §3: a refusal is retried too), each
    /// with a fresh timestamp and sign over the same body. <paramref name="wait"/> spends the delay between attempts, so
    /// the caller decides whose clock it runs on. Returns every attempt in order; the last one decides.
    /// </summary>
    public async Task<IReadOnlyList<QimenCall>> CallWithRetriesAsync(string method, JsonObject body, Func<TimeSpan, CancellationToken, Task> wait,
        ReplyContext? context = null, CancellationToken ct = default)
    {
        var policy = policyFor(method);
        var attempts = new List<QimenCall>();
        for (var attempt = 1; attempt <= policy.Attempts; attempt++)
        {
            if (policy.DelayBefore(attempt) is { } delay) await wait(delay, ct);
            var call = await CallAsync(method, body, context, ct);
            attempts.Add(call);
            if (call.Accepted) break;
        }
        return attempts;
    }
}
