namespace Sandbox.Engine.Storage;

/// <summary>
/// TMC queues held by a store that replicas share: the database decides who gets a message. Each call is one statement,
/// committed at once; a message is handed to one consumer (rows taken with FOR UPDATE SKIP LOCKED, so replicas pumping the
/// same group never wait on each other or take the same message). Times are the tenant's virtual Unix ms; a message whose
/// lease ended after <c>maxDeliveries</c> deliveries is parked, as the embedded queues do.
/// </summary>
public interface ISharedTmcQueues
{
    /// <summary>Hands up to <paramref name="max"/> deliverable messages of a group, oldest first, to <paramref name="holder"/>.</summary>
    IReadOnlyList<TmcMessageRow> TakeTmc(string tenant, string group, long nowMs, int max, string holder, long leaseMs, int maxDeliveries);

    /// <summary>Deletes a confirmed message; false when it was not in the group.</summary>
    bool ConfirmTmc(string tenant, string group, long id);

    /// <summary>A delivery failed: the message is deliverable again after <paramref name="delayMs"/> (or parked); null when it was not in flight.</summary>
    TmcMessageRow? FailTmc(string tenant, string group, long id, long nowMs, long delayMs, int maxDeliveries);

    /// <summary>A consumer went away: what it held is deliverable now. Returns how many messages it held.</summary>
    int ReleaseTmc(string tenant, string group, string holder, long nowMs, int maxDeliveries);

    /// <summary>Messages <paramref name="holder"/> has in flight.</summary>
    int HeldTmc(string holder, long nowMs);

    bool HasDeliverableTmc(string tenant, string group, long nowMs, int maxDeliveries);

    /// <summary>A group's messages in publish order, for the admin API.</summary>
    IReadOnlyList<TmcMessageRow> TmcQueue(string tenant, string group, int limit);

    /// <summary>The groups of a tenant that hold messages.</summary>
    IReadOnlyList<string> TmcGroups(string tenant);
}
