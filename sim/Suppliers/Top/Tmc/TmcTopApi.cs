using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// The taobao.tmc.* pull methods (spec §3.2) on the TOP gateway, as the gateway's own methods: the gateway verifies app
/// key, signature and session, <see cref="TmcApi"/> does the work and answers its result or a TOP error. Parameters
/// are declared as strings so that TmcApi's own checks (quantity 10–200, ids in any integer notation) decide.
/// </summary>
public sealed class TmcTopApi(TmcApi tmc) : ITopApi
{
    public string Supplier => TopCredentials.Supplier;

    public IReadOnlyList<TopMethod> Methods { get; } =
    [
        new(TmcApi.MessagesConsume, "消费多条消息", TopSessionUse.None,
            [TopParam.Opt("group_name", TopParamType.String), TopParam.Opt("quantity", TopParamType.String)],
            c => Answer(tmc.Consume(c.Ctx.Uow, c.Ctx.Tenant, c.Str("group_name"), c.Str("quantity")), Consumed)),
        new(TmcApi.MessagesConfirm, "确认消费消息的状态", TopSessionUse.None,
            [TopParam.Opt("group_name", TopParamType.String), TopParam.Opt("s_message_ids", TopParamType.String), TopParam.Opt("f_message_ids", TopParamType.String)],
            c => Answer(tmc.Confirm(c.Ctx.Uow, c.Ctx.Tenant, c.Str("group_name"), c.Str("s_message_ids"), c.Str("f_message_ids")), IsSuccess)),
        new(TmcApi.UserPermit, "为已授权的用户开通消息服务", TopSessionUse.Required, [TopParam.Opt("topics", TopParamType.String)],
            c => Answer(tmc.Permit(c.Ctx.Uow, c.Ctx.Tenant, new TmcSessionUser(c.User.UserId, c.User.UserNick), c.Str("topics")), IsSuccess)),
        new(TmcApi.UserCancel, "取消用户的消息服务", TopSessionUse.None,
            [TopParam.Req("nick", TopParamType.String), TopParam.Opt("user_platform", TopParamType.String)],
            c => Answer(tmc.Cancel(c.Ctx.Uow, c.Ctx.Tenant, c.Str("nick"), c.Str("user_platform")), IsSuccess)),
        new(TmcApi.UserGet, "获取用户开通的topic列表", TopSessionUse.None,
            [TopParam.Req("fields", TopParamType.String), TopParam.Req("nick", TopParamType.String), TopParam.Opt("user_platform", TopParamType.String)],
            c => Answer(tmc.Get(c.Ctx.Tenant, c.Str("fields"), c.Str("nick"), c.Str("user_platform")), UserOf)),
    ];

    static ValueTask<TopObject> Answer<T>(TmcResult<T> result, Func<T, TopObject> encode) where T : class =>
        result.Error is { } e ? throw new TopError(e.Code, e.Msg, e.SubCode, e.SubMsg) : new(encode(result.Value!));

    static TopObject Consumed(TmcConsumeResult r) => new TopObject().Add("messages", TopList.Of("tmc_message", r.Messages.Select(m => new TopObject()
        .Add("id", m.Id).Add("topic", m.Topic).Add("content", m.Content).Add("pub_time", m.PubTime).Add("pub_app_key", m.PubAppKey)
        .Add("user_id", m.UserId).Add("user_nick", m.UserNick))));

    static TopObject IsSuccess(TmcIsSuccessResult r) => new TopObject().Add("is_success", r.IsSuccess);

    static TopObject UserOf(TmcUserGetResult r) => new TopObject().Add("tmc_user", r.TmcUser is not { } u ? null : new TopObject()
        .Add("user_nick", u.UserNick).Add("user_id", u.UserId).Add("topics", u.Topics is { } t ? TopList.Strings(t) : null).Add("is_valid", u.IsValid)
        .Add("created", u.Created).Add("modified", u.Modified).Add("user_platform", u.UserPlatform).Add("group_name", u.GroupName));
}
