using Sandbox.Engine.Clock;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top;

/// <summary>
/// The gateway's switches: the tenant's <c>settings.top</c> first, then the <c>settings:</c> of scenarios/top/&lt;set&gt;.yaml
/// (documented in docs/suppliers/fliggy-flight.md).
/// </summary>
public sealed class TopSettings(Tenant tenant, Scenario scenario)
{
    public static readonly string[] Known = ["timestampTolerance", "sessionLifetime"];

    string? Get(string name) => tenant.SettingsFor(TopCredentials.Supplier)[name]?.ToString() ?? scenario.SettingString(name);

    /// <summary>How far <c>timestamp</c> may be from the tenant's clock (default ±10 minutes, spec §1.3); <c>off</c> disables the check.</summary>
    public TimeSpan? TimestampTolerance =>
        Get("timestampTolerance") is { } v
            ? v.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : Durations.TryParse(v, out var d) ? d : TimeSpan.FromMinutes(10)
            : TimeSpan.FromMinutes(10);

    /// <summary>Default lifetime of a session created through the admin API without <c>expiresIn</c> (one year).</summary>
    public TimeSpan SessionLifetime => Get("sessionLifetime") is { } v && Durations.TryParse(v, out var d) ? d : TimeSpan.FromDays(365);
}
