using System.Text;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// The console's signature calculator for BPT's ver=2 <c>sign</c>: from a pasted command URL (or its query string), the
/// canonical string <see cref="BptSignature"/> builds and the MD5 it expects with the tenant's key, over GBK as the
/// server edition signs and over UTF-8 as it also accepts.
/// </summary>
public sealed class BptSignatureCalculator(BptServices services) : ISignatureCalculator
{
    public string Input => "the command URL or its query string: /alidz.do?cmd=…&partner=…&ver=2&sign=…";

    public SignatureOutcome Calculate(string request, Tenant? tenant)
    {
        var text = request.Trim();
        var q = text.IndexOf('?');
        var query = BptQuery.Parse(q >= 0 ? text[(q + 1)..] : text);
        if (!query.Has("cmd")) return SignatureOutcome.Fail("no cmd parameter: paste the URL of a command (/alidz.do?cmd=…)");
        tenant ??= services.Engine.Tenants.FindByCredential(BptServices.Supplier, services.Directory.Resolve(query["partner"].Trim(), query["b2buser"]));
        if (tenant is null) return SignatureOutcome.Fail($"no tenant has the bpt partner '{query["partner"]}'; name the tenant");
        if (BptTenantConfig.Credentials(tenant).Key is not { Length: > 0 } key)
            return SignatureOutcome.Fail($"tenant '{tenant.Id}' has no credentials.bpt.key (安全校验码)");
        var canonical = BptSignature.Canonical(query.AsReceived);
        var sent = query.Has("sign") ? query["sign"] : null;
        var verified = sent is null ? (bool?)null : BptSignature.Verify(query.AsReceived, key, sent);
        return SignatureOutcome.Of(new SignatureReport(BptServices.Supplier, tenant.Id,
        [
            new("sign", "lower-case hex MD5 of the GBK bytes of canonical + key (安全校验码)", canonical,
                BptSignature.Sign(canonical, key, Gbk.Encoding), sent, verified),
            new("sign (UTF-8)", "lower-case hex MD5 of the UTF-8 bytes of canonical + key, also accepted", canonical,
                BptSignature.Sign(canonical, key, Encoding.UTF8), sent, verified),
        ]));
    }
}
