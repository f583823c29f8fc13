using System.Text;
using Sandbox.Engine.Rules;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

/// <summary>
/// The parameters of one page call: query string plus (on the POST folder) the form body. Names are matched
/// case-insensitively (V3.0+, spec §2.2); the first occurrence of a name wins. Values are kept as sent after
/// URL-decoding, which is what <c>sign</c> covers.
/// </summary>
public sealed class YobaoxingRequest
{
    readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);
    readonly List<KeyValuePair<string, string>> _sent = [];

    public string Page { get; }
    public bool Post { get; }

    public YobaoxingRequest(string page, bool post, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        Page = page;
        Post = post;
        foreach (var (k, v) in parameters)
        {
            if (k.Length == 0 || !_byName.TryAdd(k, v)) continue;
            _sent.Add(new(k, v));
        }
    }

    public IReadOnlyList<KeyValuePair<string, string>> Sent => _sent;

    public IReadOnlyDictionary<string, string> ByName => _byName;

    /// <summary>The value, or null when absent or empty.</summary>
    public string? this[string name] => _byName.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public IRequestView View() => new ParameterRequestView(_byName);

    public string JournalText()
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in _sent)
        {
            if (sb.Length > 0) sb.Append('&');
            sb.Append(k).Append('=').Append(k.Equals("password", StringComparison.OrdinalIgnoreCase) ? "***" : v);
        }
        return sb.ToString();
    }
}

/// <summary>A page's documented failure: retcode and retmsg.</summary>
public sealed class YobaoxingError(int retcode, string retmsg) : Exception(retmsg)
{
    public int Retcode { get; } = retcode;
    public string Retmsg { get; } = retmsg;
}

/// <summary>The documented retmsg texts shared by many pages (spec §2.8), verbatim.</summary>
public static class Msg
{
    public const string BadSign = "签名不正确，不能完成操作";
    public const string ParamError = "参数错误";
    public const string NoUser = "当前用户不存在";
    public const string Disabled = "当前账户已禁用";
    public const string NoUserLegacy = "没有这个互联网账户或者互联网账户被禁用";
    public const string Suspended = "调用失败，失败原因：此版本已暂停使用，请使用新版本进行门票预订操作!";
    public const string Other = "其他错误";
    public const string Success = "操作成功";

    public static string Failed(string reason) => "调用失败，失败原因：" + reason;
}
