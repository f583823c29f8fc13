using System.Globalization;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// The TMC methods of the TOP gateway (spec §3.2), independent of the gateway: each takes the raw parameter strings
/// of the merged request and the caller's unit of work, and answers result fields or a TOP error as a value. The
/// gateway verifies app key, signature and session first, then calls the method named in <see cref="Methods"/> and
/// encodes the result; it commits the unit of work before it replies, so a confirm reported successful is on disk.
/// HTTP consumers share the queues with the WebSocket channel.
/// </summary>
public sealed class TmcApi(TmcQueues queues, TmcPermits permits, VirtualClock clock)
{
    public const string MessagesConsume = "taobao.tmc.messages.consume";
    public const string MessagesConfirm = "taobao.tmc.messages.confirm";
    public const string UserPermit = "taobao.tmc.user.permit";
    public const string UserCancel = "taobao.tmc.user.cancel";
    public const string UserGet = "taobao.tmc.user.get";

    /// <summary>The methods, and whether each needs a session (only permit: it opens the service for the session's user).</summary>
    public static readonly IReadOnlyDictionary<string, bool> Methods = new Dictionary<string, bool>
    {
        [MessagesConsume] = false, [MessagesConfirm] = false, [UserPermit] = true, [UserCancel] = false, [UserGet] = false,
    };

