using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Sandbox.Tests.Reliability.Hostile;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.Reliability.Surfaces;

/// <summary>
/// The TOP gateway (<c>/router/rest</c>, <c>/top/router/rest</c> on the main listener), one surface per module whose
/// methods it serves: Fliggy flights (<c>alitrip.flight.*</c>), the Fliggy bus's four <c>taobao.bus.*</c> methods and the
/// gateway's own <c>taobao.tmc.*</c>. Requests are signed here from spec §1.4 (the test-side <see cref="TopClient.Sign"/>)
/// with the demo app (12345678 / helloworld / test-session), system parameters in the query, the body or both, as a
/// form or multipart. Every reply must be TOP's: <c>{"error_response":{"code":n,"msg":…,"request_id":…}}</c> or
/// <c>&lt;error_response&gt;</c> in well-formed XML, or the method's <c>*_response</c> (simplified: the bare fields),
/// never with a code in a success; a bad signature is explained in <c>X-Sandbox-Diagnostic</c>; a wrong HTTP method is
/// code 9.
/// </summary>
public sealed class TopSurface : ISupplierSurface
{
    const string AppKey = "12345678", Secret = "helloworld", Session = "test-session";

    static TopSurface() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    readonly Func<string, bool> _outboundOrAdmin;
    readonly IReadOnlyDictionary<string, Func<Random, List<(string Name, string Value)>>> _business;

    TopSurface(string supplier, Func<string, bool> outboundOrAdmin, IReadOnlyDictionary<string, Func<Random, List<(string, string)>>> business)
    {
        Supplier = supplier;
        _outboundOrAdmin = outboundOrAdmin;
        _business = business;
        Operations = business.Keys.ToList();
    }

    public string Supplier { get; }
    public string Listener => Sandbox.Engine.Pipeline.Listeners.Main;
    public IReadOnlyList<string> Operations { get; }
    public bool IsOutboundOrAdmin(string operation) => _outboundOrAdmin(operation);

    static string Day(int ahead) => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(ahead).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static List<(string, string)> P(params (string, string)[] ps) => [.. ps];

    static string Id(Random rng) => rng.Next(3) switch { 0 => "1234125412", 1 => rng.NextInt64(1, 1L << 40).ToString(CultureInfo.InvariantCulture), _ => "1" };

    static string Passenger() =>
        """{"name":"张三","type":0,"credential_type":0,"credential_no":"110101199001011234","birthday":"1990-01-01","mobile_phone_number":"13800000001"}""";

