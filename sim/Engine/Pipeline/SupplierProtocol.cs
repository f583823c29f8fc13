using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// The protocol half of a supplier module: decode, verify, handle and encode in the supplier's own format.
/// The engine's <see cref="SupplierPipeline"/> drives it in the same order for every supplier.
/// </summary>
public abstract class SupplierProtocol
{
    public abstract string Supplier { get; }

    /// <summary>
    /// The supplier whose credentials identify the caller. Usually the module itself; the API modules behind the TOP
    /// gateway (Fliggy flights, the bus) are called with the gateway's app keys (<c>credentials.top.appKey</c>).
    /// </summary>
    public virtual string CredentialSupplier => Supplier;

    public abstract ValueTask<Decoded> DecodeAsync(HttpContext http);

    /// <summary>The credential names no tenant.</summary>
    public abstract SupplierReply UnknownCredential(SupplierCall call);

    public abstract Verification Verify(SupplierCall call, Engine.Tenants.Tenant tenant);

    /// <summary>Adds facts from stored state before rules run.</summary>
    public virtual void AddFacts(OperationContext ctx) { }

    public abstract ValueTask<SupplierReply> HandleAsync(OperationContext ctx);

    /// <summary>A scenario rule's <c>reply:</c> fields, in the supplier's error format.</summary>
    public abstract SupplierReply RuleReply(OperationContext ctx, JsonObject fields);

    public abstract SupplierReply TimeoutReply(SupplierCall? call);

    public abstract SupplierReply RateLimitReply(SupplierCall? call);

    /// <summary>The supplier's generic system error: what any unexpected failure becomes instead of an HTTP 500.</summary>
    public abstract SupplierReply InternalError(SupplierCall? call);

    /// <summary>
    /// The supplier's answer, with HTTP status <paramref name="httpStatus"/>, to a request refused below the operations:
    /// a malformed request line, header or body framing, a request line or header block over the server's limits, a
    /// body that stopped arriving, a path under the supplier's prefix that names nothing. The real systems' web servers
    /// answer these with their own pages; the sandbox answers in the supplier's error format. <paramref name="reason"/>
    /// is the engine's short English description ("HTTP 414 URI Too Long").
    /// </summary>
    public abstract SupplierReply Refusal(int httpStatus, string reason);
}
