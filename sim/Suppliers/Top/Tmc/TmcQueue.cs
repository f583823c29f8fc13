namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// The queue of one app group: messages in publish order, each handed to one consumer at a time under a lease on the
/// tenant's virtual clock. A lease that ends without a confirm, a failed report or a consumer that went away makes
/// the message deliverable again; too many such deliveries park it. Memory only: <see cref="TmcQueues"/> persists.
/// </summary>
public sealed class TmcQueue(string tenant, string group)
{
    readonly Lock _gate = new();
    readonly Dictionary<long, TmcMessage> _all = [];
    readonly SortedSet<long> _ready = [];
    // Leased or delayed messages by the instant they become deliverable again; an entry whose version no longer
    // matches the message is stale (the message was confirmed, failed or handed out again since).
    readonly PriorityQueue<(long Id, int Version), long> _timed = new();
    readonly Dictionary<string, HashSet<long>> _held = new(StringComparer.Ordinal);

    public string Tenant { get; } = tenant;
    public string Group { get; } = group;

    /// <summary>Adds a committed (or reloaded) message; a lease it carries keeps running.</summary>
    public void Add(TmcMessage m, long nowMs)
    {
        lock (_gate)
        {
            _all[m.Id] = m;
            if (m.Parked) return;
            if (m.VisibleMs > nowMs)
            {
                _timed.Enqueue((m.Id, m.Version), m.VisibleMs);
                if (m.Holder is not null) HeldBy(m.Holder).Add(m.Id);
            }
            else
            {
                m.Holder = null;
                _ready.Add(m.Id);
            }
        }
    }

    /// <summary>
    /// Hands up to <paramref name="max"/> deliverable messages, oldest first, to <paramref name="holder"/> for
    /// <paramref name="leaseMs"/>. Returns them, and in <paramref name="parked"/> the messages whose lease had ended for
    /// the last allowed time.
    /// </summary>
    public List<TmcMessage> Take(long nowMs, int max, string holder, long leaseMs, int maxDeliveries, List<TmcMessage> parked)
    {
        var taken = new List<TmcMessage>();
        lock (_gate)
        {
            Expire(nowMs, maxDeliveries, parked);
            while (taken.Count < max && _ready.Count > 0)
            {
                var id = _ready.Min;
                _ready.Remove(id);
                var m = _all[id];
                m.Deliveries++;
                m.Holder = holder;
                m.VisibleMs = nowMs + leaseMs;
                m.Version++;
                _timed.Enqueue((id, m.Version), m.VisibleMs);
                HeldBy(holder).Add(id);
                taken.Add(m);
            }
        }
        return taken;
    }

    /// <summary>Moves messages whose lease or delay ended back to the ready set (or parks them); returns whether any is ready.</summary>
    public bool Refresh(long nowMs, int maxDeliveries, List<TmcMessage> parked)
    {
        lock (_gate)
        {
            Expire(nowMs, maxDeliveries, parked);
            return _ready.Count > 0;
        }
    }

    void Expire(long nowMs, int maxDeliveries, List<TmcMessage> parked)
    {
        while (_timed.TryPeek(out var e, out var due) && due <= nowMs)
        {
            _timed.Dequeue();
            if (!_all.TryGetValue(e.Id, out var m) || m.Version != e.Version || m.Parked) continue;
            if (m.Holder is { } h) Unhold(h, m.Id);
            m.Holder = null;
            if (m.Deliveries >= maxDeliveries)
            {
                m.Parked = true;
                parked.Add(m);
            }
            else _ready.Add(m.Id);
        }
    }

    /// <summary>Removes a message for good (confirmed by any consumer of the group); null when it is not here.</summary>
    public TmcMessage? Confirm(long id)
    {
        lock (_gate)
        {
            if (!_all.Remove(id, out var m)) return null;
            _ready.Remove(id);
            if (m.Holder is { } h) Unhold(h, id);
            m.Version++;
            return m;
        }
    }

    /// <summary>
    /// A delivery did not succeed (reported failed, or its consumer went away): the message is deliverable again after
    /// <paramref name="delayMs"/>, or parked when it was delivered <paramref name="maxDeliveries"/> times. Null when the
    /// message is not here or not in flight.
    /// </summary>
    public TmcMessage? Fail(long id, long nowMs, long delayMs, int maxDeliveries)
    {
        lock (_gate)
        {
            if (!_all.TryGetValue(id, out var m) || m.Holder is null) return null;
            GiveBack(m, nowMs, delayMs, maxDeliveries);
            return m;
        }
    }

    /// <summary>Everything <paramref name="holder"/> had in flight becomes deliverable now (its connection closed).</summary>
    public List<TmcMessage> Release(string holder, long nowMs, int maxDeliveries)
    {
        var released = new List<TmcMessage>();
        lock (_gate)
        {
            if (!_held.Remove(holder, out var ids)) return released;
            foreach (var id in ids)
            {
                if (!_all.TryGetValue(id, out var m) || m.Holder != holder) continue;
                m.Holder = null;
                Requeue(m, nowMs, 0, maxDeliveries);
                released.Add(m);
            }
        }
        return released;
    }

    void GiveBack(TmcMessage m, long nowMs, long delayMs, int maxDeliveries)
    {
        if (m.Holder is { } h) Unhold(h, m.Id);
        m.Holder = null;
        Requeue(m, nowMs, delayMs, maxDeliveries);
    }

    void Requeue(TmcMessage m, long nowMs, long delayMs, int maxDeliveries)
    {
        m.Version++;
        if (m.Deliveries >= maxDeliveries)
        {
            m.Parked = true;
            return;
        }
        m.VisibleMs = nowMs + delayMs;
        if (delayMs > 0) _timed.Enqueue((m.Id, m.Version), m.VisibleMs);
        else _ready.Add(m.Id);
    }

    public int HeldCount(string holder)
    {
        lock (_gate) return _held.TryGetValue(holder, out var s) ? s.Count : 0;
    }

    HashSet<long> HeldBy(string holder)
    {
        if (!_held.TryGetValue(holder, out var s)) _held[holder] = s = [];
        return s;
    }

    void Unhold(string holder, long id)
    {
        if (_held.TryGetValue(holder, out var s) && s.Remove(id) && s.Count == 0) _held.Remove(holder);
    }

    /// <summary>The messages in publish order, for the admin API.</summary>
    public List<TmcMessage> Snapshot(int limit)
    {
        lock (_gate) return _all.Values.OrderBy(m => m.Id).Take(limit).ToList();
    }
}