    /// <summary>Fliggy flights: the 15 alitrip.flight.* methods; the catalogue's TMC topics and the flight-change admin action are not requests.</summary>
    public static TopSurface Flights() => new("fliggyflight", op => !op.StartsWith("alitrip.flight.", StringComparison.Ordinal),
        new Dictionary<string, Func<Random, List<(string, string)>>>
        {
            ["alitrip.flight.service.search"] = rng => P(("search_flight_info_req",
                $$"""{"search_od_info_list":[{"dep_city_code":"BJS","arr_city_code":"SHA","dep_date":"{{Day(rng.Next(1, 60))}}"}],"adult_num":1,"cabin_class":"ALL_CABIN","search_mode":1}""")),
            ["alitrip.flight.service.airbook"] = rng => P(("create_order_request",
                $$"""{"item_id":"sbx-item-{{rng.Next(1000)}}","out_order_no":"O{{rng.Next()}}","total_price":1180.00,"passenger_list":[{{Passenger()}}],"contact":{"name":"张三","phone":"13800000001","email":"a@example.com"},"allow_register_or_query_member":false}""")),
            ["alitrip.flight.service.close"] = rng => P(("order_id", Id(rng)), ("close_reason", "不要了")),
            ["alitrip.flight.service.pay"] = rng => P(("order_id", Id(rng)), ("total_price", "1180.00")),
            ["alitrip.flight.service.queryorderlist"] = rng => P(("query_order_list_request",
                $$"""{"page_no":1,"page_size":{{rng.Next(1, 50)}},"book_time_start":"{{Day(-30)}} 00:00:00","book_time_end":"{{Day(0)}} 23:59:59","order_status_code":1}""")),
            ["alitrip.flight.service.queryorderdetail"] = rng => rng.Next(2) == 0 ? P(("order_id", Id(rng))) : P(("out_order_no", "O" + rng.Next())),
            ["alitrip.flight.refund.render"] = rng => P(("refund_render_request",
                $$"""{"order_id":{{Id(rng)}},"refund_apply_type":1,"refund_passenger_list":[{"passenger_name":"张三","credential_no":"110101199001011234"}]}""")),
            ["alitrip.flight.refund.create"] = rng => P(("refund_create_request",
                $$"""{"order_id":{{Id(rng)}},"refund_apply_type":1,"out_refund_no":"R{{rng.Next()}}","refund_reason":"行程变更","all_refund_fee":100.5,"refund_passenger_list":[{"passenger_name":"张三","credential_no":"110101199001011234"}]}""")),
            ["alitrip.flight.service.upload"] = rng => P(("refund_order_id", Id(rng)), ("file_name", "proof.jpg")),
            ["alitrip.flight.refund.detail"] = rng => P(("refund_order_id", Id(rng))),
            ["alitrip.flight.refund.list"] = rng => P(("order_id", Id(rng))),
            ["alitrip.flight.change.order.create"] = rng => P(("change_order_create_request",
                $$"""{"order_id":{{Id(rng)}},"out_change_no":"C{{rng.Next()}}","change_type":1,"change_reason":"改期","pay_amount":0,"change_passenger_list":[{"passenger_name":"张三","credential_no":"110101199001011234"}],"new_flight_segment_list":[{"original_flight_segment_id":"1","market_flight_no":"CA1501","cabin_code":"Y","dep_airport_code":"PEK","arr_airport_code":"SHA","flight_time":"{{Day(10)}} 08:00:00"}]}""")),
            ["alitrip.flight.change.order.cancel"] = rng => P(("change_order_id", Id(rng))),
            ["alitrip.flight.change.order.pay"] = rng => P(("change_order_id", Id(rng)), ("pay_amount", "50.00")),
            ["alitrip.flight.change.order.query"] = rng => rng.Next(2) == 0 ? P(("order_id", Id(rng))) : P(("change_order_id", Id(rng))),
        });

    /// <summary>The Fliggy bus's taobao.bus.* methods; its Qimen calls into the operator and the customers' admin actions are not requests.</summary>
    public static TopSurface Bus() => new("fliggybus", op => !op.StartsWith("taobao.bus.", StringComparison.Ordinal),
        new Dictionary<string, Func<Random, List<(string, string)>>>
        {
            ["taobao.bus.agent.bookticket.confirm"] = rng => P(("param_agent_confirm_book_r_q",
                $$"""{"agent_order_id":"A{{rng.Next(100)}}","bus_inner_order_id":"{{Id(rng)}}","ticket_count":1,"total_price":5000,"fetch_tickets_pwd":"123456","rider_seat_numbers":"12","is_success":true}""")),
            ["taobao.bus.agent.refund.confirm"] = rng => P(("param_agent_confirm_return_and_refund_r_q",
                $$"""{"agent_order_id":"A{{rng.Next(100)}}","main_biz_order_id":"{{Id(rng)}}","agent_ticket_id":"T1","agent_refund_amount":"4500","agent_refund_trans_id":"RF{{rng.Next()}}","agent_return_ticket_code":0,"agent_return_ticket_status":1,"agent_return_ticket_type":1,"agent_return_mode":"1","passenger_id_num":"110101199001011234","refund_scene":"1"}""")),
            ["taobao.bus.agent.multiple.refund.confirm"] = rng => P(("param_agent_multiple_refund_r_q",
                $$"""{"agent_order_id":"A{{rng.Next(100)}}","main_biz_order_id":"{{Id(rng)}}","agent_refund_reason":"停运","agent_refund_trans_no":"MR{{rng.Next()}}","total_refund_amount":4500}""")),
            ["taobao.bus.item.notify"] = rng => P(("param_top_item_change_notify_r_q",
                $$"""{"from_city":"杭州","to_city":"上海","from_date":"{{Day(rng.Next(1, 20))}}"}""")),
        });

