namespace Sandbox.Suppliers.Top.Gateway;

/// <summary>
/// The gateway's system parameters (spec §1.3), sent with every method's business parameters in the query or the form:
/// the API description lists them, and scenario rules may name them as well as the method's own.
/// </summary>
public static class TopSystemParams
{
    public sealed record Param(string Name, bool Required, string Description);

    public static readonly IReadOnlyList<Param> All =
    [
        new("method", true, "API name, e.g. alitrip.flight.service.search"),
        new("app_key", true, "the app's AppKey (tenant credentials.top.appKey)"),
        new("timestamp", true, "yyyy-MM-dd HH:mm:ss in GMT+8, within 10 minutes of the tenant's clock"),
        new("v", true, "2.0"),
        new("sign_method", false, "md5 (default), hmac or hmac-sha256"),
        new("sign", true, "upper-case hex digest of the sorted key+value concatenation (md5: secret + S + secret)"),
        new("session", false, "the user's session key; required by methods that act for a user"),
        new("format", false, "json (default) or xml"),
        new("simplify", false, "true: simplified JSON (no response wrapper)"),
        new("partner_id", false, "SDK identifier; not interpreted"),
        new("target_app_key", false, "the app called on behalf of; not interpreted"),
    ];

    /// <summary>The paths a rule may name for <paramref name="method"/>: system and business parameters (inside a JSON one, any member), and <paramref name="facts"/>.</summary>
    public static IReadOnlyCollection<string> RulePaths(TopMethod method, IEnumerable<string> facts) =>
    [
        .. All.Select(p => p.Name),
        .. method.Params.SelectMany(p => p.Type == TopParamType.Json ? [p.Name, p.Name + ".*"] : new[] { p.Name }),
        .. facts,
    ];
}
