using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// A module's signature calculator: for a request pasted as the integrator sends it, what the sandbox signs and the
/// value it expects, computed with the module's own signing code (the same code that verifies requests).
/// </summary>
public interface ISignatureCalculator
{
    /// <summary>What to paste, for the console's input box ("the JSON body", "the URL or its query string").</summary>
    string Input { get; }

    /// <summary>
    /// Computes every value the supplier checks. <paramref name="tenant"/> is the tenant whose credentials sign the
    /// request, or null to find it from the credential the request carries.
    /// </summary>
    SignatureOutcome Calculate(string request, Tenant? tenant);
}

/// <summary>
/// One checked value: how it is computed, over which string, what the sandbox expects, what was sent and whether the
/// supplier's verification accepts it (null when the request carried none).
/// </summary>
public sealed record SignatureCheck(string Field, string Algorithm, string Canonical, string Expected, string? Received, bool? Matches);

public sealed record SignatureReport(string Supplier, string Tenant, IReadOnlyList<SignatureCheck> Checks);

/// <summary>A report, or why the pasted request cannot be signed (unreadable, names no tenant, tenant lacks a secret).</summary>
public sealed record SignatureOutcome(SignatureReport? Report, string? Error)
{
    public static SignatureOutcome Of(SignatureReport report) => new(report, null);
    public static SignatureOutcome Fail(string error) => new(null, error);
}