    /// <summary>The gateway's own taobao.tmc.* methods; the flight and bus methods it lists are their modules' surfaces, sessions an admin action.</summary>
    public static TopSurface Tmc() => new("top", op => !op.StartsWith("taobao.tmc.", StringComparison.Ordinal),
        new Dictionary<string, Func<Random, List<(string, string)>>>
        {
            ["taobao.tmc.messages.consume"] = rng => P(("group_name", "default"), ("quantity", rng.Next(1, 300).ToString(CultureInfo.InvariantCulture))),
            ["taobao.tmc.messages.confirm"] = rng => P(("group_name", "default"), ("s_message_ids", $"{rng.Next()},{rng.Next()}"), ("f_message_ids", rng.Next().ToString(CultureInfo.InvariantCulture))),
            ["taobao.tmc.user.permit"] = rng => P(("topics", rng.Next(2) == 0 ? "alitrip_flight_TradeNotify,alitrip_flight_RefundNotify" : "")),
            ["taobao.tmc.user.cancel"] = rng => P(("nick", "sandbox_user"), ("user_platform", "tbUIC")),
            ["taobao.tmc.user.get"] = rng => P(("fields", "user_nick,topics,user_id,is_valid"), ("nick", "sandbox_user")),
        });

    static readonly string[] SystemNames = ["method", "app_key", "session", "timestamp", "v", "sign_method", "format", "simplify", "sign"];

    const string Marker = "__sbx_raw__";

    /// <summary>JSON string literals a lenient encoder lets through: lone surrogates, NUL and other controls escaped.</summary>
    static readonly string[] RawJsonStrings = ["\"\\ud800\"", "\"a\\udfff\\ud800b\"", "\"\\u0000\"", "\"x\\u0001\\u001f\\u007f\"", "\"\\uffff\\ufffe\""];

    /// <summary>Percent escapes as sent: %u (IIS), NUL, lone surrogates as UTF-8, overlong UTF-8, controls.</summary>
    static readonly string[] RawEscapes = ["%uD800", "%uDFFF%uD800", "%u0000", "%00", "%ED%A0%80", "%C0%80", "%01%1F%7F", "%uFFFE", "%u", "%u12"];

    static readonly string[] WrongJson =
    [
        "{", "{\"a\":", "[]", "[1,2]", "123", "\"text\"", "null", "true", "{\"a\":1,}", "{'a':1}", "{\"a\":1}{\"b\":2}", "{\"a\":NaN}",
        "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}", new string('[', 200) + new string(']', 200), "{\"a\":" + new string('[', 70) + new string(']', 70) + "}",
    ];

