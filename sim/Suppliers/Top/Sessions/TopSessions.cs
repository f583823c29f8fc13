using System.Security.Cryptography;
using Sandbox.Engine;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.Top.Sessions;

/// <summary>
/// The sessions of each tenant's app: those created through the admin API (stored, expiring on the tenant's virtual
/// clock) and the standing one of <c>credentials.top.session</c>. Revoking a session keeps it as <c>revoked</c>, so
/// that using it answers code 27 rather than being unknown.
/// </summary>
public sealed class TopSessions([FromKeyedServices(TopCredentials.Supplier)] SupplierContext engine)
{
    public const string Kind = "session";

    readonly EntitySet<TopSession> sessions = engine.Entities<TopSession>(Kind);
    readonly VirtualClock clock = engine.Clock;

    public TopSession? Find(string tenant, string key) => sessions.Get(tenant, key);

    /// <summary>The caller's session, or the code 27 explaining why it is not one.</summary>
    public TopSessionInfo Resolve(Tenant tenant, string key)
    {
        var nowMs = clock.NowMs(tenant.Id);
        if (sessions.Get(tenant.Id, key) is { } s)
        {
            if (s.Status == TopSession.Revoked) throw TopError.InvalidSession("session已被撤销 (revoked)");
            if (s.ExpiresMs is { } exp && nowMs >= exp) throw TopError.InvalidSession("session已过期 (expired)");
            return new TopSessionInfo(s.Id, s.UserId, s.UserNick, s.ChannelAssigned, s.PayAgreementSigned);
        }
        var c = TopCredentials.Of(tenant);
        if (c.Session == key) return new TopSessionInfo(key, c.UserId, c.UserNick, c.ChannelAssigned, c.PayAgreementSigned);
        throw TopError.InvalidSession("session不存在 (unknown to this app)");
    }

    public async Task<TopSession> CreateAsync(Tenant tenant, long userId, string userNick, TimeSpan expiresIn, bool channelAssigned, bool payAgreementSigned)
    {
        var nowMs = clock.NowMs(tenant.Id);
        var session = new TopSession
        {
            Id = "6100" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + userId,
            Status = TopSession.Valid,
            CreatedMs = nowMs,
            UpdatedMs = nowMs,
            UserId = userId,
            UserNick = userNick,
            ExpiresMs = nowMs + (long)expiresIn.TotalMilliseconds,
            ChannelAssigned = channelAssigned,
            PayAgreementSigned = payAgreementSigned,
        };
        var uow = engine.NewUnitOfWork();
        sessions.Save(uow, tenant.Id, session);
        await uow.CommitAsync();
        return session;
    }

    /// <summary>Stored sessions, newest first, and the standing one unless a stored entry (its revocation) shadows it.</summary>
    public IReadOnlyList<TopSession> List(Tenant tenant)
    {
        var stored = sessions.Query(tenant.Id, long.MinValue, long.MaxValue).ToList();
        var c = TopCredentials.Of(tenant);
        if (c.Session is { } standing && stored.All(s => s.Id != standing))
            stored.Add(Standing(c, standing));
        return stored;
    }

    /// <summary>The revoked session; null when the tenant's app does not know it.</summary>
    public async Task<TopSession?> RevokeAsync(Tenant tenant, string key)
    {
        var c = TopCredentials.Of(tenant);
        var session = sessions.Get(tenant.Id, key) ?? (c.Session == key ? Standing(c, key) : null);
        if (session is null) return null;
        lock (session)
        {
            session.Status = TopSession.Revoked;
            session.UpdatedMs = clock.NowMs(tenant.Id);
        }
        var uow = engine.NewUnitOfWork();
        sessions.Save(uow, tenant.Id, session);
        await uow.CommitAsync();
        return session;
    }

    static TopSession Standing(TopCredentials c, string key) => new()
    {
        Id = key, Status = TopSession.Valid, UserId = c.UserId, UserNick = c.UserNick,
        ChannelAssigned = c.ChannelAssigned, PayAgreementSigned = c.PayAgreementSigned,
    };
}
