using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Scenarios;

namespace Sandbox.Engine.Pipeline;

public sealed record OperationDescriptor(string Name, string Method, string Path, string Description);

/// <summary>
/// A supplier module: owns its protocol, operations, entity kinds and callbacks. The engine knows modules
/// only through this interface — never by name.
/// </summary>
public interface ISupplierModule : IScenarioVocabulary, IEntityLifecycle
{
    string Title { get; }
    /// <summary>The credential field that identifies the calling tenant (credentials.{supplier}.{field}).</summary>
    string IdentityField { get; }
    /// <summary>Whose credentials carry <see cref="IdentityField"/>: the module's own, or a platform's it runs on (TOP's app key for Fliggy flights).</summary>
    string CredentialSupplier => Supplier;
    IReadOnlyList<OperationDescriptor> Catalogue { get; }
    CallbackContract CallbackContract { get; }

    /// <summary>
    /// The result codes of the supplier's replies (<see cref="SupplierReply.ResultCode"/>) that mean success, for the
    /// journal's error counts: "0" for most suppliers; BPT answers code 1 on success and 0 on failure.
    /// </summary>
    IReadOnlyCollection<string> SuccessCodes => DefaultSuccessCodes;

    static readonly IReadOnlyCollection<string> DefaultSuccessCodes = ["0"];

    /// <summary>
    /// The signature calculator behind <c>POST /admin/api/suppliers/{supplier}/sign</c>: the canonical string and the
    /// signature the sandbox expects for a pasted request, computed by the module's own signing code; null when the
    /// supplier signs nothing the integrator sends.
    /// </summary>
    ISignatureCalculator? Signatures => null;
    /// <summary>Listener this module needs on its own (BPT's port 6350), or null for the main listener.</summary>
    string? DedicatedListener { get; }
    /// <summary>
    /// Maps the module's supplier endpoints, and claims through <see cref="SupplierPipeline.Claim"/> the listener or
    /// path prefix whose refused requests it answers.
    /// </summary>
    void MapEndpoints(IEndpointRouteBuilder routes);

    /// <summary>
    /// Maps the module's own admin endpoints (site events, fixtures) onto <paramref name="admin"/>: a group under
    /// /admin/api that the engine creates with the admin token check applied. Their work on supplier state runs
    /// through <see cref="SupplierPipeline.RunAdminAsync{T}(Microsoft.AspNetCore.Http.HttpContext, Tenants.Tenant, string, string, Func{OperationContext, T})"/>.
    /// </summary>
    void MapAdminEndpoints(RouteGroupBuilder admin)
    {
    }
    /// <summary>Drops in-memory state of a tenant being reset or deleted (the store is wiped by the engine).</summary>
    void ForgetTenant(string tenant);
    /// <summary>Periodic clean-up of short-lived in-memory state (sessions, searches).</summary>
    void Housekeeping();
}