    public HostileRequest Generate(Random rng, string operation, string category, string host)
    {
        var business = _business[operation](rng);
        var format = rng.Next(3) == 0 ? "xml" : "json";
        var signMethod = new[] { "md5", "hmac", "hmac-sha256" }[rng.Next(3)];
        var ps = new List<(string Name, string Value)>
        {
            ("method", operation), ("app_key", AppKey), ("session", Session), ("timestamp", TopClient.Timestamp(DateTimeOffset.UtcNow)), ("v", "2.0"),
            ("sign_method", signMethod), ("format", format),
        };
        if (format == "json" && rng.Next(4) == 0) ps.Add(("simplify", rng.Next(2) == 0 ? "true" : "1"));
        if (rng.Next(4) == 0) ps.Add(("partner_id", "top-sdk-java-20170428"));
        ps.AddRange(business);
        var file = operation == "alitrip.flight.service.upload" && rng.Next(6) != 0
            ? (Name: "file", FileName: "proof.jpg", Bytes: RandomBytes(rng, rng.Next(1, 4096)))
            : default;
        var hints = new Dictionary<string, string>();
        var headers = new List<(string, string)>();
        var delivery = Delivery.Whole;
        long? declared = null;
        var style = rng.Next(4); // 0 GET, 1 all in a form, 2 system in the query and business in a form (Java, PHP), 3 multipart
        if (file.Name is not null && style < 2) style = 3;
        var signAfter = true;
        string? conflictName = null;
        rawEscape = null;
        var formatIntact = true;
        var httpMethod = style == 0 ? "GET" : "POST";

        // Mutations of the parameters before signing: the gateway gets a correctly signed request with bad contents.
        switch (category)
        {
            case Categories.WrongType:
                if (rng.Next(3) == 0)
                {
                    var (n, _) = ps[rng.Next(ps.Count)];
                    if (n is "format" or "method") formatIntact = n != "format";
                    Set(ps, n, Values.WrongScalar(rng));
                }
                else
                {
                    var i = ps.Count - business.Count + rng.Next(business.Count);
                    ps[i] = (ps[i].Name, LooksJson(ps[i].Value) ? BreakJson(rng, ps[i].Value) : rng.Next(2) == 0 ? Values.WrongScalar(rng) : WrongJson[rng.Next(WrongJson.Length)]);
                }
                break;
            case Categories.Missing:
                for (var k = rng.Next(1, 3); k > 0 && ps.Count > 0; k--)
                {
                    var i = rng.Next(ps.Count + 1);
                    if (i == ps.Count) signAfter = false; // the sign itself
                    else
                    {
                        if (ps[i].Name == "format") formatIntact = false;
                        ps.RemoveAt(i);
                    }
                }
                if (file.Name is not null && rng.Next(3) == 0) file = default;
                break;
            case Categories.CaseVaried:
                for (var i = 0; i < ps.Count; i++)
                    if (rng.Next(3) == 0)
                    {
                        if (ps[i].Name == "format") formatIntact = false;
                        ps[i] = (rng.Next(2) == 0 ? ps[i].Name.ToUpperInvariant() : Values.CaseVaried(rng, ps[i].Name), ps[i].Value);
                    }
                if (rng.Next(4) == 0) Set(ps, "method", Values.CaseVaried(rng, operation));
                if (rng.Next(4) == 0) Set(ps, "sign_method", signMethod.ToUpperInvariant());
                if (rng.Next(4) == 0)
                {
                    Set(ps, "format", format.ToUpperInvariant());
                }
                break;
            case Categories.Injection:
            {
                var i = rng.Next(3) == 0 ? rng.Next(ps.Count) : ps.Count - business.Count + rng.Next(business.Count);
                if (ps[i].Name == "format") formatIntact = false;
                var injection = Values.Injection(rng);
                switch (rng.Next(6))
                {
                    case 0 when LooksJson(ps[i].Value): // a JSON escape no UTF-16 string can hold, or a control character, inside a read field
                        ps[i] = (ps[i].Name, InjectJson(rng, ps[i].Value, Marker).Replace($"\"{Marker}\"", RawJsonStrings[rng.Next(RawJsonStrings.Length)]));
                        break;
                    case 1: // IIS-style %u escapes and raw NULs, which form decoders differ on, as a value or a name
                        rawEscape = RawEscapes[rng.Next(RawEscapes.Length)];
                        ps[i] = (ps[i].Name, ps[i].Value + Marker);
                        break;
                    case 2: // a hostile parameter name, sent twice with different values (echoed in the merge refusal)
                        conflictName = injection;
                        break;
                    default:
                        ps[i] = (ps[i].Name, LooksJson(ps[i].Value) && rng.Next(2) == 0 ? InjectJson(rng, ps[i].Value, injection) : injection);
                        break;
                }
                if (rng.Next(3) == 0) Set(ps, "format", format = "xml");
                break;
            }
            case Categories.Huge:
                style = rng.Next(2) == 0 ? 1 : 3;
                httpMethod = "POST";
                break;
        }

        var sign = TopClient.Sign(Dict(ps), Secret, Lower(ps, "sign_method") ?? "md5");
        if (category == Categories.BadSignature)
        {
            hints["bad-signature"] = "1";
            switch (rng.Next(7))
            {
                case 0: sign = new string('0', sign.Length); break;
                case 1: sign = TopClient.Sign(Dict(ps), "not-the-secret", Lower(ps, "sign_method") ?? "md5"); break;
                case 2: sign = Values.Injection(rng); break;
                case 3: signAfter = false; break;
                case 4: Set(ps, "sign_method", rng.Next(2) == 0 ? "sha1" : Values.Injection(rng)); break;
                case 5: Set(ps, "timestamp", ps.First(p => p.Name == "timestamp").Value.Replace(':', '-')); hints.Remove("bad-signature"); break;
                default: // a value changed after signing
                    var i = ps.Count - business.Count + rng.Next(business.Count);
                    ps[i] = (ps[i].Name, ps[i].Value + "x");
                    break;
            }
        }
        if (signAfter) ps.Add(("sign", sign));

        // Which parameters travel in the query and which in the body.
        var query = style switch { 0 => ps, 2 => ps.Where(p => IsSystem(p.Name)).ToList(), _ => [] };
        var body = style == 0 ? [] : ps.Where(p => !query.Contains(p)).ToList();
        string? rawQuery = null;
        byte[]? bytes = null;
        var contentType = style switch
        {
            0 => null,
            3 => null,
            _ => rng.Next(3) == 0 ? "application/x-www-form-urlencoded" : "application/x-www-form-urlencoded;charset=utf-8",
        };
        var boundary = "----sbx" + rng.Next(1_000_000).ToString(CultureInfo.InvariantCulture);

        switch (category)
        {
            case Categories.Duplicated:
                // The same name in the query and in the body: with a different value (code 41), or twice in one place.
                if (style == 0)
                {
                    httpMethod = "POST";
                    style = 1;
                    contentType = "application/x-www-form-urlencoded;charset=utf-8";
                }
                var (dn, dv) = ps[rng.Next(ps.Count)];
                if (dn == "format") formatIntact = false;
                var other = rng.Next(3) == 0 ? dv : Values.WrongScalar(rng);
                if (rng.Next(2) == 0)
                {
                    query = [.. query, (dn, other)];
                    if (!body.Any(p => p.Name == dn)) body = [.. body, (dn, dv)];
                }
                else
                {
                    body = [.. body, (dn, other)];
                    query = [.. query, (dn, dv)];
                }
                break;
            case Categories.WrongEncoding:
                formatIntact = false;
                switch (rng.Next(6))
                {
                    case 0: // invalid UTF-8 or GBK bytes percent-encoded in the query
                        rawQuery = Encode(query.Count > 0 ? query : ps) + "&" + business[0].Name + "=" + Values.Percent(Values.WrongEncoding(rng, business[0].Value));
                        if (query.Count == 0) body = [];
                        break;
                    case 1: // bad percent escapes
                        rawQuery = Encode(query) + (query.Count > 0 ? "&" : "") + new[] { "x=%zz", "sign=%", "method=%E4%B8", "%=%%", "a%2=b", "timestamp=%FF%FE" }[rng.Next(6)];
                        break;
                    case 2: // a GBK body, declared or not
                        bytes = Encoding.GetEncoding("GBK").GetBytes(Encode(body, Encoding.GetEncoding("GBK")) + "&note=" + "游宝星");
                        contentType = rng.Next(2) == 0 ? "application/x-www-form-urlencoded;charset=GBK" : "application/x-www-form-urlencoded";
                        break;
                    case 3: // raw bytes no encoding accepts in the body
                        bytes = Values.WrongEncoding(rng, Encode(body));
                        break;
                    case 4: // the wrong content type or charset
                        contentType = new[]
                        {
                            "application/json", "text/plain", "application/x-www-form-urlencoded;charset=bogus-9", "application/xml;charset=utf-8",
                            "multipart/form-data", "multipart/form-data; boundary=", "application/x-www-form-urlencoded; charset=\"utf-16\"", "*/*", ";;;",
                        }[rng.Next(9)];
                        break;
                    default: // raw non-ASCII bytes in the request target
                        rawQuery = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(Encode(query) + "&x=张三")) + "\u00ff";
                        break;
                }
                if (style == 0 && bytes is null && rawQuery is null) rawQuery = Encode(query) + "&x=%C3%28";
                break;
            case Categories.Huge:
                // Past the gateway's 8 MB: the reply must still be TOP's error_response.
                var pad = (rng.Next(2) == 0 ? 8 * 1024 * 1024 + rng.Next(1, 2_000_000) : 12 * 1024 * 1024);
                if (style == 3 || file.Name is not null) file = ("file", "big.bin", new byte[pad]);
                else body = [.. body, ("padding", new string('p', pad))];
                if (rng.Next(4) == 0) rawQuery = Encode(query) + "&long=" + new string('q', 20_000 + rng.Next(20_000));
                break;
            case Categories.HeaderFlood:
                headers.AddRange(Values.HeaderFlood(rng));
                break;
            case Categories.WrongMethod:
                httpMethod = new[] { "PUT", "DELETE", "PATCH", "OPTIONS" }[rng.Next(4)];
                hints["wrong-method"] = "1";
                break;
        }

