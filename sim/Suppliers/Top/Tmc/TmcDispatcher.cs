using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Tenants;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// Hands queued messages to the WebSocket connections of their group: competing consumers, each message to exactly
/// one connection, at most <see cref="Window"/> unconfirmed messages per connection. It pushes when a message becomes
/// deliverable (published, given back, a connection went away), when a connection confirms or pulls, when the
/// tenant's clock moves, and on a one-second sweep that notices leases which ended.
/// </summary>
public sealed class TmcDispatcher : BackgroundService
{
    /// <summary>Unconfirmed pushes per connection; also what one pull request can bring (spec §3.3.5: up to 32).</summary>
    public const int Window = 32;
    const int Batch = 8;

    sealed class Consumers
    {
        public readonly Lock Gate = new();
        public List<TmcConnection> List = [];
        public int Next;
        public int Scheduled;
    }

    readonly TmcQueues _queues;
    readonly TenantRegistry _tenants;
    readonly VirtualClock _clock;
    readonly ILogger _log;
    readonly ConcurrentDictionary<(string Tenant, string Group), Consumers> _consumers = new();

    public TmcDispatcher(TmcQueues queues, TenantRegistry tenants, VirtualClock clock, ILogger<TmcDispatcher> log)
    {
        _queues = queues;
        _tenants = tenants;
        _clock = clock;
        _log = log;
        queues.Deliverable += Schedule;
        clock.Changed += tenant =>
        {
            foreach (var q in queues.QueuesOf(tenant)) Schedule(q);
        };
    }

    Consumers Of(string tenant, string group) => _consumers.GetOrAdd((tenant, group), _ => new Consumers());

    public void Add(TmcConnection c)
    {
        var set = Of(c.Tenant!.Id, c.Group);
        lock (set.Gate) set.List = [.. set.List, c];
        Schedule(c.Queue!);
    }

    /// <summary>Takes the connection out of the rotation, then gives back what it held (so no pump hands it more after).</summary>
    public void Remove(TmcConnection c)
    {
        if (c.Queue is not { } q) return;
        var set = Of(q.Tenant, q.Group);
        lock (set.Gate) set.List = set.List.Where(x => x != c).ToList();
        _queues.Release(q, c.Token);
    }

    public IReadOnlyList<TmcConnection> ConnectionsOf(string tenant, string group) =>
        _consumers.TryGetValue((tenant, group), out var set) ? set.List : [];

    /// <summary>Pushes soon, once for any number of requests that arrive while a push is pending.</summary>
    public void Schedule(TmcQueue q)
    {
        if (!_consumers.TryGetValue((q.Tenant, q.Group), out var set) || set.List.Count == 0) return;
        if (Interlocked.Exchange(ref set.Scheduled, 1) == 1) return;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            Volatile.Write(ref set.Scheduled, 0);
            try
            {
                Pump(q, set);
            }
            catch (Exception e)
            {
                _log.LogError(e, "TMC push to {Tenant}/{Group} failed", q.Tenant, q.Group);
            }
        }, null);
    }

    void Pump(TmcQueue q, Consumers set)
    {
        if (_tenants.Find(q.Tenant) is not { } tenant) return;
        var lease = TmcSettings.For(tenant).PushAckTimeout;
        lock (set.Gate)
        {
            var list = set.List;
            if (list.Count == 0) return;
            // Round robin in small batches, so that competing consumers share a burst instead of the first taking it all.
            var idle = 0;
            while (idle < list.Count)
            {
                var c = list[set.Next++ % list.Count];
                var room = Math.Min(Batch, Window - _queues.HeldCount(q, c.Token));
                if (room <= 0 || !c.IsReady)
                {
                    idle++;
                    continue;
                }
                var taken = _queues.Take(q, room, c.Token, lease);
                if (taken.Count == 0) return;
                c.Push(taken, _clock.NowMs(q.Tenant));
                idle = 0;
            }
        }
    }

    /// <summary>Closes the tenant's connections (tenant reset or deleted): their clients reconnect and find the new state.</summary>
    public void ForgetTenant(string tenant)
    {
        foreach (var (key, set) in _consumers.Where(k => k.Key.Tenant == tenant).ToList())
        {
            foreach (var c in set.List) c.Close(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "tenant reset");
            _consumers.TryRemove(key, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var ((tenant, group), set) in _consumers)
                    if (set.List.Count > 0 && _queues.Find(tenant, group) is { } q && _queues.HasDeliverable(q))
                        Schedule(q);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
