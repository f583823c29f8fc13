using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Operations;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// The BPT server edition's wire protocol (spec §2–§4): <c>GET /alidz.do?cmd=…</c> (or <c>/</c>) on its own port,
/// case-insensitive parameters decoded as UTF-8 or GBK, optional ver=2 MD5 signature, GBK XML or JSON replies
/// whose failures keep each command's own shape. Every outcome is HTTP 200 with code 0/1, except a non-GET
/// (405, empty body) and an unknown path (404 with a BPT error).
/// </summary>
public sealed class BptProtocol(BptServices services) : SupplierProtocol
{
    delegate BptReply Handler(BptCall call);

    static readonly FrozenDictionary<string, Handler> Commands = new Dictionary<string, Handler>
    {
        ["checkclt"] = Checkclt.Handle,
        ["newquerypricebypnr"] = NewQueryPriceByPnr.Handle,
        ["input"] = Input.Handle,
        ["pay"] = Pay.Handle,
        ["ticketoutcallback"] = TicketOutCallback.Handle,
        ["ticketout"] = TicketOut.Handle,
        ["newqueryorder"] = NewQueryOrder.Handle,
        ["orderex"] = OrderEx.Handle,
        ["querypricebypnrex"] = Legacy.QueryPriceByPnrEx,
        ["queryorder"] = Legacy.QueryOrder,
        ["order"] = Legacy.Order,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyCollection<string> CommandNames => Commands.Keys;

    public override string Supplier => BptServices.Supplier;

    public override ValueTask<Decoded> DecodeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET";
            return new(Decoded.Fail(new SupplierReply { HttpStatus = StatusCodes.Status405MethodNotAllowed, ContentType = "text/plain", Body = [], ResultCode = "405" }));
        }
        var q = BptQuery.Parse(http.Request.QueryString.Value);
        var format = ReplyFormat.Of(q);
        var path = http.Request.Path.Value ?? "/";
        var cmd = q["cmd"].Trim().ToLowerInvariant();
        if (path is not ("/" or "") && !path.Equals("/alidz.do", StringComparison.OrdinalIgnoreCase))
            return new(Decoded.Fail(BptReplies.Generic("", q, $"不支持的地址：{path}，请使用/alidz.do").Encode(format).WithHttpStatus(StatusCodes.Status404NotFound)));
        if (cmd.Length == 0) return new(Decoded.Fail(BptReplies.Generic("", q, "参数错误：缺少cmd").Encode(format)));
        if (!Commands.ContainsKey(cmd)) return new(Decoded.Fail(new BptReply("pnrinfo").Add("code", "0").Add("message", "不支持的命令：" + q["cmd"]).Encode(format)));

