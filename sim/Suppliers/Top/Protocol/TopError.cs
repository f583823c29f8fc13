namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// A platform-level failure, answered as <c>error_response</c> (spec §1.6.4): <c>code</c> and <c>msg</c> from the
/// §1.7 table, optionally <c>sub_code</c> / <c>sub_msg</c>. Thrown by parameter checks and handlers; business failures
/// of an API are not errors but replies with <c>is_success=false</c>.
/// </summary>
public sealed class TopError(int code, string msg, string? subCode = null, string? subMsg = null) : Exception(msg)
{
    public int Code { get; } = code;
    public string Msg { get; } = msg;
    public string? SubCode { get; } = subCode;
    public string? SubMsg { get; } = subMsg;

    /// <summary>The §1.7 messages by code, for a scenario rule that names only the code.</summary>
    public static string MessageOf(int code) => code switch
    {
        7 => "App Call Limited",
        9 => "Http Action Not Allowed",
        10 => "Service Currently Unavailable",
        11 => "Insufficient isv permissions",
        15 or 50 => "Remote service error",
        21 => "Missing method",
        22 => "Invalid method",
        23 => "Invalid format",
        24 => "Missing signature",
        25 => "Invalid signature",
        26 => "Missing session",
        27 => "Invalid session",
        28 => "Missing app key",
        29 => "Invalid app key",
        30 => "Missing timestamp",
        31 => "Invalid timestamp",
        32 => "Missing version",
        33 => "Invalid version",
        34 => "Unsupported version",
        40 => "Missing required arguments",
        41 => "Invalid arguments",
        43 => "Parameter Error",
        _ => "Remote service error",
    };

    public static TopError CallLimited(int banSeconds) =>
        new(7, "App Call Limited", "accesscontrol.limited-by-app-access-count", $"This ban will last for {banSeconds} more seconds");

    public static TopError HttpActionNotAllowed(string method) =>
        new(9, "Http Action Not Allowed", null, $"HTTP method {method} is not allowed; use GET or POST");

    public static TopError ServiceUnavailable() => new(10, "Service Currently Unavailable", "isp.top-remote-service-unavailable");

    /// <summary>The FAQ 3 reply, verbatim apart from the app key and address.</summary>
    public static TopError IpNotWhitelisted(string appKey, string ip) =>
        new(11, "Insufficient isv permissions", "isv.permission-ip-whitelist-limit",
            $"The appkey {appKey} is only allowed to call from its ip white list, but the source ip {ip} is not included");

    public static TopError RemoteTimeout() => new(15, "Remote service error", "isp.top-remote-connection-timeout", "远程调用服务超时");

    public static TopError RemoteUnknown() => new(15, "Remote service error", "isp.unknown-error", "未知错误");

    public static TopError MissingMethod() => new(21, "Missing method");
    public static TopError InvalidMethod() => new(22, "Invalid method");
    public static TopError InvalidFormat() => new(23, "Invalid format");
    public static TopError MissingSignature() => new(24, "Missing signature");
    public static TopError InvalidSignature() => new(25, "Invalid signature");

    /// <summary>The FAQ 2 reply: no sub_code, the Chinese sub_msg.</summary>
    public static TopError MissingSession() => new(26, "Missing session", null, "传入http参数中必需包含session字段");

    public static TopError InvalidSession(string why) => new(27, "Invalid session", "invalid-sessionkey", why);

    public static TopError MissingAppKey() => new(28, "Missing app key");
    public static TopError InvalidAppKey() => new(29, "Invalid app key");
    public static TopError MissingTimestamp() => new(30, "Missing timestamp");
    public static TopError InvalidTimestamp() => new(31, "Invalid timestamp");
    public static TopError MissingVersion() => new(32, "Missing version");
    public static TopError InvalidVersion() => new(33, "Invalid version");
    public static TopError UnsupportedVersion() => new(34, "Unsupported version");

    public static TopError MissingArgument(string name) =>
        new(40, "Missing required arguments:" + name, "isv.missing-parameter", "缺少必选参数:" + name);

    public static TopError InvalidArgument(string name, string? why = null) =>
        new(41, "Invalid arguments:" + name, "isv.invalid-parameter", why ?? "非法参数:" + name);
}