        if (conflictName is not null)
        {
            if (style == 0)
            {
                httpMethod = "POST";
                style = 1;
                contentType = "application/x-www-form-urlencoded;charset=utf-8";
            }
            query = [.. query, (conflictName, "1")];
            body = [.. body, (conflictName, "2")];
        }
        if (bytes is null && style is 1 or 2) bytes = Encoding.ASCII.GetBytes(Encode(body));
        if (bytes is null && style == 3)
        {
            bytes = Multipart(body, file, boundary);
            contentType ??= "multipart/form-data; boundary=" + boundary;
        }
        if (contentType is not null && bytes is not null) headers.Add(("Content-Type", contentType));

        switch (category)
        {
            case Categories.Truncated:
                bytes ??= Encoding.ASCII.GetBytes(Encode(ps));
                if (httpMethod == "GET") httpMethod = "POST";
                if (style == 3 && rng.Next(2) == 0)
                {
                    // A multipart body cut short but declared at its true length: the closing boundary never comes.
                    bytes = bytes[..rng.Next(bytes.Length)];
                    if (!headers.Any(h => h.Item1 == "Content-Type")) headers.Add(("Content-Type", "multipart/form-data; boundary=" + boundary));
                }
                else
                {
                    declared = bytes.Length + rng.Next(1, 300);
                    bytes = bytes[..rng.Next(bytes.Length)];
                    delivery = Delivery.Truncated;
                }
                break;
            case Categories.Slow:
                bytes ??= Encoding.ASCII.GetBytes(Encode(body.Count > 0 ? body : ps));
                if (httpMethod == "GET") httpMethod = "POST";
                if (bytes.Length > 1000 || !headers.Any(h => h.Item1 == "Content-Type"))
                {
                    if (bytes.Length > 1000) bytes = Encoding.ASCII.GetBytes(Encode(ps.Take(7)));
                    headers.RemoveAll(h => h.Item1 == "Content-Type");
                    headers.Add(("Content-Type", "application/x-www-form-urlencoded;charset=utf-8"));
                }
                delivery = Delivery.Slow;
                break;
        }

