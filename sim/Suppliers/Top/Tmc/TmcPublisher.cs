using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// Routes a publication to the tenant's app (spec §3.1.6): queued only when the app subscribes to the topic and the
/// user is permitted, into the group that routes it. The message id is allocated either way, so the content a module
/// builds from it is the same whether or not anyone receives it.
/// </summary>
public sealed class TmcPublisher(TmcQueues queues, TmcPermits permits, TenantRegistry tenants, VirtualClock clock) : ITmcPublisher
{
    public long Publish(UnitOfWork uow, TmcPublication publication)
    {
        var id = queues.NextId();
        var content = publication.Content(id);
        if (tenants.Find(publication.Tenant) is not { } tenant) return id;
        if (Route(tenant, publication.Topic, publication.UserNick).Group is not { } group) return id;
        queues.Enqueue(uow, new TmcMessage(id, tenant.Id, group, publication.Topic, publication.UserId, publication.UserNick,
            TmcSettings.For(tenant).Publisher, content, clock.NowMs(tenant.Id)));
        return id;
    }

    /// <summary>The group a user's message on a topic goes to, or why it reaches nobody.</summary>
    public (string? Group, string? Reason) Route(Tenant tenant, string topic, string userNick)
    {
        var settings = TmcSettings.For(tenant);
        if (!settings.Topics.Contains(topic)) return (null, $"the app does not subscribe to {topic} (settings.top.tmc.topics)");
        if (!permits.Permits(tenant.Id, settings, userNick, topic))
            return (null, $"user {userNick} is not permitted for {topic} (taobao.tmc.user.permit, or settings.top.tmc.auto_permit)");
        return (settings.GroupFor(topic, userNick), null);
    }
}
