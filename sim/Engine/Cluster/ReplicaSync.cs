using Microsoft.Extensions.Logging;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Cluster;

/// <summary>
/// Keeps this replica's memory in step with the others (shared store only): applies what they signal — clocks and
/// advance holds, tenants, scenario reloads, ad-hoc faults, cached entities and key-values to drop, timers and callbacks
/// for the tenants this replica is home of — and signals what only memory knows (holds, reloads, resets). A tenant whose
/// home comes here has its work read from the store; one whose home leaves has its work dropped here.
/// </summary>
public sealed class ReplicaSync(
    IReplicas replicas,
    IStore store,
    VirtualClock clock,
    VirtualScheduler scheduler,
    TenantRegistry tenants,
    TenantAdministration administration,
    ScenarioCatalog scenarios,
    EntityCatalog entities,
    DurableTimers timers,
    CallbackDispatcher callbacks,
    AdHocFaults faults,
    KvChanges kv,
    ILogger<ReplicaSync> log)
{
    // Set while a signal is applied, also across the awaits of what it starts (a reset): what applying it raises locally
    // is not signalled back, or two replicas would echo a reset to each other for ever.
    static readonly AsyncLocal<bool> Applying = new();

    public void Start()
    {
        if (!replicas.Shared) return;
        faults.Load();
        replicas.Received += Apply;
        replicas.HomesGained += Gained;
        replicas.HomeLost += LostAsync;
        clock.PinChanged += (tenant, ms) =>
        {
            if (!Applying.Value) replicas.Publish(ms is { } at ? new ReplicaSignal(ReplicaSignals.Pin, tenant, Number: at) : new ReplicaSignal(ReplicaSignals.Unpin, tenant));
        };
        scenarios.Reloaded += () =>
        {
            if (!Applying.Value) replicas.Publish(new ReplicaSignal(ReplicaSignals.Scenarios));
        };
        administration.Forgotten += tenant =>
        {
            if (!Applying.Value) replicas.Publish(new ReplicaSignal(ReplicaSignals.Forget, tenant));
        };
    }

    void Apply(ReplicaSignal s)
    {
        Applying.Value = true;
        try
        {
            switch (s.Kind)
            {
                case ReplicaSignals.Entity when Entity(s.Key) is var (supplier, kind, id):
                    entities.Evict(s.Tenant!, supplier, kind, id, s.Number);
                    break;
                case ReplicaSignals.Kv:
                    kv.Raise(s.Tenant, s.Key);
                    if (KvChanges.Touches(s.Key, AdHocFaults.KeyPrefix)) faults.Load(s.Tenant);
                    break;
                case ReplicaSignals.Timer when s.Data is { } row && replicas.IsHome(s.Tenant!):
                    timers.ArmStored(System.Text.Json.JsonSerializer.Deserialize<TimerRow>(row)!);
                    break;
                case ReplicaSignals.Outbox when replicas.IsHome(s.Tenant!):
                    // Read off the listener's thread: the listener keeps reading signals meanwhile.
                    var outboxId = s.Number;
                    _ = Task.Run(() => callbacks.AdmitStored(outboxId));
                    break;
                case ReplicaSignals.Clock:
                    clock.Set(s.Tenant!, new ClockState(s.Number, long.TryParse(s.Data, out var frozen) ? frozen : null));
                    break;
                case ReplicaSignals.Pin:
                    clock.Pin(s.Tenant!, s.Number);
                    LetGoUnlessRenewed(s.Tenant!);
                    break;
                case ReplicaSignals.Unpin:
                    clock.Unpin(s.Tenant!);
                    break;
                case ReplicaSignals.Tenant:
                    tenants.Refresh(s.Tenant!);
                    break;
                case ReplicaSignals.Forget:
                    var tenant = s.Tenant!;
                    // The task inherits Applying: the reset it runs here is not announced again.
                    _ = Task.Run(() => administration.ForgetLocallyAsync(tenant));
                    break;
                case ReplicaSignals.Scenarios:
                    scenarios.Reload();
                    break;
                case ReplicaSignals.Resync:
                    Resync();
                    break;
            }
        }
        catch (Exception e)
        {
            log.LogError(e, "applying {Kind} from {Origin} failed", s.Kind, s.Origin);
        }
        finally
        {
            Applying.Value = false;
        }
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _pins = new(StringComparer.Ordinal);
    long _pinSeq;

    /// <summary>
    /// Another replica's hold on a tenant's time is let go here if nothing renews or ends it for a while: the replica
    /// replaying may have died mid-advance, and a held clock would stop this replica's time for the tenant.
    /// </summary>
    void LetGoUnlessRenewed(string tenant)
    {
        var seq = Interlocked.Increment(ref _pinSeq);
        _pins[tenant] = seq;
        _ = Task.Delay(RemoteHoldLimit).ContinueWith(_ =>
        {
            if (_pins.TryRemove(new KeyValuePair<string, long>(tenant, seq))) clock.Unpin(tenant);
        }, TaskScheduler.Default);
    }

    /// <summary>How long a hold another replica took lasts here without a newer one.</summary>
    public static readonly TimeSpan RemoteHoldLimit = TimeSpan.FromSeconds(30);

    static (string Supplier, string Kind, string Id)? Entity(string? key)
    {
        if (key is null) return null;
        var a = key.IndexOf(':');
        var b = a < 0 ? -1 : key.IndexOf(':', a + 1);
        return b < 0 ? null : (key[..a], key[(a + 1)..b], key[(b + 1)..]);
    }

    /// <summary>Signals may have been missed while the listening connection was down: read everything shared again.</summary>
    void Resync()
    {
        log.LogWarning("signals from other replicas may have been missed: reading shared state again");
        tenants.LoadFromStore();
        foreach (var c in store.LoadClocks()) clock.Set(c.Tenant, new ClockState(c.OffsetMs, c.FrozenAtMs));
        foreach (var set in entities.All)
        foreach (var t in tenants.All)
            set.ForgetTenant(t.Id);
        kv.Raise(null, null);
        faults.Load();
        scenarios.Reload();
        foreach (var t in tenants.All.Where(t => replicas.IsHome(t.Id)))
        {
            timers.Recover(t.Id);
            callbacks.Recover(t.Id);
        }
    }

    void Gained(IReadOnlyList<string> gained)
    {
        foreach (var tenant in gained)
        {
            timers.Recover(tenant);
            callbacks.Recover(tenant);
        }
    }

    async Task LostAsync(string tenant)
    {
        await scheduler.DrainAsync(tenant);
        timers.ForgetTenant(tenant);
        callbacks.ForgetTenant(tenant);
    }
}
