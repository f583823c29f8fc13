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
        var settings = TmcSettings.For(tenant);
        if (!settings.Topics.Contains(publication.Topic)) return id;
        if (!permits.Permits(tenant.Id, settings, publication.UserNick, publication.Topic)) return id;
        var group = settings.GroupFor(publication.Topic, publication.UserNick);
        queues.Enqueue(uow, new TmcMessage(id, tenant.Id, group, publication.Topic, publication.UserId, publication.UserNick,
            settings.Publisher, content, clock.NowMs(tenant.Id)));
        return id;
    }
}