        var partner = services.Directory.Resolve(q["partner"].Trim(), q["b2buser"]);
        // Whether the server runs does not depend on any tenant: without one, checkclt still answers.
        if (partner is null && cmd == "checkclt") return new(Decoded.Fail(Checkclt.Running().Encode(format)));
        return new(Decoded.Of(new SupplierCall
        {
            Operation = cmd,
            Credential = partner,
            View = new ParameterRequestView(q.ByName),
            JournalText = http.Request.Path + "?" + q.ToJournalText(),
            Parsed = new BptRequest(cmd, q),
        }));
    }

    static BptRequest Req(SupplierCall call) => (BptRequest)call.Parsed!;

    public override SupplierReply UnknownCredential(SupplierCall call)
    {
        var r = Req(call);
        if (r.Command == "checkclt") return Checkclt.Running().Encode(r.Format);
        var message = !r.Query.Has("partner") ? BptReplies.LoginFailed
            : r.Query["ver"] == "2" ? BptReplies.SignatureFailed
            : "合作者身份ID不存在：" + r.Query["partner"];
        return BptReplies.Generic(r.Command, r.Query, message).Encode(r.Format);
    }

    public override Verification Verify(SupplierCall call, Tenant tenant)
    {
        var r = Req(call);
        var q = r.Query;
        if (tenant.Disabled)
            return Verification.Failed(BptReplies.Generic(r.Command, q, BptReplies.LoginFailed).Encode(r.Format), $"tenant '{tenant.Id}' is disabled");
        var ver = q["ver"].Trim();
        if (ver is "" or "1") return Verification.NotRequired;
        if (ver != "2")
            return Verification.Failed(BptReplies.Generic(r.Command, q, "参数错误：不支持的版本ver=" + ver).Encode(r.Format), $"ver '{ver}' is neither absent, 1 nor 2");
        var failed = BptReplies.Generic(r.Command, q, BptReplies.SignatureFailed).Encode(r.Format);
        var key = BptTenantConfig.Credentials(tenant).Key;
        if (string.IsNullOrEmpty(key)) return Verification.Failed(failed, $"ver=2 needs credentials.bpt.key (安全校验码) on tenant '{tenant.Id}'");
        if (q.Has("sign_type") && !q["sign_type"].Equals("MD5", StringComparison.OrdinalIgnoreCase))
            return Verification.Failed(failed, $"sign_type '{q["sign_type"]}' is not supported; use MD5");
        return BptSignature.Verify(q.AsReceived, key, q["sign"])
            ? Verification.Verified
            : Verification.Failed(failed, BptSignature.Explain(q.AsReceived, key, q.Has("sign") ? q["sign"] : null));
    }

    /// <summary>
    /// Rules see the request's <c>pnr</c> and also the PNR's other form (big for a small one and the reverse), so a
    /// ZZxx trigger works whichever form the client sends.
    /// </summary>
    public override void AddFacts(OperationContext ctx)
    {
        var r = Req(ctx.Call);
        if (r.Command == "checkclt" || !r.Query.Has("pnr")) return;
        try
        {
            var pnr = r.Pnr ??= BptCall.Resolve(r.Query, ctx.Tenant, ctx.Scenario, services, ctx.Now);
            ctx.Fact("pnr", new[] { r.Query["pnr"].Trim().ToUpperInvariant(), pnr.Big, pnr.Small ?? "" }.Where(v => v.Length > 0).Distinct());
            if (pnr.Order is { } o) ctx.EntityKey = BptServices.OrderKey(o.Id);
        }
        catch (BptError)
        {
            // The handler reports the malformed PNR in the command's own shape.
        }
    }

    public override ValueTask<SupplierReply> HandleAsync(OperationContext ctx)
    {
        var r = Req(ctx.Call);
        var call = new BptCall(ctx, r, services);
        BptReply reply;
        try
        {
            // A ticket number in any command must be in one of the two documented formats (spec §8).
            call.TicketFilter();
            reply = Commands[r.Command](call);
            Override(reply, ctx.Rules.Set);
        }
        catch (BptError e)
        {
            reply = e.Generic ? BptReplies.Generic(r.Command, r.Query, e.Message) : BptReplies.Failure(r.Command, r.Query, SafePnr(call), e.Message);
        }
        return new(reply.Encode(r.Format));
    }

    /// <summary>A rule's <c>set:</c> replaces scalar fields of the success reply.</summary>
    static void Override(BptReply reply, JsonObject? set)
    {
        if (set is null) return;
        foreach (var (k, v) in set) reply.Set(k, v?.ToString() ?? "");
    }

    static PnrRef? SafePnr(BptCall call)
    {
        try
        {
            return call.Pnr();
        }
        catch (BptError)
        {
            return null;
        }
    }

    /// <summary>A rule's <c>reply:</c> {code, message}: the command's own failure shape with that text.</summary>
    public override SupplierReply RuleReply(OperationContext ctx, JsonObject fields)
    {
        var r = Req(ctx.Call);
        var message = (fields["message"] ?? fields["errorinfo"] ?? fields["errorInfo"])?.ToString() ?? "";
        var call = new BptCall(ctx, r, services);
        return BptReplies.Failure(r.Command, r.Query, SafePnr(call), message).Encode(r.Format);
    }

    public override SupplierReply TimeoutReply(SupplierCall? call) => Generic(call, "请求超时，请稍后再试");

    public override SupplierReply RateLimitReply(SupplierCall? call) => Generic(call, "请求过于频繁，请稍后再试");

    public override SupplierReply InternalError(SupplierCall? call) => Generic(call, "系统异常，请稍后再试");

    /// <summary>No command was read: the generic failure in the default format (GBK XML), under the HTTP status of the refusal.</summary>
    public override SupplierReply Refusal(int httpStatus, string reason) => Generic(null, "非法请求：" + reason).WithHttpStatus(httpStatus);

    static SupplierReply Generic(SupplierCall? call, string message) => call?.Parsed is BptRequest r
        ? BptReplies.Generic(r.Command, r.Query, message).Encode(r.Format)
        : BptReplies.Generic("", BptQuery.Parse(null), message).Encode(ReplyFormat.Default);
}
