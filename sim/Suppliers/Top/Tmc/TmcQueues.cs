using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// Every tenant's TMC queues, one per app group, shared by the HTTP pull methods and the WebSocket channel. The store
/// holds each message until it is confirmed; memory holds the queues, rebuilt from the store on first use after a
/// start. Delivery state is written behind the delivery (a lost update only means a redelivery, which TMC allows);
/// a publish and an HTTP confirm are written in the caller's unit of work, so what a client was told is on disk.
/// When replicas share the store, the database holds the queues instead (<see cref="ISharedTmcQueues"/>): a consumer on any
/// replica takes a message there, so each message goes to one consumer whichever replica it is connected to, and a
/// publish on one replica wakes the consumers of the others.
/// </summary>
public sealed class TmcQueues
{
    /// <summary>The holder of messages handed out by taobao.tmc.messages.consume (connections hold theirs by token).</summary>
    public const string HttpHolder = "http";

    readonly IStore _store;
    readonly VirtualClock _clock;
    readonly TenantRegistry _tenants;
    readonly ILogger _log;
    readonly ConcurrentDictionary<(string Tenant, string Group), TmcQueue> _queues = new();
    readonly Lazy<bool> _loaded;
    readonly ISharedTmcQueues? _shared;
    readonly string _replica;
    long _lastId;

    /// <summary>Raised when a queue may have messages to hand out (published, given back, released).</summary>
    public event Action<TmcQueue>? Deliverable;

    /// <summary>
    /// Raised when a consumer confirmed a message or reported it failed (the load generator's callbacks mode times the
    /// integrator's consumer with it). The content is known on this replica's queues only (null on a shared store).
    /// </summary>
    public event Action<TmcSettlement>? Settled;

    public TmcQueues(IStore store, VirtualClock clock, TenantRegistry tenants, IReplicas replicas, ILogger<TmcQueues> log)
    {
        _store = store;
        _clock = clock;
        _tenants = tenants;
        _log = log;
        _loaded = new Lazy<bool>(Load);
        _replica = replicas.Id;
        if (replicas.Shared)
        {
            _shared = store as ISharedTmcQueues ?? throw new InvalidOperationException("a store shared by replicas must hold the TMC queues");
            replicas.Received += s =>
            {
                if (s.Kind == ReplicaSignals.Tmc && s.Tenant is { } t && s.Key is { } g) Deliverable?.Invoke(QueueOf(t, g));
            };
        }
    }

    /// <summary>
    /// The holder a shared queue records: a connection's token is prefixed with its replica, so that the replica's death
    /// gives back what its connections held; HTTP leases belong to no replica and keep running.
    /// </summary>
    string Holder(string holder) => holder == HttpHolder ? holder : _replica + "/" + holder;

    /// <summary>
    /// Rebuilds the queues from the store. Messages a connection of the previous process had in flight are deliverable
    /// at once (the connection is gone; its client reconnects and gets them again); HTTP leases keep running.
    /// </summary>
    bool Load()
    {
        if (_shared is not null) return true;
        foreach (var row in _store.LoadTmcMessages())
        {
            var m = TmcMessage.FromRow(row);
            if (m.Holder is not null and not HttpHolder)
            {
                m.Holder = null;
                m.VisibleMs = 0;
            }
            QueueOf(m.Tenant, m.Group).Add(m, _clock.NowMs(m.Tenant));
            _lastId = Math.Max(_lastId, m.Id);
        }
        return true;
    }

    void EnsureLoaded() => _ = _loaded.Value;

    public TmcQueue Queue(string tenant, string group)
    {
        EnsureLoaded();
        return QueueOf(tenant, group);
    }

    TmcQueue QueueOf(string tenant, string group) => _queues.GetOrAdd((tenant, group), k => new TmcQueue(k.Tenant, k.Group));

    /// <summary>The queue if it exists (after the store was read), without creating one.</summary>
    public TmcQueue? Find(string tenant, string group)
    {
        EnsureLoaded();
        return _queues.GetValueOrDefault((tenant, group));
    }

    public IEnumerable<TmcQueue> QueuesOf(string tenant)
    {
        EnsureLoaded();
        if (_shared is not null) return _shared.TmcGroups(tenant).Select(g => QueueOf(tenant, g)).ToList();
        return _queues.Values.Where(q => q.Tenant == tenant);
    }

    /// <summary>A group's messages in publish order (admin API).</summary>
    public IReadOnlyList<TmcMessage> Snapshot(string tenant, string group, int limit) =>
        _shared is not null
            ? _shared.TmcQueue(tenant, group, limit).Select(TmcMessage.FromRow).ToList()
            : Find(tenant, group)?.Snapshot(limit) ?? [];

    /// <summary>Messages a consumer has in flight (its push window).</summary>
    public int HeldCount(TmcQueue q, string holder) =>
        _shared is not null ? _shared.HeldTmc(Holder(holder), _clock.NowMs(q.Tenant)) : q.HeldCount(holder);

