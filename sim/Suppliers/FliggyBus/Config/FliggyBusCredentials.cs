using System.Text.Json.Nodes;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Config;

/// <summary>
/// A merchant tenant's access (spec §1 table): where Fliggy calls it on Qimen and with which account, from
/// <c>credentials.fliggybus.{qimenUrl, qimenUrlOverrides, qimenAppKey, qimenSecret, customerId}</c>, and the
/// merchant's own TOP app from <c>credentials.top.{appKey, appSecret}</c> (sent as <c>target_app_key</c>; the
/// <c>taobao.bus.*</c> calls back are signed with it).
/// </summary>
public sealed record FliggyBusCredentials(
    string QimenUrl,
    IReadOnlyDictionary<string, string> QimenUrlOverrides,
    string QimenAppKey,
    string QimenSecret,
    string CustomerId,
    string? TopAppKey,
    string? TopAppSecret)
{
    public const string Supplier = "fliggybus";
    public const string TopSupplier = "top";

    /// <summary>The URL a method is sent to: its override, else the one URL routed by <c>method</c>.</summary>
    public string UrlFor(string method) => QimenUrlOverrides.GetValueOrDefault(method) ?? QimenUrl;

    public QimenEndpoint EndpointFor(string method, bool signedTrace) =>
        new(UrlFor(method), QimenAppKey, QimenSecret, CustomerId, TopAppKey, signedTrace);

    public static ConfigResult<FliggyBusCredentials> From(Tenant tenant) =>
        Parse(tenant.CredentialsFor(Supplier), tenant.CredentialsFor(TopSupplier));

    public static ConfigResult<FliggyBusCredentials> Parse(JsonObject? bus, JsonObject? top)
    {
        var errors = new List<ConfigError>();
        if (bus is null)
        {
            errors.Add(new("credentials.fliggybus", "missing: the tenant has no Fliggy custom-bus access (qimenUrl, qimenAppKey, qimenSecret, customerId)"));
            return new(null, errors);
        }
        string Required(string field)
        {
            var value = Str(bus, field);
            if (string.IsNullOrWhiteSpace(value)) errors.Add(new($"credentials.fliggybus.{field}", "required"));
            return value ?? "";
        }
        var url = Required("qimenUrl");
        if (url.Length > 0 && !IsHttpUrl(url)) errors.Add(new("credentials.fliggybus.qimenUrl", $"'{url}' is not an absolute http(s) URL"));
        var appKey = Required("qimenAppKey");
        var secret = Required("qimenSecret");
        var customerId = Required("customerId");
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (bus["qimenUrlOverrides"])
        {
            case null:
                break;
            case JsonObject o:
                foreach (var (method, value) in o)
                {
                    var at = $"credentials.fliggybus.qimenUrlOverrides.{method}";
                    if (!QimenMethods.IsKnown(method)) errors.Add(new(at, $"'{method}' is not one of the 11 merchant APIs ({string.Join(", ", QimenMethods.Names)})"));
                    else if (Str(o, method) is not { } overrideUrl || !IsHttpUrl(overrideUrl)) errors.Add(new(at, $"'{value?.ToJsonString()}' is not an absolute http(s) URL"));
                    else overrides[method] = overrideUrl;
                }
                break;
            default:
                errors.Add(new("credentials.fliggybus.qimenUrlOverrides", "must map a method name to a URL"));
                break;
        }
        var topKey = Str(top, "appKey");
        var topSecret = Str(top, "appSecret");
        if (!string.IsNullOrEmpty(topKey) && string.IsNullOrEmpty(topSecret))
            errors.Add(new("credentials.top.appSecret", "required with credentials.top.appKey: the merchant signs its taobao.bus.* calls with it"));
        return errors.Count > 0
            ? new(null, errors)
            : new(new FliggyBusCredentials(url, overrides, appKey, secret, customerId, NullIfEmpty(topKey), NullIfEmpty(topSecret)), errors);
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) && u.Fragment.Length == 0;
}

/// <summary>One configuration defect: the path of the offending value and what is wrong with it.</summary>
public sealed record ConfigError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>A parsed configuration, or the reasons it could not be parsed.</summary>
public sealed record ConfigResult<T>(T? Value, IReadOnlyList<ConfigError> Errors) where T : class
{
    public bool Ok => Value is not null;
}
