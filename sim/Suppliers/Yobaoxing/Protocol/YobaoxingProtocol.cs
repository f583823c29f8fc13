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
/// parameter errors are -1501. <paramref name="Platform"/>: a payment platform's notify page (spec §5), which carries no agent
/// credentials and answers in the platform's format; its handler's XmlReply is the outcome (retcode 0 or the reason).
/// <paramref name="V4Only"/>: in the V4 document only (§4.2.50–§4.2.54); a legacy-edition tenant does not have it.
/// </summary>
public sealed record Page(string Name, PageHandler Handler, bool CommonCodes = false, bool V4Dropped = false, bool Signed = true, bool Booking = false,
    string Description = "", PaymentPlatform Platform = PaymentPlatform.None, bool V4Only = false);

public enum PaymentPlatform { None, Alipay, WeChat }

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
        if (page.Platform != PaymentPlatform.None) return await DecodePlatformAsync(http, page, post);
        if (post != HttpMethods.IsPost(req.Method) || !(post || HttpMethods.IsGet(req.Method)))
            return Decoded.Fail(new XmlReply(-1, Msg.Failed(post ? "%PATH%/POST 下的页面只接受POST方式访问" : "请使用GET方式访问，或POST到 %PATH%/POST/" + page.Name + ".aspx"))
                .Build(null, httpStatus: StatusCodes.Status405MethodNotAllowed));

        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in req.Query) parameters.Add(new(k, v.ToString()));
        if (post && req.HasFormContentType && !await ReadFormAsync(http, parameters))
            return Decoded.Fail(new XmlReply(-1, Msg.Failed(TooLarge)).Build(null));
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

    /// <summary>
    /// A payment platform's notification names no agent: the order it is about does. Alipay's NETDH is 3DES under the
    /// KEY of the agent owning the order, so the tenant is the one whose KEY decrypts it to one of its orders; WeChat's
    /// attach is the order id in clear. WeChat POSTs an XML document to either folder; the Alipay pages follow the
    /// GET / POST folder rule.
    /// </summary>
    async ValueTask<Decoded> DecodePlatformAsync(HttpContext http, Page page, bool post)
    {
        var req = http.Request;
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in req.Query) parameters.Add(new(k, v.ToString()));
        if (page.Platform == PaymentPlatform.WeChat)
        {
            if (!HttpMethods.IsPost(req.Method)) return Decoded.Fail(Render(page, new XmlReply(-1, "微信支付通知只接受POST方式"), null, 405));
            // Bounded like the forms: a body over the limit is drained and refused in WeChat's own answer, instead of the
            // server-wide limit's exception resetting the connection.
            if (await RequestBodies.ReadLimitedAsync(http, MaxFormBytes) is not { } body)
                return Decoded.Fail(Render(page, new XmlReply(-1, TooLarge), null));
            var text = System.Text.Encoding.UTF8.GetString(body);
            try
            {
                var doc = System.Xml.Linq.XDocument.Parse(text);
                foreach (var e in doc.Root?.Elements() ?? []) parameters.Add(new(e.Name.LocalName, e.Value.Trim()));
            }
            catch (System.Xml.XmlException)
            {
                return Decoded.Fail(Render(page, new XmlReply(-1, "XML格式错误"), null));
            }
        }
        else
        {
            if (post != HttpMethods.IsPost(req.Method) || !(post || HttpMethods.IsGet(req.Method)))
                return Decoded.Fail(Render(page, new XmlReply(-1, "请求方式与目录不符"), null, 405));
            if (post && req.HasFormContentType && !await ReadFormAsync(http, parameters))
                return Decoded.Fail(Render(page, new XmlReply(-1, TooLarge), null));
        }
        var request = new YobaoxingRequest(page.Name, post, parameters);
        var owner = page.Platform == PaymentPlatform.WeChat ? OwnerOfOrder(request["attach"]) : OwnerOfCipher(request["NETDH"]);
        if (owner?.Credential(Supplier, "user") is not { } user) return Decoded.Fail(Render(page, new XmlReply(-1, "没有找到对应的预订单"), null));
        return Decoded.Of(new SupplierCall
        {
            Operation = page.Name,
            Credential = user,
            View = request.View(),
            JournalText = request.JournalText(),
            Parsed = (request, page),
        });
    }

    const string TooLarge = "请求内容过大";

    /// <summary>Largest POST form the pages read (Kestrel's request limit); a larger one is drained and refused.</summary>
    public const long MaxFormBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Reads a POST form into <paramref name="parameters"/>; false for a form over <see cref="MaxFormBytes"/> (declared
    /// or chunked) or over the form reader's own limits. Its body is then drained, so the client reads the refusal
    /// instead of a reset connection.
    /// </summary>
    static async Task<bool> ReadFormAsync(HttpContext http, List<KeyValuePair<string, string>> parameters)
    {
        if (await RequestBodies.ReadLimitedAsync(http, MaxFormBytes) is not { } body) return false;
        // The whole form is in memory: the form reader (URL-encoded or multipart, with the request's charset) reads
        // it from there.
        http.Request.Body = new MemoryStream(body);
        try
        {
            foreach (var (k, v) in await http.Request.ReadFormAsync(http.RequestAborted)) parameters.Add(new(k, v.ToString()));
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    Tenant? OwnerOfOrder(string? orderId) =>
        orderId is null ? null : services.Engine.Tenants.All.FirstOrDefault(t => t.CredentialsFor(Supplier) is not null && services.Orders.Get(t.Id, orderId) is not null);

    Tenant? OwnerOfCipher(string? netdh)
    {
        if (netdh is null) return null;
        foreach (var t in services.Engine.Tenants.All)
            if (t.CredentialsFor(Supplier) is not null && YobaoxingCrypto.Decrypt(netdh, KeyOf(t)) is { } id && services.Orders.Get(t.Id, id) is not null)
                return t;
        return null;
    }

    /// <summary>
    /// The payment platforms' own acknowledgements, as their conventions have them (the document defines none, §9.77):
    /// Alipay's plain "success" / "fail", WeChat Pay's &lt;xml&gt;&lt;return_code&gt; SUCCESS / FAIL.
    /// </summary>
    static SupplierReply Render(Page page, XmlReply reply, string? key, int httpStatus = 200)
    {
        var ok = reply.Retcode == 0;
        switch (page.Platform)
        {
            case PaymentPlatform.Alipay:
                return new SupplierReply
                {
                    HttpStatus = httpStatus, ContentType = "text/plain; charset=utf-8", Body = System.Text.Encoding.UTF8.GetBytes(ok ? "success" : "fail"),
                    ResultCode = reply.Retcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    JournalText = (ok ? "success" : "fail") + (reply.Retmsg.Length > 0 ? " (" + reply.Retmsg + ")" : ""),
                };
            case PaymentPlatform.WeChat:
                var msg = ok ? "OK" : reply.Retmsg.Replace("]]>", "]]&gt;");
                return new SupplierReply
                {
                    HttpStatus = httpStatus, ContentType = "text/xml; charset=utf-8",
                    Body = System.Text.Encoding.UTF8.GetBytes($"<xml><return_code><![CDATA[{(ok ? "SUCCESS" : "FAIL")}]]></return_code><return_msg><![CDATA[{msg}]]></return_msg></xml>"),
                    ResultCode = reply.Retcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            default:
                return reply.Build(key, page.Signed, httpStatus);
        }
    }

    public override SupplierReply UnknownCredential(SupplierCall call)
    {
        var (_, page) = Parsed(call);
        if (page.Platform != PaymentPlatform.None) return Render(page, new XmlReply(-1, "没有找到对应的预订单"), null);
        return (page.CommonCodes ? new XmlReply(-2201, Msg.NoUser) : new XmlReply(-1, Msg.Failed(Msg.NoUserLegacy))).Build(null);
    }

    public override Verification Verify(SupplierCall call, Tenant tenant)
    {
        var (request, page) = Parsed(call);
        var settings = new YobaoxingSettings(tenant, services.ScenarioFor(tenant));
        var key = KeyOf(tenant);
        var v4 = !settings.Legacy;
        if (page.Platform != PaymentPlatform.None) return VerifyPlatform(request, page, settings, key);
        if (tenant.Disabled || tenant.CredentialsFor(Supplier)?["disabled"]?.ToString() is "true" or "1")
            return Verification.Failed(Disabled(page, v4).Build(key, page.Signed), $"the yobaoxing account of tenant '{tenant.Id}' is disabled");
        if (page.V4Only && !v4)
            return Verification.Failed(new XmlReply(-1, Msg.Failed($"页面 {page.Name}.aspx 不存在")).Build(null, httpStatus: StatusCodes.Status404NotFound),
                $"{page.Name} exists in the V4 edition only and tenant '{tenant.Id}' is on the legacy edition");
        var password = request["password"];
        var login = tenant.Credential(Supplier, "password") ?? "";
        // ECB gives the exact field every time: comparing strings first spares a decryption on nearly every request.
        if (password is null || (password != YobaoxingCrypto.PasswordField(login, key) && YobaoxingCrypto.Decrypt(password, key) != YobaoxingCrypto.Md5Upper(login)))
            return Verification.Failed(new XmlReply(-1, Msg.BadSign).Build(key, page.Signed),
                $"password mismatch: expected TripleDes(Upper(MD5(login password)), KEY) = {YobaoxingCrypto.PasswordField(login, key)} (3DES-ECB-PKCS7, key = UTF-8 of the KEY's first 24 characters, Base64)");
        if (settings.EnforceSign && !YobaoxingSign.Verify(request.Sent, key, request["sign"]))
            return Verification.Failed(new XmlReply(-1, Msg.BadSign).Build(key, page.Signed), YobaoxingSign.Explain(request.Sent, key, request["sign"]));
        if (page.V4Dropped && settings.DroppedPagesOff)
            return Verification.Failed(new XmlReply(-1, Msg.Suspended).Build(key, page.Signed), $"{page.Name} is not kept by V4.0 and tenant setting droppedPages is off");
        return settings.EnforceSign ? Verification.Verified : Verification.NotRequired;
    }

    /// <summary>A disabled agent account (启用标志 off): -2202 on the pages whose V4 table lists it, else the legacy -1 text.</summary>
    static XmlReply Disabled(Page page, bool v4) =>
        page.CommonCodes && v4 ? new XmlReply(-2202, Msg.Disabled) : new XmlReply(-1, Msg.Failed(Msg.NoUserLegacy));

    /// <summary>The Alipay relay's Sign (MD5, spec §5.1) is checked by the sandbox rule under the KEY; WeChat's XML carries none to check.</summary>
    static Verification VerifyPlatform(YobaoxingRequest request, Page page, YobaoxingSettings settings, string key)
    {
        if (page.Platform != PaymentPlatform.Alipay || !settings.EnforceSign) return Verification.NotRequired;
        return YobaoxingSign.Verify(request.Sent, key, request["Sign"])
            ? Verification.Verified
            : Verification.Failed(Render(page, new XmlReply(-1, Msg.BadSign), key), YobaoxingSign.Explain(request.Sent, key, request["Sign"]));
    }

    public override void AddFacts(OperationContext ctx) => Operations.Facts.Add(ctx, services, KeyOf(ctx.Tenant));

    public override ValueTask<SupplierReply> HandleAsync(OperationContext ctx)
    {
        var (request, page) = Parsed(ctx.Call);
        var key = KeyOf(ctx.Tenant);
        XmlReply reply;
        try
        {
            // Magic value (failures.yaml account-disabled): answer as Verify does for an account the supplier disabled.
            reply = ctx.Has(Operations.Failures.AccountDisabled) && page.Platform == PaymentPlatform.None
                ? Disabled(page, !new YobaoxingSettings(ctx.Tenant, ctx.Scenario).Legacy)
                : page.Handler(new YobaoxingCall(ctx, services, request, page, key));
        }
        catch (YobaoxingError e)
        {
            reply = new XmlReply(e.Retcode, e.Retmsg);
        }
        return new(Render(page, reply, key));
    }

    public override SupplierReply RuleReply(OperationContext ctx, JsonObject fields)
    {
        var retcode = fields["retcode"] is { } r && int.TryParse(r.ToString(), out var c) ? c : -1;
        var reply = new XmlReply(retcode, fields["retmsg"]?.ToString() ?? Msg.Other);
        return Render(Parsed(ctx.Call).Page, reply, KeyOf(ctx.Tenant));
    }

    public override SupplierReply TimeoutReply(SupplierCall? call) => Generic(call, "操作超时，请稍候再试");

    public override SupplierReply RateLimitReply(SupplierCall? call) => Generic(call, "访问过于频繁，请稍候再试");

    public override SupplierReply InternalError(SupplierCall? call) => Generic(call, "系统内部错误");

    /// <summary>No page was read: the unsigned -1 page with the reason, under the HTTP status of the refusal.</summary>
    public override SupplierReply Refusal(int httpStatus, string reason) => new XmlReply(-1, Msg.Failed("非法请求：" + reason)).Build(null, httpStatus: httpStatus);

    SupplierReply Generic(SupplierCall? call, string reason)
    {
        var tenant = call?.Credential is { } user ? services.Engine.Tenants.FindByCredential(Supplier, user) : null;
        var reply = new XmlReply(-1, Msg.Failed(reason));
        var key = tenant is null ? null : KeyOf(tenant);
        return call?.Parsed is (YobaoxingRequest, Page page) ? Render(page, reply, key) : reply.Build(key);
    }

    public static string KeyOf(Tenant tenant) => tenant.Credential(YobaoxingServices.Supplier, "key") ?? "";

    static (YobaoxingRequest Request, Page Page) Parsed(SupplierCall call) => ((YobaoxingRequest, Page))call.Parsed!;

    static string Clip(string s) => s.Length > 40 ? s[..40] : s;
}