        var path = rng.Next(4) == 0 ? "/top/router/rest" : "/router/rest";
        var q = rawQuery ?? Encode(query);
        var target = path + (q.Length > 0 ? "?" + q : "");
        // The reply's format is the request's when the gateway can know it: from the query always, from a body it could read
        // (not one cut short, refused for its size or method, or so slow under load that it falls below the minimum data rate).
        var formatKnown = query.Any(p => p.Name == "format") ||
                          category is not (Categories.Truncated or Categories.WrongMethod or Categories.Huge or Categories.Slow);
        if (formatIntact && formatKnown && category is not (Categories.WrongEncoding or Categories.Missing or Categories.CaseVaried or Categories.Duplicated))
            hints["format"] = format;
        if (ps.Any(p => p.Name == "simplify")) hints["simplify"] = "1";
        return new HostileRequest(category, operation, HttpWire.Build(httpMethod, target, host, headers, bytes, declared), delivery) { Hints = hints };
    }

    static bool IsSystem(string name) => SystemNames.Contains(name) || name == "partner_id";

    /// <summary>The raw percent escape of this thread's current request, sent where a value holds <see cref="Marker"/>.</summary>
    [ThreadStatic] static string? rawEscape;

    /// <summary>A value as the gateway decodes it (a form decoder's reading of the raw escape), for signing.</summary>
    static string Decoded(string v) => rawEscape is null ? v : v.Replace(Marker, System.Web.HttpUtility.UrlDecode(rawEscape, Encoding.UTF8));

    static Dictionary<string, string> Dict(List<(string Name, string Value)> ps)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (n, v) in ps) d.TryAdd(n, Utf8(Decoded(v)));
        return d;
    }

    /// <summary>What the server sees of a string after UTF-8 (a lone surrogate becomes U+FFFD).</summary>
    static string Utf8(string s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s));

    static string? Lower(List<(string Name, string Value)> ps, string name) => ps.Where(p => p.Name == name).Select(p => p.Value).FirstOrDefault();

    static void Set(List<(string Name, string Value)> ps, string name, string value)
    {
        var i = ps.FindIndex(p => p.Name == name);
        if (i >= 0) ps[i] = (name, value);
        else ps.Add((name, value));
    }

    static bool LooksJson(string s) => s.StartsWith('{');

    /// <summary>A JSON-in-a-string parameter with one value of the wrong kind, or its text broken.</summary>
    static string BreakJson(Random rng, string json)
    {
        if (rng.Next(4) == 0) return rng.Next(2) == 0 ? json[..rng.Next(json.Length)] : json + WrongJson[rng.Next(WrongJson.Length)];
        var root = JsonNode.Parse(json)!;
        var leaves = new List<(JsonNode Parent, object Key)>();
        Collect(root, leaves);
        var (parent, key) = leaves[rng.Next(leaves.Count)];
        JsonNode? wrong = rng.Next(10) switch
        {
            0 => JsonValue.Create("abc"),
            1 => JsonValue.Create(-1),
            2 => JsonValue.Create(1.5),
            3 => JsonValue.Create(true),
            4 => null,
            5 => new JsonArray(1, "x"),
            6 => new JsonObject { ["x"] = 1 },
            7 => JsonValue.Create(""),
            8 => JsonNode.Parse("99999999999999999999999999999"),
            _ => JsonValue.Create(Values.WrongScalar(rng)),
        };
        if (parent is JsonObject o) o[(string)key] = wrong;
        else ((JsonArray)parent)[(int)key] = wrong;
        return root.ToJsonString();
    }

    static string InjectJson(Random rng, string json, string injection)
    {
        var root = JsonNode.Parse(json)!;
        var leaves = new List<(JsonNode Parent, object Key)>();
        Collect(root, leaves);
        var (parent, key) = leaves[rng.Next(leaves.Count)];
        if (parent is JsonObject o) o[(string)key] = injection;
        else ((JsonArray)parent)[(int)key] = injection;
        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    static void Collect(JsonNode node, List<(JsonNode, object)> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    into.Add((o, k));
                    if (v is JsonObject or JsonArray) Collect(v, into);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    into.Add((a, i));
                    if (a[i] is JsonObject or JsonArray) Collect(a[i]!, into);
                }
                break;
        }
    }

    static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    static string Encode(IEnumerable<(string Name, string Value)> ps, Encoding? encoding = null)
    {
        var text = string.Join("&", ps.Select(p => Values.Percent((encoding ?? Encoding.UTF8).GetBytes(p.Name)) + "=" + Values.Percent((encoding ?? Encoding.UTF8).GetBytes(p.Value))));
        return rawEscape is null ? text : text.Replace(Values.Percent(Marker), rawEscape);
    }

    static byte[] Multipart(IEnumerable<(string Name, string Value)> ps, (string Name, string FileName, byte[] Bytes) file, string boundary)
    {
        var ms = new MemoryStream();
        void W(string s) => ms.Write(Encoding.UTF8.GetBytes(s));
        foreach (var (n, v) in ps)
        {
            W($"--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n");
            W(Decoded(v));
            W("\r\n");
        }
        if (file.Name is not null)
        {
            W($"--{boundary}\r\nContent-Disposition: form-data; name=\"{file.Name}\"; filename=\"{file.FileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            ms.Write(file.Bytes);
            W("\r\n");
        }
        W($"--{boundary}--\r\n");
        return ms.ToArray();
    }

    public string? FormatProblem(HostileRequest request, HostileReply reply)
    {
        var isXml = reply.ContentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase);
        if (!isXml && !reply.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)) return $"content type '{reply.ContentType}'";
        if (!reply.ContentType.Contains("charset=UTF-8", StringComparison.OrdinalIgnoreCase)) return $"content type '{reply.ContentType}' without charset=UTF-8";
        if (reply.Status == 200 && request.Hints.TryGetValue("format", out var asked) && asked == "xml" != isXml) return $"format={asked} answered as {reply.ContentType}";
        var expected = TopResponseName(request.Operation);
        var (root, code, problem) = isXml ? ReadXml(reply.Body) : ReadJson(reply.Body, request.Hints.ContainsKey("simplify"));
        if (problem is not null) return problem;
        if (root != "error_response" && root != expected && root != "(simplified)") return $"root '{root}', expected error_response or {expected}";
        if (root == "error_response" && code is null) return "error_response without an integer code";
        if (root != "error_response" && code is not null) return "a success with a code";
        if (request.Hints.ContainsKey("wrong-method") && code != 9) return $"a wrong HTTP method answered code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, not 9";
        if (request.Hints.ContainsKey("bad-signature"))
        {
            if (code is not (24 or 25)) return $"a bad signature answered code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, not 24 or 25";
            if (!reply.Headers.TryGetValue("X-Sandbox-Diagnostic", out var d) || d.Length == 0) return "a bad signature without X-Sandbox-Diagnostic";
        }
        return null;
    }

    static string TopResponseName(string method) => (method.StartsWith("taobao.", StringComparison.Ordinal) ? method[7..] : method).Replace('.', '_') + "_response";

    static (string? Root, int? Code, string? Problem) ReadJson(byte[] body, bool simplified)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, null, "JSON root is not an object");
            var props = doc.RootElement.EnumerateObject().ToList();
            if (props is [{ Name: "error_response" } error])
            {
                if (error.Value.ValueKind != JsonValueKind.Object) return (null, null, "error_response is not an object");
                var e = error.Value;
                if (!e.TryGetProperty("msg", out var msg) || msg.ValueKind != JsonValueKind.String) return (null, null, "error_response without msg");
                if (!e.TryGetProperty("request_id", out var id) || id.ValueKind != JsonValueKind.String) return (null, null, "error_response without request_id");
                return ("error_response", e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null, null);
            }
            if (props is [{ Name: var name } only] && name.EndsWith("_response", StringComparison.Ordinal) && only.Value.ValueKind == JsonValueKind.Object)
                return (name, only.Value.TryGetProperty("code", out _) || only.Value.TryGetProperty("sub_code", out _) ? 0 : null, null);
            if (simplified && doc.RootElement.TryGetProperty("request_id", out _))
                return ("(simplified)", doc.RootElement.TryGetProperty("code", out _) || doc.RootElement.TryGetProperty("sub_code", out _) ? 0 : null, null);
            return (null, null, "JSON is neither error_response nor a *_response");
        }
        catch (JsonException e)
        {
            return (null, null, "not JSON: " + e.Message);
        }
    }

    static readonly XmlReaderSettings XmlSettings = new() { DtdProcessing = DtdProcessing.Prohibit, CheckCharacters = true, XmlResolver = null };

    /// <summary>Parsed with a strict XmlReader: a NUL or control character echoed from the request would make it fail here.</summary>
    static (string? Root, int? Code, string? Problem) ReadXml(byte[] body)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), XmlSettings);
            string? root = null;
            int? code = null;
            string? element = null;
            var depth = -1;
            var hasMsg = false;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    root ??= reader.LocalName;
                    if (depth < 0) depth = reader.Depth;
                    element = reader.Depth == depth + 1 ? reader.LocalName : null;
                }
                else if (reader.NodeType == XmlNodeType.Text && element == "code" && int.TryParse(reader.Value, CultureInfo.InvariantCulture, out var c)) code = c;
                else if (reader.NodeType == XmlNodeType.Text && element == "msg") hasMsg = true;
            }
            if (root == "error_response" && !hasMsg) return (null, null, "<error_response> without <msg>");
            if (root != "error_response" && code is not null) code = 0;
            return (root, code, null);
        }
        catch (XmlException e)
        {
            return (null, null, "not well-formed XML: " + e.Message);
        }
    }
}
