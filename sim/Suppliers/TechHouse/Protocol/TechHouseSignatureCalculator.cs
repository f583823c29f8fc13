using System.Text.Json;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>
/// The console's signature calculator for TechHouse: from a pasted request envelope, the plaintext <c>key&amp;timestamp</c>
/// and the <c>signature</c> <see cref="TechHouseSignature"/> expects with the tenant's secret.
/// </summary>
public sealed class TechHouseSignatureCalculator(TenantRegistry tenants) : ISignatureCalculator
{
    public string Input => "the JSON request envelope: {\"action\", \"key\", \"timestamp\", \"signature\", \"request\"}";

    public SignatureOutcome Calculate(string request, Tenant? tenant)
    {
        string? key, timestamp, signature;
        try
        {
            using var doc = JsonDocument.Parse(request);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return SignatureOutcome.Fail("the envelope must be a JSON object");
            key = Text(doc.RootElement, "key");
            timestamp = Text(doc.RootElement, "timestamp");
            signature = Text(doc.RootElement, "signature");
        }
        catch (JsonException e)
        {
            return SignatureOutcome.Fail("not JSON: " + e.Message);
        }
        if (key is null || timestamp is null) return SignatureOutcome.Fail("the envelope needs \"key\" and \"timestamp\"");
        tenant ??= tenants.FindByCredential(TechHouseServices.Supplier, key);
        if (tenant is null) return SignatureOutcome.Fail($"no tenant has the techhouse key '{key}'; name the tenant");
        if (tenant.Credential(TechHouseServices.Supplier, "secret") is not { Length: > 0 } secret)
            return SignatureOutcome.Fail($"tenant '{tenant.Id}' has no credentials.techhouse.secret");
        var expected = TechHouseSignature.Sign(key, secret, timestamp);
        return SignatureOutcome.Of(new SignatureReport(TechHouseServices.Supplier, tenant.Id,
        [
            new("signature", "Base64(AES-256-CBC(UTF-8 plaintext; key = secret zero-padded to 32 bytes; IV = 16 zero bytes; PKCS7))",
                key + "&" + timestamp, expected, signature, signature is null ? null : TechHouseSignature.Verify(key, secret, timestamp, signature)),
        ]));
    }

    /// <summary>Values as the envelope carries them: a number timestamp is signed as written.</summary>
    static string? Text(JsonElement root, string name) => root.TryGetProperty(name, out var v)
        ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        }
        : null;
}