    /// <summary>
    /// A new message id: Unix milliseconds × 1000 plus a sequence, so ids grow across restarts even when every earlier
    /// message was confirmed and deleted, and stay below 2^53 (a JavaScript number) until the year 2255.
    /// </summary>
    public long NextId()
    {
        EnsureLoaded();
        if (_store.NextTmcMessageId() is { } shared) return shared;
        var floor = _clock.RealNow.ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = Interlocked.Read(ref _lastId);
            var next = Math.Max(last + 1, floor);
            if (Interlocked.CompareExchange(ref _lastId, next, last) == last) return next;
        }
    }

    /// <summary>Writes a new message in the caller's unit of work; it joins its queue once that committed.</summary>
    public void Enqueue(UnitOfWork uow, TmcMessage m)
    {
        var row = m.ToRow();
        uow.Add(w => w.InsertTmcMessage(row));
        uow.AfterCommit(() =>
        {
            var q = Queue(m.Tenant, m.Group);
            if (_shared is null) q.Add(m, _clock.NowMs(m.Tenant));
            Deliverable?.Invoke(q);
        });
    }

    TmcSettings SettingsOf(string tenant) => _tenants.Find(tenant) is { } t ? TmcSettings.For(t) : new TmcSettings();

    /// <summary>Hands out up to <paramref name="max"/> messages of a queue to a holder; the delivery state is written to <paramref name="uow"/> or behind.</summary>
    public List<TmcMessage> Take(TmcQueue q, int max, string holder, TimeSpan lease, UnitOfWork? uow = null)
    {
        var settings = SettingsOf(q.Tenant);
        if (_shared is not null)
            return _shared.TakeTmc(q.Tenant, q.Group, _clock.NowMs(q.Tenant), max, Holder(holder), (long)lease.TotalMilliseconds, settings.MaxDeliveries)
                .Select(TmcMessage.FromRow).ToList();
        var parked = new List<TmcMessage>();
        var taken = q.Take(_clock.NowMs(q.Tenant), max, holder, (long)lease.TotalMilliseconds, settings.MaxDeliveries, parked);
        Persist([.. parked, .. taken], uow);
        return taken;
    }

    /// <summary>Whether the queue has messages to hand out now (leases that ended are given back first).</summary>
    public bool HasDeliverable(TmcQueue q)
    {
        if (_shared is not null) return _shared.HasDeliverableTmc(q.Tenant, q.Group, _clock.NowMs(q.Tenant), SettingsOf(q.Tenant).MaxDeliveries);
        var parked = new List<TmcMessage>();
        var any = q.Refresh(_clock.NowMs(q.Tenant), SettingsOf(q.Tenant).MaxDeliveries, parked);
        Persist(parked, null);
        return any;
    }

    /// <summary>Confirms a message of the group: it is deleted and never delivered again. False when it was not there.</summary>
    public bool Confirm(TmcQueue q, long id, UnitOfWork? uow = null)
    {
        if (_shared is not null)
        {
            if (!_shared.ConfirmTmc(q.Tenant, q.Group, id)) return false;
            Settled?.Invoke(new TmcSettlement(q.Tenant, q.Group, id, null, true));
            Deliverable?.Invoke(q);
            return true;
        }
        if (q.Confirm(id) is not { } confirmed) return false;
        Write(w => w.DeleteTmcMessage(id), uow);
        Settled?.Invoke(new TmcSettlement(q.Tenant, q.Group, id, confirmed.Content, true));
        Deliverable?.Invoke(q);
        return true;
    }

    /// <summary>A consumer reported the message failed (or HTTP named it in f_message_ids): deliverable again after <paramref name="delay"/>.</summary>
    public bool Fail(TmcQueue q, long id, TimeSpan delay, UnitOfWork? uow = null)
    {
        var settings = SettingsOf(q.Tenant);
        if (_shared is not null)
        {
            if (_shared.FailTmc(q.Tenant, q.Group, id, _clock.NowMs(q.Tenant), (long)delay.TotalMilliseconds, settings.MaxDeliveries) is null) return false;
            Settled?.Invoke(new TmcSettlement(q.Tenant, q.Group, id, null, false));
            if (delay <= TimeSpan.Zero) Deliverable?.Invoke(q);
            return true;
        }
        if (q.Fail(id, _clock.NowMs(q.Tenant), (long)delay.TotalMilliseconds, settings.MaxDeliveries) is not { } m) return false;
        Persist([m], uow);
        Settled?.Invoke(new TmcSettlement(q.Tenant, q.Group, id, m.Content, false));
        if (delay <= TimeSpan.Zero) Deliverable?.Invoke(q);
        return true;
    }

    /// <summary>A connection closed: what it had in flight is deliverable again at once.</summary>
    public void Release(TmcQueue q, string holder)
    {
        if (_shared is not null)
        {
            if (_shared.ReleaseTmc(q.Tenant, q.Group, Holder(holder), _clock.NowMs(q.Tenant), SettingsOf(q.Tenant).MaxDeliveries) > 0)
                Deliverable?.Invoke(q);
            return;
        }
        var released = q.Release(holder, _clock.NowMs(q.Tenant), SettingsOf(q.Tenant).MaxDeliveries);
        if (released.Count == 0) return;
        Persist(released, null);
        Deliverable?.Invoke(q);
    }

    void Persist(IReadOnlyList<TmcMessage> changed, UnitOfWork? uow)
    {
        if (changed.Count == 0) return;
        var rows = changed.Select(m => (m.Id, m.Deliveries, m.VisibleMs, m.Holder, m.Parked)).ToArray();
        Write(w =>
        {
            foreach (var r in rows) w.UpdateTmcDelivery(r.Id, r.Deliveries, r.VisibleMs, r.Holder, r.Parked);
        }, uow);
    }

    void Write(Action<IStoreWriter> write, UnitOfWork? uow)
    {
        if (uow is not null)
        {
            uow.Add(write);
            return;
        }
        _store.Write(write).ContinueWith(t => _log.LogError(t.Exception, "TMC delivery state not written"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Drops a tenant's queues from memory (its rows are wiped by the tenant reset or deletion).</summary>
    public void ForgetTenant(string tenant)
    {
        foreach (var key in _queues.Keys.Where(k => k.Tenant == tenant)) _queues.TryRemove(key, out _);
    }
}

/// <summary>A consumer's verdict on one message: confirmed, or reported failed (redelivered later).</summary>
public sealed record TmcSettlement(string Tenant, string Group, long Id, string? Content, bool Confirmed);
