using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;

namespace Sandbox.Engine.Tenants;

/// <summary>Tenant-wide actions that cross engine parts: clock changes and resets.</summary>
public sealed class TenantAdministration(
    IStore store,
    TenantRegistry tenants,
    VirtualClock clock,
    VirtualScheduler scheduler,
    DurableTimers timers,
    RuleEngine rules,
    ScenarioCatalog scenarios,
    CallbackDispatcher dispatcher,
    RequestJournal journal,
    EntityCatalog entities,
    IReplicas replicas,
    IEnumerable<ISupplierModule> modules)
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _clockGates = new(StringComparer.Ordinal);

    /// <summary>Raised after a tenant's in-memory state was dropped (reset or deletion), for engine parts that keep some outside a module.</summary>
    public event Action<string>? Forgotten;

    public void LoadClocks()
    {
        foreach (var c in store.LoadClocks()) clock.Load(c.Tenant, new ClockState(c.OffsetMs, c.FrozenAtMs));
    }

    /// <summary>
    /// Sets the clock. Moving it forward replays the window as a test clock does (every timer due in it, follow-ons
    /// included, each at its own instant) and answers once that is done; moving it back just sets it.
    /// </summary>
    public async Task<AdvanceSummary> SetClockAsync(string tenant, ClockState state)
    {
        var gate = _clockGates.GetOrAdd(tenant, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            return await MoveAsync(tenant, state, "set");
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<AdvanceSummary> AdvanceAsync(string tenant, TimeSpan by)
    {
        var gate = _clockGates.GetOrAdd(tenant, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            var s = clock.Get(tenant);
            var ms = (long)by.TotalMilliseconds;
            return await MoveAsync(tenant, s.FrozenAtMs is { } f ? s with { FrozenAtMs = f + ms } : s with { OffsetMs = s.OffsetMs + ms }, "advance");
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<AdvanceSummary> MoveAsync(string tenant, ClockState state, string change)
    {
        var target = state.Now(clock.RealNow).ToUnixTimeMilliseconds();
        var from = clock.NowMs(tenant);
        var wasFrozen = clock.Get(tenant).FrozenAtMs is not null;
        var startedMs = clock.RealNow.ToUnixTimeMilliseconds();
        async Task Settle()
        {
            await store.Write(w => w.SetClock(tenant, state.OffsetMs, state.FrozenAtMs));
            clock.Set(tenant, state);
        }
        AdvanceSummary summary;
        if (target <= from)
        {
            await Settle();
            summary = new AdvanceSummary(0, 0, DateTimeOffset.FromUnixTimeMilliseconds(target));
        }
        else
        {
            // With several replicas the tenant's timers and callbacks move here first: the replay runs all of them in order.
            await replicas.TakeHomeAsync(tenant);
            summary = await scheduler.ReplayAsync(tenant, target, Settle);
        }
        await RecordClockChange(tenant, change, startedMs, from, target, wasFrozen, state.FrozenAtMs is not null, summary);
        return summary;
    }

    /// <summary>
    /// A clock change joins the tenant's events, so that an entity's story shows the jumps between its steps; written at
    /// the real instant the change started (before what its replay ran) and the virtual instant the clock left, with
    /// where it went and what the replay ran.
    /// </summary>
    Task RecordClockChange(string tenant, string change, long realMs, long fromMs, long toMs, bool wasFrozen, bool frozen, AdvanceSummary summary)
    {
        var detail = new System.Text.Json.Nodes.JsonObject
        {
            ["change"] = change,
            ["from"] = DateTimeOffset.FromUnixTimeMilliseconds(fromMs).ToString("O"),
            ["to"] = DateTimeOffset.FromUnixTimeMilliseconds(toMs).ToString("O"),
            ["by"] = Durations.ToIso(TimeSpan.FromMilliseconds(toMs - fromMs)),
            ["frozen"] = frozen,
            ["wasFrozen"] = wasFrozen,
            ["fired"] = summary.Fired,
            ["callbacks"] = summary.Callbacks,
        }.ToJsonString(StoreJson.Options);
        return store.Write(w => w.AddTenantEvent(tenant, realMs, fromMs, ClockEventKind, detail));
    }

    public const string ClockEventKind = "clock";

    /// <summary>Wipes one tenant's state (orders, callbacks, journal, clock, ad-hoc rules) and keeps the tenant.</summary>
    public async Task ResetAsync(string tenant)
    {
        await store.Write(w => w.DeleteTenantState(tenant));
        await ForgetLocallyAsync(tenant);
    }

    public async Task<bool> DeleteAsync(string tenant)
    {
        if (!await tenants.DeleteAsync(tenant)) return false;
        await ForgetLocallyAsync(tenant);
        return true;
    }

    /// <summary>Drops what this process holds of a tenant (the store's rows are wiped by whoever reset or deleted it).</summary>
    public async Task ForgetLocallyAsync(string tenant)
    {
        clock.Remove(tenant);
        scheduler.ForgetTenant(tenant);
        timers.ForgetTenant(tenant);
        rules.ForgetTenant(tenant);
        foreach (var s in scenarios.All)
        foreach (var r in s.Rules)
            r.ResetTenant(tenant);
        dispatcher.ForgetTenant(tenant);
        await journal.ForgetTenantAsync(tenant);
        entities.ForgetTenant(tenant);
        foreach (var m in modules) m.ForgetTenant(tenant);
        Forgotten?.Invoke(tenant);
    }
}
