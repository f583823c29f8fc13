using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

public delegate XmlReply PageHandler(YobaoxingCall call);

/// <summary>
/// One supplier page. <paramref name="CommonCodes"/>: the V4 table lists -1901/-2201/-2202. <paramref name="V4Dropped"/>:
/// marked "(V4.0不支持向下兼容)" (a tenant can switch these off). <paramref name="Signed"/>: the reply carries &lt;sign&gt;
/// (GetVerificationCode and ChangePayPwd replies have none, spec §2.6 clue 6). <paramref name="Booking"/>: a booking page, whose
/// parameter errors are -1501.
/// </summary>
public sealed record Page(string Name, PageHandler Handler, bool CommonCodes = false, bool V4Dropped = false, bool Signed = true, bool Booking = false, string Description = "");

/// <summary>
/// The Yobaoxing wire protocol (spec §2): GET {base}/Page.aspx?…, POST {base}/POST/Page.aspx with a form body; page and
/// parameter names case-insensitive; user + 3DES password + MD5 sign on every call; XML replies.
/// </summary>
public sealed class YobaoxingProtocol(YobaoxingServices services, IEnumerable<Page> pages) : SupplierProtocol
{
    readonly FrozenDictionary<string, Page> _pages = pages.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<Page> Pages => _pages.Values;

    public override string Supplier => YobaoxingServices.Supplier;

    public override async ValueTask<Decoded> DecodeAsync(HttpContext http)
    {
        var req = http.Request;
        var post = req.Path.StartsWithSegments("/yobaoxing/POST", StringComparison.OrdinalIgnoreCase);
        var name = (req.RouteValues["page"] as string ?? "").Trim();
        if (name.EndsWith(".aspx", StringComparison.OrdinalIgnoreCase)) name = name[..^5];
        if (!_pages.TryGetValue(name, out var page))
            return Decoded.Fail(new XmlReply(-1, Msg.Failed($"页面 {Clip(name)}.aspx 不存在")).Build(null, httpStatus: StatusCodes.Status404NotFound));
        if (post != HttpMethods.IsPost(req.Method) || !(post || HttpMethods.IsGet(req.Method)))
            return Decoded.Fail(new XmlReply(-1, Msg.Failed(post ? "%PATH%/POST 下的页面只接受POST方式访问" : "请使用GET方式访问，或POST到 %PATH%/POST/" + page.Name + ".aspx"))
                .Build(null, httpStatus: StatusCodes.Status405MethodNotAllowed));

        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in req.Query) parameters.Add(new(k, v.ToString()));
        if (post && req.HasFormContentType)
        {
            var form = await req.ReadFormAsync(http.RequestAborted);
            foreach (var (k, v) in form) parameters.Add(new(k, v.ToString()));
        }
        var request = new YobaoxingRequest(page.Name, post, parameters);
        var user = request["user"];
        if (user is null)
            return Decoded.Fail(new XmlReply(page.CommonCodes ? -1901 : -1, page.CommonCodes ? Msg.ParamError + "：User 不能为空" : Msg.Failed("User 不能为空")).Build(null));
        return Decoded.Of(new SupplierCall
        {
            Operation = page.Name,
            Credential = user,
            View = request.View(),
            JournalText = request.JournalText(),
            Parsed = (request, page),
        });
    }

    public override SupplierReply UnknownCredential(SupplierCall call)
    {
        var (_, page) = Parsed(call);
        return (page.CommonCodes ? new XmlReply(-2201, Msg.NoUser) : new XmlReply(-1, Msg.Failed(Msg.NoUserLegacy))).Build(null);
    }

    public override Verification Verify(SupplierCall call, Tenant tenant)
    {
        var (request, page) = Parsed(call);
        var settings = new YobaoxingSettings(tenant, services.ScenarioFor(tenant));
        var key = KeyOf(tenant);
        var v4 = !settings.Legacy;
        if (tenant.Disabled || tenant.CredentialsFor(Supplier)?["disabled"]?.ToString() is "true" or "1")
            return Verification.Failed((page.CommonCodes && v4 ? new XmlReply(-2202, Msg.Disabled) : new XmlReply(-1, Msg.Failed(Msg.NoUserLegacy))).Build(key, page.Signed),
                $"the yobaoxing account of tenant '{tenant.Id}' is disabled");
        var password = request["password"];
        var expected = YobaoxingCrypto.Md5Upper(tenant.Credential(Supplier, "password") ?? "");
        if (password is null || YobaoxingCrypto.Decrypt(password, key) != expected)
            return Verification.Failed(new XmlReply(-1, Msg.BadSign).Build(key, page.Signed),
                $"password mismatch: expected TripleDes(Upper(MD5(login password)), KEY) = {YobaoxingCrypto.Encrypt(expected, key)} (3DES-ECB-PKCS7, key = UTF-8 of the KEY's first 24 characters, Base64)");
        if (settings.EnforceSign && !YobaoxingSign.Verify(request.Sent, key, request["sign"]))
            return Verification.Failed(new XmlReply(-1, Msg.BadSign).Build(key, page.Signed), YobaoxingSign.Explain(request.Sent, key, request["sign"]));
        if (page.V4Dropped && settings.DroppedPagesOff)
            return Verification.Failed(new XmlReply(-1, Msg.Suspended).Build(key, page.Signed), $"{page.Name} is not kept by V4.0 and tenant setting droppedPages is off");
        return settings.EnforceSign ? Verification.Verified : Verification.NotRequired;
    }

    public override void AddFacts(OperationContext ctx) => Operations.Facts.Add(ctx, services, KeyOf(ctx.Tenant));

    public override async ValueTask<SupplierReply> HandleAsync(OperationContext ctx)
    {
        var (request, page) = Parsed(ctx.Call);
        var key = KeyOf(ctx.Tenant);
        XmlReply reply;
        try
        {
            reply = page.Handler(new YobaoxingCall(ctx, services, request, page, key));
        }
        catch (YobaoxingError e)
        {
            reply = new XmlReply(e.Retcode, e.Retmsg);
        }
        await ctx.Uow.CommitAsync();
        return reply.Build(key, page.Signed);
    }

    public override SupplierReply RuleReply(OperationContext ctx, JsonObject fields)
    {
        var retcode = fields["retcode"] is { } r && int.TryParse(r.ToString(), out var c) ? c : -1;
        var reply = new XmlReply(retcode, fields["retmsg"]?.ToString() ?? Msg.Other);
        return reply.Build(KeyOf(ctx.Tenant), Parsed(ctx.Call).Page.Signed);
    }

    public override SupplierReply TimeoutReply(SupplierCall? call) => Generic(call, "操作超时，请稍候再试");

    public override SupplierReply RateLimitReply(SupplierCall? call) => Generic(call, "访问过于频繁，请稍候再试");

    public override SupplierReply InternalError(SupplierCall? call) => Generic(call, "系统内部错误");

    SupplierReply Generic(SupplierCall? call, string reason)
    {
        var tenant = call?.Credential is { } user ? services.Tenants.FindByCredential(Supplier, user) : null;
        return new XmlReply(-1, Msg.Failed(reason)).Build(tenant is null ? null : KeyOf(tenant));
    }

    public static string KeyOf(Tenant tenant) => tenant.Credential(YobaoxingServices.Supplier, "key") ?? "";

    static (YobaoxingRequest Request, Page Page) Parsed(SupplierCall call) => ((YobaoxingRequest, Page))call.Parsed!;

    static string Clip(string s) => s.Length > 40 ? s[..40] : s;
}
