using Sandbox.Engine;
using Sandbox.Engine.Tenants;
using Sandbox.Engine.Yaml;

namespace Sandbox.Cli;

/// <summary>Credentials of a tenant of <c>tenants.yaml</c> (the demo tenant's, by default), for commands that sign or export with them.</summary>
static class CliTenants
{
    /// <summary>The tenant's credential fields for <paramref name="supplier"/>; null (the reason written) when there are none.</summary>
    public static Func<string, string?>? Credentials(string tenantId, string? scenarios, string supplier, TextWriter error)
    {
        var file = Path.Combine(scenarios ?? new SandboxOptions().ResolveScenarios(), "tenants.yaml");
        IReadOnlyList<Tenant> tenants;
        try
        {
            tenants = TenantFile.Load(file);
        }
        catch (YamlLoadException e)
        {
            error.WriteLine($"error: {e.Message}");
            return null;
        }
        var tenant = tenants.FirstOrDefault(t => t.Id == tenantId);
        if (tenant?.CredentialsFor(supplier) is null)
        {
            error.WriteLine($"error: tenant '{tenantId}' has no {supplier} credentials in {file}");
            return null;
        }
        return field => tenant.Credential(supplier, field);
    }
}