    const int DefaultQuantity = 100, MinQuantity = 10, MaxQuantity = 200, MaxConfirmIds = 200, MaxPermitTopics = 100;
    static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>taobao.tmc.messages.consume: up to <c>quantity</c> (10–200, default 100) messages of the group, in publish order, now in flight.</summary>
    public TmcResult<TmcConsumeResult> Consume(UnitOfWork uow, Tenant tenant, string? groupName, string? quantity)
    {
        var settings = TmcSettings.For(tenant);
        if (Group(settings, groupName) is not { } group) return UnknownGroup(groupName!);
        var n = DefaultQuantity;
        if (!string.IsNullOrWhiteSpace(quantity))
        {
            if (!int.TryParse(quantity.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
                return TmcError.Invalid("quantity", $"quantity must be an integer from {MinQuantity} to {MaxQuantity}: '{quantity}'");
            if (n is < MinQuantity or > MaxQuantity)
                return TmcError.Invalid("quantity", $"quantity must be from {MinQuantity} to {MaxQuantity}: {n}");
        }
        var taken = queues.Take(queues.Queue(tenant.Id, group), n, TmcQueues.HttpHolder, settings.ConsumeAckTimeout, uow);
        return new TmcConsumeResult(taken.Select(View).ToList());
    }

    /// <summary>
    /// taobao.tmc.messages.confirm: the ids in <c>s_message_ids</c> (at most 200, any integer notation) are deleted;
    /// unknown or already confirmed ids are ignored. <c>f_message_ids</c> (deprecated) makes messages deliverable again.
    /// </summary>
    public TmcResult<TmcIsSuccessResult> Confirm(UnitOfWork uow, Tenant tenant, string? groupName, string? sMessageIds, string? fMessageIds)
    {
        var settings = TmcSettings.For(tenant);
        if (Group(settings, groupName) is not { } group) return UnknownGroup(groupName!);
        if (string.IsNullOrWhiteSpace(sMessageIds)) return TmcError.Missing("s_message_ids");
        if (Ids("s_message_ids", sMessageIds, out var confirmed) is { } bad) return bad;
        var failed = new List<long>();
        if (!string.IsNullOrWhiteSpace(fMessageIds) && Ids("f_message_ids", fMessageIds, out failed) is { } badF) return badF;
        var q = queues.Queue(tenant.Id, group);
        foreach (var id in confirmed) queues.Confirm(q, id, uow);
        foreach (var id in failed) queues.Fail(q, id, TimeSpan.Zero, uow);
        return new TmcIsSuccessResult(true);
    }

    /// <summary>taobao.tmc.user.permit: opens the message service for the session's user; <c>topics</c> (at most 100, each one the app subscribes to) replaces the user's topics, absent = all.</summary>
    public TmcResult<TmcIsSuccessResult> Permit(UnitOfWork uow, Tenant tenant, TmcSessionUser user, string? topics)
    {
        var settings = TmcSettings.For(tenant);
        List<string>? list = null;
        if (!string.IsNullOrWhiteSpace(topics))
        {
            list = topics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
            if (list.Count > MaxPermitTopics) return TmcError.Invalid("topics", $"at most {MaxPermitTopics} topics: {list.Count}");
            if (list.FirstOrDefault(t => !settings.Topics.Contains(t)) is { } unknown)
                return TmcError.Invalid("topics", $"the app does not subscribe to topic {unknown}");
        }
        permits.Put(uow, tenant.Id, user.UserId, user.UserNick, list, clock.NowMs(tenant.Id));
        return new TmcIsSuccessResult(true);
    }

    /// <summary>taobao.tmc.user.cancel: closes a user's service; is_success false when the app had not opened it.</summary>
    public TmcResult<TmcIsSuccessResult> Cancel(UnitOfWork uow, Tenant tenant, string? nick, string? userPlatform)
    {
        if (string.IsNullOrWhiteSpace(nick)) return TmcError.Missing("nick");
        if (PlatformError(userPlatform) is { } bad) return bad;
        return new TmcIsSuccessResult(permits.Remove(uow, tenant.Id, nick.Trim()));
    }

    /// <summary>taobao.tmc.user.get: the user's service with the <c>fields</c> asked for (topics always), or no tmc_user.</summary>
    public TmcResult<TmcUserGetResult> Get(Tenant tenant, string? fields, string? nick, string? userPlatform)
    {
        if (string.IsNullOrWhiteSpace(fields)) return TmcError.Missing("fields");
        if (string.IsNullOrWhiteSpace(nick)) return TmcError.Missing("nick");
        if (nick.Length > 100) return TmcError.Invalid("nick", "nick is at most 100 characters");
        if (PlatformError(userPlatform) is { } bad) return bad;
        if (permits.Find(tenant.Id, nick.Trim()) is not { } p) return new TmcUserGetResult(null);
        var settings = TmcSettings.For(tenant);
        var want = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return new TmcUserGetResult(new TmcUserView
        {
            UserNick = want.Contains("user_nick") ? p.UserNick : null,
            UserId = want.Contains("user_id") ? p.UserId : null,
            Topics = p.Topics ?? [],
            IsValid = want.Contains("is_valid") ? true : null,
            Created = want.Contains("created") ? ChinaTime(p.CreatedMs) : null,
            Modified = want.Contains("modified") ? ChinaTime(p.ModifiedMs) : null,
            UserPlatform = want.Contains("user_platform") ? "tbUIC" : null,
            GroupName = want.Contains("group_name") ? settings.Groups.FirstOrDefault(g => g.Nicks.Contains(p.UserNick))?.Name ?? TmcSettings.DefaultGroup : null,
        });
    }

    static TmcError? PlatformError(string? userPlatform) =>
        string.IsNullOrWhiteSpace(userPlatform) || userPlatform.Trim() == "tbUIC"
            ? null
            : TmcError.Invalid("user_platform", $"the sandbox has Taobao users only (tbUIC): '{userPlatform}'");

    static string? Group(TmcSettings settings, string? groupName)
    {
        var name = string.IsNullOrWhiteSpace(groupName) ? TmcSettings.DefaultGroup : groupName.Trim();
        return settings.HasGroup(name) ? name : null;
    }

    static TmcError UnknownGroup(string groupName) =>
        TmcError.Invalid("group_name", $"the app has no group '{groupName}'", "isv.invalid-parameter:group_name");

    /// <summary>
    /// Comma-separated ids in any integer notation a client library produces: digits with optional sign, spaces and
    /// leading zeros, or an integral decimal or exponent form (a JavaScript number printed by some serialisers).
    /// </summary>
    static TmcError? Ids(string name, string text, out List<long> ids)
    {
        ids = [];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) ids.Add(id);
            else if (decimal.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue)
                ids.Add((long)d);
            else return TmcError.Invalid(name, $"{name} holds '{part}', which is not a message id");
        }
        if (ids.Count == 0) return TmcError.Missing(name);
        return ids.Count > MaxConfirmIds ? TmcError.Invalid(name, $"at most {MaxConfirmIds} ids: {ids.Count}") : null;
    }

    static TmcMessageView View(TmcMessage m) =>
        new(m.Id, m.Topic, m.Content, ChinaTime(m.PubMs), m.Publisher, m.UserId, m.UserNick);

    static string ChinaTime(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
