using System.Web;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// The console's signature calculator for TOP: from a pasted request (a URL, or the form body, or both joined by
/// <c>&amp;</c> — the parameters are merged as the gateway merges query and body), the string <see cref="TopSignature"/>
/// digests and the sign it expects with the app's secret, for the request's <c>sign_method</c> (md5 by default).
/// </summary>
public sealed class TopSignatureCalculator(TenantRegistry tenants) : ISignatureCalculator
{
    public string Input => "the request URL or form body: method=…&app_key=…&timestamp=…&sign_method=…&sign=… (query and body may be joined with &)";

    public SignatureOutcome Calculate(string request, Tenant? tenant)
    {
        var text = request.Trim();
        var q = text.IndexOf('?');
        var parsed = HttpUtility.ParseQueryString(q >= 0 ? text[(q + 1)..] : text);
        var parameters = parsed.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => parsed[k] ?? "", StringComparer.Ordinal);
        if (!parameters.ContainsKey("method")) return SignatureOutcome.Fail("no method parameter: paste the TOP request's parameters");
        tenant ??= parameters.TryGetValue("app_key", out var appKey) ? tenants.FindByCredential(TopCredentials.Supplier, appKey) : null;
        if (tenant is null) return SignatureOutcome.Fail($"no tenant has credentials.top.appKey '{parameters.GetValueOrDefault("app_key")}'; name the tenant");
        if (TopCredentials.Of(tenant).AppSecret is not { Length: > 0 } secret)
            return SignatureOutcome.Fail($"tenant '{tenant.Id}' has no credentials.top.appSecret");
        var signMethod = parameters.GetValueOrDefault("sign_method") is { Length: > 0 } m ? m : "md5";
        if (!TopSignature.IsMethod(signMethod)) return SignatureOutcome.Fail($"sign_method '{signMethod}': md5, hmac or hmac-sha256");
        var sent = parameters.GetValueOrDefault("sign");
        var how = signMethod switch
        {
            "md5" => "upper-case hex MD5 of the UTF-8 bytes of secret + S + secret",
            "hmac" => "upper-case hex HMAC-MD5 of S with the secret as key",
            _ => "upper-case hex HMAC-SHA256 of S with the secret as key",
        };
        var checks = new List<SignatureCheck>();
        foreach (var (label, empty) in new[] { ("sign", TopSignature.EmptyValues.Skipped), ("sign (empty values' keys kept)", TopSignature.EmptyValues.KeyKept) })
        {
            if (empty == TopSignature.EmptyValues.KeyKept && !parameters.Values.Any(string.IsNullOrWhiteSpace)) continue;
            var canonical = TopSignature.Canonical(parameters, empty);
            var expected = TopSignature.Sign(canonical, secret, signMethod);
            checks.Add(new SignatureCheck(label, how + "; S = every parameter but sign, keys in ordinal order, key+value", canonical, expected, sent,
                sent is null ? null : string.Equals(sent.Trim(), expected, StringComparison.OrdinalIgnoreCase)));
        }
        return SignatureOutcome.Of(new SignatureReport(TopCredentials.Supplier, tenant.Id, checks));
    }
}
