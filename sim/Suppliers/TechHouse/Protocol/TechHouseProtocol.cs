using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.TechHouse.Operations;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>
/// The TechHouse wire protocol (spec §1–§3): POST a JSON envelope {action, key, timestamp, signature, version,
/// request}; HTTP 200 with {status, msg, …} for every business outcome. Validation follows the spec's order:
/// JSON (1004) → action (1001/1002) → key and signature (1001) → merchant and signature (1101/1102) →
/// request (1001) → fields (1001/1004) → business rules.
/// </summary>
public sealed class TechHouseProtocol(TechHouseServices services) : SupplierProtocol
{
    public const int MaxBodyBytes = 1 << 20;

    public sealed record Envelope(string Action, string Key, string Signature, string Timestamp, JsonElement? Request, JsonDocument Document);

    delegate ValueTask<SupplierReply> Handler(TechHouseCall call);

    static readonly FrozenDictionary<string, Handler> Actions = new Dictionary<string, Handler>
    {
        ["LowFareSearch"] = c => new(Search.LowFareSearch(c)),
        ["AirPricing"] = c => new(Pricing.AirPricing(c)),
        ["SetPassengers"] = c => new(Passengers.SetPassengers(c)),
        ["GetSSRAvailability"] = c => new(Ancillaries.GetSSRAvailability(c)),
        ["SellSSR"] = c => new(Ancillaries.SellSSR(c)),
        ["GetSeatAvailability"] = c => new(Seats.GetSeatAvailability(c)),
        ["AssignSeats"] = c => new(Seats.AssignSeats(c)),
        ["GetBookingPayments"] = c => new(Payments.GetBookingPayments(c)),
        ["SetPaymentToBooking"] = c => new(Payments.SetPaymentToBooking(c)),
        ["GetAirlinesAndRoutings"] = c => new(Account.GetAirlinesAndRoutings(c)),
        ["GetBalance"] = c => new(Account.GetBalance(c)),
        ["Commit"] = Booking.Commit,
        ["GetOrderList"] = c => new(Orders.GetOrderList(c)),
        ["GetOrderDetail"] = c => new(Orders.GetOrderDetail(c)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyCollection<string> ActionNames => Actions.Keys;

    public override string Supplier => TechHouseServices.Supplier;

    public override async ValueTask<Decoded> DecodeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
            return Decoded.Fail(new SupplierReply
            {
                HttpStatus = StatusCodes.Status405MethodNotAllowed,
                ContentType = "application/json; charset=utf-8",
                Body = JsonReply.Error(TechHouseStatus.BadParameter, "method not allowed, use POST").Body,
                ResultCode = TechHouseStatus.BadParameter.ToString(),
            });
        if (await RequestBodies.ReadLimitedAsync(http, MaxBodyBytes) is not { } body)
            return Decoded.Fail(JsonReply.Error(TechHouseStatus.BadParameter, "request body too large"));

        // JsonDocument does not validate UTF-8 until a string is read, which would then throw outside this check.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return Decoded.Fail(JsonReply.Error(TechHouseStatus.BadParameter, "request body is not UTF-8"));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            return Decoded.Fail(JsonReply.Error(TechHouseStatus.BadParameter, "malformed JSON body"));
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return Decoded.Fail(JsonReply.Error(TechHouseStatus.BadParameter, "body must be a JSON object"));
        if (!JsonEscapes.AllPaired(body, root)) return Decoded.Fail(JsonReply.Error(TechHouseStatus.BadParameter, "invalid UTF-16 escape in a string"));
        var env = new RequestFields(root, "");
        string? action, key, signature, timestamp;
        try
        {
            action = env.OptStr("action");
            key = env.OptStr("key");
            signature = env.OptStr("signature");
            timestamp = env.OptStr("timestamp");
        }
        catch (TechHouseError e)
        {
            return Decoded.Fail(JsonReply.Error(e.Status, e.Msg));
        }
        if (string.IsNullOrEmpty(action)) return Decoded.Fail(JsonReply.Error(TechHouseStatus.MissingParameter, "missing parameter: action"));
        if (!Actions.ContainsKey(action)) return Decoded.Fail(JsonReply.Error(TechHouseStatus.InvalidAction, $"invalid action: {Clip(action)}"));
        if (string.IsNullOrEmpty(key)) return Decoded.Fail(JsonReply.Error(TechHouseStatus.MissingParameter, "missing parameter: key"));
        if (string.IsNullOrEmpty(signature)) return Decoded.Fail(JsonReply.Error(TechHouseStatus.MissingParameter, "missing parameter: signature"));
        JsonElement? request = env.TryGet("request", out var r) ? r : null;
        return Decoded.Of(new SupplierCall
        {
            Operation = action,
            Credential = key,
            View = new JsonRequestView(request ?? default),
            JournalBody = body,
            Parsed = new Envelope(action, key, signature, timestamp ?? "", request, doc),
        });
    }

    public override SupplierReply UnknownCredential(SupplierCall call) =>
        JsonReply.Error(TechHouseStatus.SignatureFailed, "signature check failed: unknown key");

    public override Verification Verify(SupplierCall call, Tenant tenant)
    {
        var env = (Envelope)call.Parsed!;
        if (tenant.Disabled)
            return Verification.Failed(JsonReply.Error(TechHouseStatus.MerchantDisabled), $"tenant '{tenant.Id}' is disabled");
        var secret = tenant.Credential(Supplier, "secret") ?? "";
        if (!TechHouseSignature.Verify(env.Key, secret, env.Timestamp, env.Signature))
            return Verification.Failed(JsonReply.Error(TechHouseStatus.SignatureFailed), TechHouseSignature.Explain(env.Key, secret, env.Timestamp, env.Signature));
        var skew = tenant.SettingsFor(Supplier)["timestampSkew"]?.ToString();
        if (skew is not null && Engine.Clock.Durations.TryParse(skew, out var window) && !Fresh(env.Timestamp, services.Engine.Clock.Now(tenant.Id), window))
            return Verification.Failed(JsonReply.Error(TechHouseStatus.SignatureFailed, "signature check failed: stale timestamp"),
                $"timestamp '{Diagnostic.Clip(env.Timestamp)}' is outside the tenant's allowed skew of {Diagnostic.Clip(skew)}");
        return Verification.Verified;
    }

    /// <summary>Timestamps are Unix seconds (2 decimals) or milliseconds (13 digits) in the document's samples.</summary>
    static bool Fresh(string timestamp, DateTimeOffset now, TimeSpan window)
    {
        if (!double.TryParse(timestamp, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t)) return false;
        var seconds = t > 1e11 ? t / 1000 : t;
        return Math.Abs(now.ToUnixTimeMilliseconds() / 1000.0 - seconds) <= window.TotalSeconds;
    }

    public override void AddFacts(OperationContext ctx) => Facts.Add(ctx, services);

    public override async ValueTask<SupplierReply> HandleAsync(OperationContext ctx)
    {
        var env = (Envelope)ctx.Call.Parsed!;
        try
        {
            if (env.Request is not { ValueKind: JsonValueKind.Object } request)
                return JsonReply.Error(env.Request is null ? TechHouseStatus.MissingParameter : TechHouseStatus.BadParameter,
                    env.Request is null ? "missing parameter: request" : "request must be an object");
            return await Actions[ctx.Operation](new TechHouseCall(ctx, new RequestFields(request, ""), services));
        }
        catch (TechHouseError e)
        {
            return JsonReply.Error(e.Status, e.Msg);
        }
    }

    public override SupplierReply RuleReply(OperationContext ctx, JsonObject fields)
    {
        var status = fields["status"] is JsonValue v && int.TryParse(v.ToString(), out var s) ? s : TechHouseStatus.SystemError;
        var msg = fields["msg"]?.ToString() ?? TechHouseStatus.Message(status);
        var reply = new JsonReply(status, msg);
        var extra = new JsonObject();
        foreach (var (k, val) in fields)
            if (k is not "status" and not "msg") extra[k] = val?.DeepClone();
        return reply.Finish(extra);
    }

    public override SupplierReply TimeoutReply(SupplierCall? call) => JsonReply.Error(TechHouseStatus.Timeout);

    public override SupplierReply RateLimitReply(SupplierCall? call) => JsonReply.Error(TechHouseStatus.QuotaExceeded);

    public override SupplierReply InternalError(SupplierCall? call) => JsonReply.Error(TechHouseStatus.SystemError);

    /// <summary>The request never made an envelope: a parameter error (1004) under the HTTP status of the refusal.</summary>
    public override SupplierReply Refusal(int httpStatus, string reason) => JsonReply.Error(TechHouseStatus.BadParameter, reason).WithHttpStatus(httpStatus);

    static string Clip(string s) => s.Length > 32 ? s[..32] : s;
}
