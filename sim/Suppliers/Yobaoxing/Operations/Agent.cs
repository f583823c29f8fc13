using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>SetAgentParameters (§4.43): the callback folder and the official SMS/MMS switch of the agent account.</summary>
static class Agent
{
    public static XmlReply SetAgentParameters(YobaoxingCall call)
    {
        if (!call.Request.ByName.TryGetValue("responseaddr", out var addr)) throw call.Bad("responseaddr 不能省略（为空表示不需要回调）");
        var notify = call.Opt("sendofficiallysnotify") ?? throw YobaoxingCall.Fail(-1, "sendofficiallysnotify参数不能为空，请设置......");
        if (notify is not ("0" or "1")) throw call.Bad("sendofficiallysnotify 只能是 0 或 1");
        addr = addr.Trim();
        if (addr.Length > 0 && (!Uri.TryCreate(addr, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            throw YobaoxingCall.Fail(-1, "修改回调地址 或 发送官方通知短信和彩信 方式 失败。");
        var account = call.Account;
        lock (account)
        {
            account.ResponseAddr = addr;
            account.SendOfficiallyNotify = notify;
            call.SaveAccount();
        }
        return call.Ok();
    }
}
