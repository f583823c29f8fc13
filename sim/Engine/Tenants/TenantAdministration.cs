using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;

namespace Sandbox.Engine.Tenants;

/// <summary>Tenant-wide actions that cross engine parts: clock changes and resets.</summary>
public sealed class TenantAdministration(
    SqliteStore store,
    TenantRegistry tenants,
    VirtualClock clock,
    VirtualScheduler scheduler,
    RuleEngine rules,
    ScenarioCatalog scenarios,
    CallbackDispatcher dispatcher,
    RequestJournal journal,
    EntityCatalog entities,
    IEnumerable<ISupplierModule> modules)
{
    /// <summary>Raised after a tenant's in-memory state was dropped (reset or deletion), for engine parts that keep some outside a module.</summary>
    public event Action<string>? Forgotten;

    public void LoadClocks()
    {
        using var c = store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT tenant, offset_ms, frozen_at_ms FROM clocks";
        using var r = cmd.ExecuteReader();
        while (r.Read()) clock.Load(r.GetString(0), new ClockState(r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2)));
    }

    /// <summary>Sets the clock, persists it, then fires everything that became due before returning.</summary>
    public async Task<ClockState> SetClockAsync(string tenant, ClockState state)
    {
        await store.Write(w => w.SetClock(tenant, state.OffsetMs, state.FrozenAtMs));
        clock.Set(tenant, state);
        await scheduler.PumpAsync(tenant);
        return state;
    }

    public Task<ClockState> AdvanceAsync(string tenant, TimeSpan by)
    {
        var s = clock.Get(tenant);
        var next = s.FrozenAtMs is { } f
            ? s with { FrozenAtMs = f + (long)by.TotalMilliseconds }
            : s with { OffsetMs = s.OffsetMs + (long)by.TotalMilliseconds };
        return SetClockAsync(tenant, next);
    }

    /// <summary>Wipes one tenant's state (orders, callbacks, journal, clock, ad-hoc rules) and keeps the tenant.</summary>
    public async Task ResetAsync(string tenant)
    {
        await store.Write(w => w.DeleteTenantState(tenant));
        await ForgetAsync(tenant);
    }

    public async Task<bool> DeleteAsync(string tenant)
    {
        if (!await tenants.DeleteAsync(tenant)) return false;
        await ForgetAsync(tenant);
        return true;
    }

    async Task ForgetAsync(string tenant)
    {
        clock.Remove(tenant);
        scheduler.ForgetTenant(tenant);
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
