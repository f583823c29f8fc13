using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Faults;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// The request path every supplier request takes: decode → tenant → verify → facts → rules and faults →
/// operation → encode, then journal. Whatever fails, the caller gets the supplier's own error format.
/// </summary>
public sealed class SupplierPipeline(
    TenantRegistry tenants,
    ScenarioCatalog scenarios,
    RuleEngine rules,
    RequestJournal journal,
    VirtualClock clock,
    IStore store,
    FrontDoor doors,
    ILogger<SupplierPipeline> log)
{
    public const string DiagnosticHeader = "X-Sandbox-Diagnostic";

    /// <summary>Largest <see cref="DiagnosticHeader"/> value: clients refuse responses with headers of many KB.</summary>
    public const int MaxDiagnosticHeader = 1024;

    /// <summary>
    /// <paramref name="protocol"/> answers what is refused before routing on <paramref name="listener"/>: everything
    /// there when <paramref name="pathPrefix"/> is null (a supplier's own port), else the paths under that prefix.
    /// </summary>
    public void Claim(SupplierProtocol protocol, string listener, string? pathPrefix = null) => doors.Claim(protocol, listener, pathPrefix);

    public async Task HandleAsync(HttpContext http, SupplierProtocol protocol)
    {
        var started = Stopwatch.GetTimestamp();
        SupplierCall? call = null;
        Tenant? tenant = null;
        OperationContext? ctx = null;
        SupplierReply? reply;
        string signature = "none";
        string? diagnostic = null;
        var aborted = false;
        var lost = false;
        try
        {
            var decoded = await protocol.DecodeAsync(http);
            call = decoded.Call;
            if (call is null) reply = decoded.Reply!;
            else if ((tenant = tenants.FindByCredential(protocol.CredentialSupplier, call.Credential)) is null)
            {
                reply = protocol.UnknownCredential(call);
                signature = "failed";
                diagnostic = $"no tenant has {protocol.CredentialSupplier} credential '{Mask(call.Credential)}'";
            }
            else
            {
                var v = protocol.Verify(call, tenant);
                if (!v.Ok)
                {
                    reply = v.Reply!;
                    signature = "failed";
                    diagnostic = v.Diagnostic;
                }
                else
                {
                    signature = v.Checked ? "ok" : "none";
                    ctx = Context(http, tenant, protocol.Supplier, call);
                    (reply, aborted) = await RunAsync(ctx, protocol);
                }
            }
        }
        catch (BadHttpRequestException e)
        {
            // Broken chunking, a body shorter than its Content-Length, a body arriving too slowly: the client's mistake.
            log.LogWarning("{Supplier}: refused a request whose body could not be read: {Reason}", protocol.Supplier, e.Message);
            reply = protocol.Refusal(e.StatusCode, FrontDoor.Reason(e.StatusCode));
        }
        catch (IOException e) when (e is Microsoft.AspNetCore.Connections.ConnectionResetException || http.RequestAborted.IsCancellationRequested)
        {
            log.LogWarning("{Supplier}: the client's connection failed during the request: {Reason}", protocol.Supplier, e.Message);
            reply = null;
            aborted = lost = true;
        }
        catch (IOException e)
        {
            // The connection is fine but the body is not what its headers say (a multipart form without its boundary):
            // the client's mistake, refused in the supplier's format rather than left as an empty 200.
            log.LogWarning("{Supplier}: refused a request whose body could not be parsed: {Reason}", protocol.Supplier, e.Message);
            reply = protocol.Refusal(StatusCodes.Status400BadRequest, FrontDoor.Reason(StatusCodes.Status400BadRequest));
        }
        catch (Exception e)
        {
            log.LogError(e, "{Supplier} {Operation} failed", protocol.Supplier, call?.Operation);
            reply = protocol.InternalError(call);
        }

        if (!aborted && reply is not null)
        {
            if (diagnostic is not null) http.Response.Headers[DiagnosticHeader] = HeaderSafe(diagnostic);
            await WriteAsync(http, reply);
        }
        var elapsedUs = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        journal.Record(new JournalEntry(
            clock.RealNow.ToUnixTimeMilliseconds(), tenant?.Id, protocol.Supplier, call?.Operation, http.Request.Method,
            http.Request.Path.Value ?? "", http.Request.QueryString.Value, aborted ? 0 : reply?.HttpStatus ?? 0, reply?.ResultCode, signature,
            elapsedUs, ctx?.EntityKey, call?.JournalText, call?.JournalBody,
            aborted ? lost ? "(client connection lost)" : "(connection dropped by fault)" : reply?.JournalText, aborted ? null : reply?.Body,
            diagnostic ?? (ctx?.Rules.Matched.Count > 0 ? "rules: " + string.Join(", ", ctx.Rules.Matched) : null)));
    }

    OperationContext Context(HttpContext http, Tenant tenant, string supplier, SupplierCall call) => new()
    {
        Http = http, Tenant = tenant, Supplier = supplier, Call = call,
        Scenario = scenarios.For(supplier, tenant.ScenarioSet(supplier)),
        Uow = new UnitOfWork(store), Now = clock.Now(tenant.Id),
    };

    /// <summary>
    /// Runs admin-initiated work on a tenant's supplier state — a gate passage, a counter collection, a forced
    /// transition — with the context a request to <paramref name="supplier"/> would have (tenant, scenario set,
    /// virtual now, unit of work), and commits the unit of work once the work returns: work that throws commits nothing.
    /// </summary>
    public async Task<T> RunAdminAsync<T>(HttpContext http, Tenant tenant, string supplier, SupplierCall call, Func<OperationContext, T> work)
    {
        var ctx = Context(http, tenant, supplier, call);
        var result = work(ctx);
        await ctx.Uow.CommitAsync();
        return result;
    }

    /// <inheritdoc cref="RunAdminAsync{T}(HttpContext, Tenant, string, SupplierCall, Func{OperationContext, T})"/>
    public Task<T> RunAdminAsync<T>(HttpContext http, Tenant tenant, string supplier, string operation, Func<OperationContext, T> work) =>
        RunAdminAsync(http, tenant, supplier, SupplierCall.Named(operation), work);

    async Task<(SupplierReply? Reply, bool Aborted)> RunAsync(OperationContext ctx, SupplierProtocol protocol)
    {
        protocol.AddFacts(ctx);
        ctx.Rules = rules.Evaluate(ctx);
        if (ctx.Scenario.Latency is { } latency) await Task.Delay(latency.Sample(Random.Shared));

        var fault = ctx.Rules.Fault;
        if (fault is { Stage: FaultStage.Before })
        {
            if (fault.Type == FaultType.Latency) await Task.Delay(fault.Delay);
            else return await FaultAsync(ctx, protocol, fault, null);
        }
        var reply = ctx.Rules.Reply is { } fields
            ? protocol.RuleReply(ctx, fields)
            : await protocol.HandleAsync(ctx);
        // The pipeline owns the unit of work: what the operation changed is on disk before its reply is sent, and
        // its after-commit work (callbacks, timers) starts only then.
        await ctx.Uow.CommitAsync();
        if (fault is { Stage: FaultStage.After })
        {
            if (fault.Type == FaultType.Latency)
            {
                await Task.Delay(fault.Delay);
                return (reply, false);
            }
            return await FaultAsync(ctx, protocol, fault, reply);
        }
        return (reply, false);
    }

    /// <summary>Applies a fault; <paramref name="real"/> is the reply the operation produced (stage: after).</summary>
    static async Task<(SupplierReply? Reply, bool Aborted)> FaultAsync(OperationContext ctx, SupplierProtocol protocol, FaultSpec fault, SupplierReply? real)
    {
        var http = ctx.Http;
        switch (fault.Type)
        {
            case FaultType.Timeout:
                await DelayAsync(fault.Delay, http.RequestAborted);
                return (protocol.TimeoutReply(ctx.Call), false);
            case FaultType.Hang:
                await DelayAsync(fault.Delay, http.RequestAborted);
                http.Abort();
                return (null, true);
            case FaultType.Reset:
                http.Abort();
                return (null, true);
            case FaultType.Malformed:
                var whole = real ?? protocol.TimeoutReply(ctx.Call);
                return (new SupplierReply
                {
                    ContentType = whole.ContentType,
                    Body = whole.Body[..Math.Max(1, whole.Body.Length / 2)],
                    ResultCode = "malformed",
                }, false);
            case FaultType.Http:
                var text = $"<html><head><title>{fault.HttpStatus}</title></head><body><h1>{fault.HttpStatus} {ReasonPhrases(fault.HttpStatus)}</h1></body></html>";
                return (new SupplierReply
                {
                    HttpStatus = fault.HttpStatus, ContentType = "text/html", Body = Encoding.ASCII.GetBytes(text),
                    ResultCode = "http" + fault.HttpStatus,
                }, false);
            case FaultType.RateLimit:
                return (protocol.RateLimitReply(ctx.Call), false);
            default:
                return (real, false);
        }
    }

    static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    static async Task DelayAsync(TimeSpan delay, CancellationToken aborted)
    {
        try { await Task.Delay(delay, aborted); }
        catch (OperationCanceledException) { }
    }

    static async Task WriteAsync(HttpContext http, SupplierReply reply)
    {
        if (http.RequestAborted.IsCancellationRequested) return;
        http.Response.StatusCode = reply.HttpStatus;
        http.Response.ContentType = reply.ContentType;
        if (reply.ContentEncoding is { } encoding) http.Response.Headers.ContentEncoding = encoding;
        http.Response.ContentLength = reply.Body.Length;
        // An empty reply (BPT's 405) is the supplier's answer too: started, nothing downstream may replace it.
        if (reply.Body.Length == 0) await http.Response.StartAsync();
        else await http.Response.Body.WriteAsync(reply.Body);
    }

    static string Mask(string? secret) => secret is null ? "(none)" : Diagnostic.Mask(secret);

    /// <summary>
    /// Header values must be visible ASCII (other characters are escaped as \uXXXX) and short: a longer diagnostic keeps
    /// its beginning and its end, where the expected values are; the journal keeps more of it.
    /// </summary>
    internal static string HeaderSafe(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 4 * MaxDiagnosticHeader));
        foreach (var ch in s)
        {
            if (ch is >= ' ' and <= '~') sb.Append(ch);
            else sb.Append("\\u").Append(((int)ch).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (sb.Length <= MaxDiagnosticHeader) return sb.ToString();
        const int tail = 256;
        var marker = $" ...({sb.Length} characters in all; more in the journal)... ";
        var headLength = MaxDiagnosticHeader - tail - marker.Length;
        return sb.ToString(0, headLength) + marker + sb.ToString(sb.Length - tail, tail);
    }
}
