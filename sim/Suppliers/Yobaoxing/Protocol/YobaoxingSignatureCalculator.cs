using Microsoft.AspNetCore.WebUtilities;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

/// <summary>
/// The console's signature calculator for Yobaoxing: from a pasted page URL (or query string, or form body), the
/// <c>password</c> field the agent's login password gives under the KEY, and the <c>sign</c> of
/// <see cref="YobaoxingSign"/> over the parameters as sent.
/// </summary>
public sealed class YobaoxingSignatureCalculator(YobaoxingServices services) : ISignatureCalculator
{
    public string Input => "the page URL, its query string or its form body: /yobaoxing/GetProducts.aspx?user=…&password=…&sign=…";

    public SignatureOutcome Calculate(string request, Tenant? tenant)
    {
        var text = request.Trim();
        var q = text.IndexOf('?');
        var parameters = QueryHelpers.ParseQuery(q >= 0 ? text[(q + 1)..] : text)
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())).ToList();
        var sent = new YobaoxingRequest("", false, parameters);
        if (sent["user"] is not { } user) return SignatureOutcome.Fail("no user parameter: paste the URL or parameters of a page");
        tenant ??= services.Engine.Tenants.FindByCredential(YobaoxingServices.Supplier, user);
        if (tenant is null) return SignatureOutcome.Fail($"no tenant has the yobaoxing user '{user}'; name the tenant");
        var key = YobaoxingProtocol.KeyOf(tenant);
        if (key.Length == 0) return SignatureOutcome.Fail($"tenant '{tenant.Id}' has no credentials.yobaoxing.key");
        var login = tenant.Credential(YobaoxingServices.Supplier, "password") ?? "";
        var password = YobaoxingCrypto.PasswordField(login, key);
        var sign = sent["sign"];
        return SignatureOutcome.Of(new SignatureReport(YobaoxingServices.Supplier, tenant.Id,
        [
            new("password", "Base64(3DES-ECB-PKCS7(Upper(MD5(login password)), key = UTF-8 of the KEY's first 24 characters))",
                "Upper(MD5(login password)) = " + YobaoxingCrypto.Md5Upper(login), password, sent["password"],
                sent["password"] is { } p ? p == password || YobaoxingCrypto.Decrypt(p, key) == YobaoxingCrypto.Md5Upper(login) : null),
            new("sign", "upper-case hex MD5 of the UTF-8 canonical string (parameters but sign/sign_type, names lower-cased, sorted) + \"&key=\" + KEY",
                YobaoxingSign.Canonical(sent.Sent) + "&key=" + Diagnostic.Mask(key), YobaoxingSign.Sign(sent.Sent, key), sign, sign is null ? null : YobaoxingSign.Verify(sent.Sent, key, sign)),
        ]));
    }
}
