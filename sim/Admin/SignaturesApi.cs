using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Admin;

/// <summary>
/// The signature calculator: for a request pasted as the integrator sends it, the canonical string and the signature
/// the supplier's module expects, computed by the module's own signing code.
/// </summary>
public static class SignaturesApi
{
    /// <summary>The pasted request, and optionally the tenant whose credentials sign it (else the request's credential names it).</summary>
    public sealed record SignRequest(string? Request, string? Tenant);

    public sealed record SignerInfo(string Supplier, string Input);

    public static IEndpointRouteBuilder MapSignaturesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("signatures");
        api.MapGet("/signatures", ListSigners);
        api.MapPost("/suppliers/{supplier}/sign", Sign);
        return app;
    }

    public static Ok<IEnumerable<SignerInfo>> ListSigners([AsParameters] AdminServices s) =>
        TypedResults.Ok(s.Modules.Where(m => m.Signatures is not null).Select(m => new SignerInfo(m.Supplier, m.Signatures!.Input)));

    public static Results<Ok<SignatureReport>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>> Sign(
        string supplier, SignRequest body, [AsParameters] AdminServices s)
    {
        var module = s.Modules.FirstOrDefault(m => m.Supplier.Equals(supplier, StringComparison.OrdinalIgnoreCase));
        if (module is null) return AdminProblem.NotFound($"no supplier '{supplier}' (see GET /admin/api/suppliers)");
        if (module.Signatures is not { } calculator) return AdminProblem.NotFound($"{module.Supplier} has no signature calculator");
        if (string.IsNullOrWhiteSpace(body.Request)) return AdminProblem.BadRequest("'request' is required: " + calculator.Input);
        var tenant = body.Tenant is { Length: > 0 } id ? s.Tenants.Find(id) : null;
        if (body.Tenant is { Length: > 0 } && tenant is null) return AdminProblem.NotFound($"tenant '{body.Tenant}' not found");
        var outcome = calculator.Calculate(body.Request, tenant);
        return outcome.Report is { } report ? TypedResults.Ok(report) : AdminProblem.BadRequest(outcome.Error!);
    }
}
