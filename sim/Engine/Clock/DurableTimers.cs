using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Storage;

namespace Sandbox.Engine.Clock;

/// <summary>
/// Timers on a tenant's virtual clock that survive a restart: the row is written in the unit of work that arms it,
/// re-armed from the store at start, and deleted in the unit of work of its firing — so a timer fires once, also
/// after kill -9. Who fires it is a named handler (the state machines' <c>transition</c>, a module's own).
/// Only timers within the scheduler's window are held in memory; the others wait in the store until the window
/// reaches them (<see cref="IPagedWork"/>).
/// </summary>
public sealed class DurableTimers : IPagedWork
{
    readonly IStore store;
    readonly VirtualScheduler scheduler;
    readonly IReplicas replicas;
    readonly ILogger<DurableTimers> log;

    public DurableTimers(IStore store, VirtualScheduler scheduler, IReplicas replicas, ILogger<DurableTimers> log)
    {
        this.store = store;
        this.scheduler = scheduler;
        this.replicas = replicas;
        this.log = log;
        scheduler.Page(this);
    }

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
        foreach (var t in tenant is null ? store.TimerTenants() : [tenant])
        {
            if (!replicas.IsHome(t)) continue;
            foreach (var timer in store.LoadTimers(t, dueThroughMs: scheduler.Watch(t))) Arm(timer);
        }
    }

    /// <summary>A timer another replica armed for a tenant this replica is home of.</summary>
    public void ArmStored(TimerRow timer) => Arm(timer);

    /// <summary>The scheduler's window reached these timers: they come out of the store. One armed meanwhile (re-armed
    /// or cancelled since this read) is newer than the row read here and is left as it is.</summary>
    public void ArmDue(string tenant, long afterMs, long throughMs)
    {
        if (!replicas.IsHome(tenant)) return;
        foreach (var timer in store.LoadTimers(tenant, afterMs, throughMs))
            if (_armed.TryAdd(timer.Id, timer.DueVirtualMs))
                scheduler.At(timer.Tenant, timer.DueVirtualMs, WorkKind.Timer, () => FireAsync(timer));
    }

    /// <summary>Only a tenant's home runs its timers; elsewhere the row waits in the store (the home hears of it). A timer
    /// beyond the scheduler's window waits there too, and an instance armed before does nothing.</summary>
    void Arm(TimerRow timer)
    {
        if (!replicas.IsHome(timer.Tenant)) return;
        if (!scheduler.InWindow(timer.Tenant, timer.DueVirtualMs))
        {
            _armed.TryRemove(timer.Id, out _);
            return;
        }
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
