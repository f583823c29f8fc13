using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Storage;

namespace Sandbox.Engine.Clock;

/// <summary>
/// Timers on a tenant's virtual clock that survive a restart: the row is written in the unit of work that arms it,
/// re-armed from the store at start, and deleted in the unit of work of its firing — so a timer fires once, also
/// after kill -9. Who fires it is a named handler (the state machines' <c>transition</c>, a module's own).
/// </summary>
public sealed class DurableTimers(IStore store, VirtualScheduler scheduler, IReplicas replicas, ILogger<DurableTimers> log)
{
    /// <summary>Does the timer's work inside the unit of work that also deletes the timer's row.</summary>
    public delegate ValueTask Handler(TimerRow timer, UnitOfWork uow);

    readonly ConcurrentDictionary<string, Handler> _handlers = new(StringComparer.Ordinal);
    // The armed instance of each timer (by due instant): a timer re-armed or cancelled since leaves its old instance
    // in the scheduler's queue, which then does nothing.
    readonly ConcurrentDictionary<string, long> _armed = new(StringComparer.Ordinal);

    public void Handle(string handler, Handler fire) => _handlers[handler] = fire;

    /// <summary>Arms (or re-arms, by id) a timer once the unit of work commits.</summary>
    public void Schedule(UnitOfWork uow, TimerRow timer)
    {
        uow.Add(w => w.UpsertTimer(timer));
        uow.AfterCommit(() => Arm(timer));
    }

    public void Cancel(UnitOfWork uow, string id)
    {
        uow.Add(w => w.DeleteTimer(id));
        uow.AfterCommit(() => _armed.TryRemove(id, out _));
    }

    /// <summary>
    /// Re-arms persisted timers after a restart (or, with <paramref name="tenant"/>, when this replica became the tenant's
    /// home); those already due fire at once, in due order.
    /// </summary>
    public void Recover(string? tenant = null)
    {
        foreach (var t in store.LoadTimers(tenant)) Arm(t);
    }

    /// <summary>A timer another replica armed for a tenant this replica is home of.</summary>
    public void ArmStored(TimerRow timer) => Arm(timer);

    /// <summary>Only a tenant's home runs its timers; elsewhere the row waits in the store (the home hears of it).</summary>
    void Arm(TimerRow timer)
    {
        if (!replicas.IsHome(timer.Tenant)) return;
        _armed[timer.Id] = timer.DueVirtualMs;
        scheduler.At(timer.Tenant, timer.DueVirtualMs, WorkKind.Timer, () => FireAsync(timer));
    }

    async Task FireAsync(TimerRow timer)
    {
        if (!_armed.TryRemove(new KeyValuePair<string, long>(timer.Id, timer.DueVirtualMs))) return;
        if (!_handlers.TryGetValue(timer.Handler, out var fire))
        {
            log.LogWarning("timer {Id}: no handler '{Handler}' is registered; it stays in the store", timer.Id, timer.Handler);
            return;
        }
        var uow = new UnitOfWork(store);
        uow.Add(w => w.ClaimTimer(timer.Id, timer.DueVirtualMs));
        await fire(timer, uow);
        try
        {
            await uow.CommitAsync();
        }
        catch (StoreConflictException)
        {
            // Fired by another replica (its home moved meanwhile), cancelled or re-armed: this firing does nothing.
            log.LogDebug("timer {Id} due at {Due} was gone when it fired", timer.Id, timer.DueVirtualMs);
        }
    }

    public void ForgetTenant(string tenant)
    {
        foreach (var id in _armed.Keys)
            if (id.StartsWith(tenant + "|", StringComparison.Ordinal)) _armed.TryRemove(id, out _);
    }

    /// <summary>Timer ids are unique per tenant: the tenant is part of the id.</summary>
    public static string Id(string tenant, string key) => tenant + "|" + key;
}
