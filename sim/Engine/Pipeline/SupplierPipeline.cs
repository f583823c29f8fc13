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
    SqliteStore store,
    ILogger<SupplierPipeline> log)
{
    public const string DiagnosticHeader = "X-Sandbox-Diagnostic";

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
                    ctx = new OperationContext
                    {
                        Http = http, Tenant = tenant, Supplier = protocol.Supplier, Call = call,
                        Scenario = scenarios.For(protocol.Supplier, tenant.ScenarioSet(protocol.Supplier)),
                        Uow = new UnitOfWork(store), Now = clock.Now(tenant.Id),
                    };
                    (reply, aborted) = await RunAsync(ctx, protocol);
                }
            }
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
            aborted ? "(connection dropped by fault)" : reply?.JournalText, aborted ? null : reply?.Body,
            diagnostic ?? (ctx?.Rules.Matched.Count > 0 ? "rules: " + string.Join(", ", ctx.Rules.Matched) : null)));
    }

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
        http.Response.ContentLength = reply.Body.Length;
        await http.Response.Body.WriteAsync(reply.Body);
    }

    static string Mask(string? secret) => secret is null ? "(none)" : secret.Length <= 4 ? "****" : secret[..4] + new string('*', secret.Length - 4);

    /// <summary>Header values must be visible ASCII: other characters are escaped as \uXXXX.</summary>
    static string HeaderSafe(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s) sb.Append(ch is >= ' ' and <= '~' ? ch.ToString() : $"\\u{(int)ch:X4}");
        return sb.ToString();
    }
}
