using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Top.Protocol;
using Sandbox.Suppliers.Top.Sessions;

namespace Sandbox.Suppliers.Top.Gateway;

/// <summary>
/// The TOP protocol for the methods of one supplier module (the engine runs a call under the module that owns its
/// method). Checks follow spec §1.7's order: HTTP method, parameter merge, method, app key (decode); IP whitelist,
/// signature, timestamp, version, format, session (verify); quota and magic values (scenario rules); parameters (40/41)
/// and the business logic (handle).
/// </summary>
public sealed class TopProtocol(
    string supplier,
    ITopApi? api,
    FrozenDictionary<string, TopMethod> methods,
    TopSessions sessions,
    VirtualClock clock,
    ScenarioCatalog scenarios) : SupplierProtocol
{
    public const string ItemKey = "top.request";

    public override string Supplier => supplier;

    public override string CredentialSupplier => TopCredentials.Supplier;

    public static TopRequest RequestOf(HttpContext http) => (TopRequest)http.Items[ItemKey]!;

    public override ValueTask<Decoded> DecodeAsync(HttpContext http)
    {
        var request = RequestOf(http);
        if (request.Failure is { } failure) return new(Refuse(failure, request));
        if (string.IsNullOrEmpty(request.Method)) return new(Refuse(TopError.MissingMethod(), request));
        if (!methods.TryGetValue(request.Method, out var method)) return new(Refuse(TopError.InvalidMethod(), request));
        if (string.IsNullOrEmpty(request.AppKey)) return new(Refuse(TopError.MissingAppKey(), request));
        var call = new TopCall(request, method, TopRequestId.Next());
        return new(Decoded.Of(new SupplierCall
        {
            Operation = method.Name,
            Credential = request.AppKey,
            View = new TopRequestView(call),
            JournalText = request.JournalText,
            JournalBody = request.JournalBody,
            Parsed = call,
        }));
    }

    static Decoded Refuse(TopError error, TopRequest request) => Decoded.Fail(TopReplyWriter.Error(error, request.Format, TopRequestId.Next()));

    public override SupplierReply UnknownCredential(SupplierCall call) => Reply(call, TopError.InvalidAppKey());

    public override Verification Verify(SupplierCall call, Tenant tenant)
    {
        var c = (TopCall)call.Parsed!;
        var r = c.Request;
        var credentials = TopCredentials.Of(tenant);
        if (tenant.Disabled) return Failed(c, new TopError(29, "Invalid app key", "isv.appkey-disabled", "应用已停用"), $"tenant '{tenant.Id}' is disabled");
        if (credentials.IpWhitelist.Count > 0 && !credentials.IpWhitelist.Contains(r.RemoteIp))
            return Failed(c, TopError.IpNotWhitelisted(credentials.AppKey ?? "", r.RemoteIp),
                $"source ip {r.RemoteIp} is not in credentials.top.ipWhitelist [{string.Join(", ", credentials.IpWhitelist)}]");

        if (string.IsNullOrEmpty(r["sign"])) return Failed(c, TopError.MissingSignature(), "no sign parameter");
        var signMethod = r["sign_method"] ?? "md5";
        if (!TopSignature.IsMethod(signMethod))
            return Failed(c, TopError.InvalidSignature(), $"unsupported sign_method '{signMethod}' (md5, hmac or hmac-sha256)");
        if (!TopSignature.Verify(r, credentials.AppSecret, signMethod, r["sign"]!))
            return Failed(c, TopError.InvalidSignature(), TopSignature.Explain(r, credentials.AppSecret, signMethod, r["sign"]!));

        var settings = new TopSettings(tenant, scenarios.For(TopCredentials.Supplier, tenant.ScenarioSet(TopCredentials.Supplier)));
        if (TopTimestamp.Check(r["timestamp"], clock.Now(tenant.Id), settings.TimestampTolerance) is { } stale)
            return Failed(c, stale.Error, stale.Diagnostic);

        if (r["v"] is not { Length: > 0 } v) return Failed(c, TopError.MissingVersion(), "no v parameter");
        if (!decimal.TryParse(v, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var version))
            return Failed(c, TopError.InvalidVersion(), $"v '{v}' is not a version number");
        if (version != 2.0m) return Failed(c, TopError.UnsupportedVersion(), $"v '{v}': the gateway speaks 2.0");
        if (!r.FormatValid) return Failed(c, TopError.InvalidFormat(), $"format '{r["format"]}': json or xml");

        if (c.Method.Session != TopSessionUse.None)
        {
            if (r["session"] is not { Length: > 0 } key)
            {
                if (c.Method.Session == TopSessionUse.Required) return Failed(c, TopError.MissingSession(), $"{c.Method.Name} needs a session");
            }
            else
                try
                {
                    c.Session = sessions.Resolve(tenant, key);
                }
                catch (TopError e)
                {
                    return Failed(c, e, $"session '{key}': {e.SubMsg}");
                }
        }
        return Verification.Verified;
    }

    static Verification Failed(TopCall c, TopError error, string diagnostic) =>
        Verification.Failed(TopReplyWriter.Error(error, c.Request.Format, c.RequestId), diagnostic);

    public override void AddFacts(OperationContext ctx)
    {
        var c = (TopCall)ctx.Call.Parsed!;
        c.Ctx = ctx;
        api?.AddFacts(ctx, c);
    }

    public override async ValueTask<SupplierReply> HandleAsync(OperationContext ctx)
    {
        var c = (TopCall)ctx.Call.Parsed!;
        c.Ctx = ctx;
        try
        {
            c.CheckParameters();
            var fields = await c.Method.Handler(c);
            if (ctx.Rules.Set is { } set)
                foreach (var (k, v) in set)
                    if (Scalar(v) is { } value) fields.Set(k, value);
            return TopReplyWriter.Success(c.Method.Name, fields, c.Request, c.RequestId, ResultCode(fields) ?? "0");
        }
        catch (TopError e)
        {
            return TopReplyWriter.Error(e, c.Request.Format, c.RequestId);
        }
    }

    /// <summary>
    /// A rule's <c>reply:</c> with a <c>code</c> is a platform error (<c>error_response</c>; <c>{app_key}</c> and
    /// <c>{ip}</c> in its sub_msg are filled in); without one it is the API's business failure (spec §2.1):
    /// <c>is_success=false</c> with the rule's <c>error_code_info</c> and <c>error_msg</c>.
    /// </summary>
    public override SupplierReply RuleReply(OperationContext ctx, JsonObject fields)
    {
        var c = (TopCall)ctx.Call.Parsed!;
        if (fields["code"] is JsonValue cv && int.TryParse(cv.ToString(), out var code))
        {
            var subMsg = fields["sub_msg"]?.ToString()?.Replace("{app_key}", c.Request.AppKey).Replace("{ip}", c.Request.RemoteIp);
            return TopReplyWriter.Error(new TopError(code, fields["msg"]?.ToString() ?? TopError.MessageOf(code), fields["sub_code"]?.ToString(), subMsg),
                c.Request.Format, c.RequestId);
        }
        var reply = new TopObject().Add("is_success", false);
        foreach (var (k, v) in fields)
            if (k != "is_success" && Scalar(v) is { } value) reply.Set(k, value);
        return TopReplyWriter.Success(c.Method.Name, reply, c.Request, c.RequestId, ResultCode(reply) ?? "business-failure");
    }

    /// <summary>A business reply's own code for the journal: <c>error_code_info</c> (alitrip.*) or <c>result_code</c> (taobao.bus.*).</summary>
    static string? ResultCode(TopObject fields) => fields["error_code_info"] as string ?? fields["result_code"] as string;

    static object? Scalar(JsonNode? v) => v switch
    {
        JsonValue jv when jv.GetValueKind() == JsonValueKind.String => jv.GetValue<string>(),
        JsonValue jv when jv.GetValueKind() is JsonValueKind.True or JsonValueKind.False => jv.GetValue<bool>(),
        JsonValue jv when jv.GetValueKind() == JsonValueKind.Number && jv.TryGetValue<long>(out var l) => l,
        JsonValue jv when jv.GetValueKind() == JsonValueKind.Number => new TopMoney(jv.GetValue<decimal>()),
        _ => null,
    };

    /// <summary>
    /// What the HTTP server refused before the gateway read it (a malformed request line, headers over 32 KB, a body
    /// that stops arriving): TOP's error_response, code 41 with the refusal as its reason, with the refusal's status.
    /// </summary>
    public override SupplierReply Refusal(int httpStatus, string reason) =>
        TopReplyWriter.Error(TopError.InvalidArgument("request", reason), TopFormat.Json, TopRequestId.Next()).WithHttpStatus(httpStatus);

    public override SupplierReply TimeoutReply(SupplierCall? call) => Reply(call, TopError.RemoteTimeout());

    public override SupplierReply RateLimitReply(SupplierCall? call) => Reply(call, TopError.CallLimited(1));

    public override SupplierReply InternalError(SupplierCall? call) => Reply(call, TopError.RemoteUnknown());

    static SupplierReply Reply(SupplierCall? call, TopError error) =>
        call?.Parsed is TopCall c
            ? TopReplyWriter.Error(error, c.Request.Format, c.RequestId)
            : TopReplyWriter.Error(error, TopFormat.Json, TopRequestId.Next());
}
