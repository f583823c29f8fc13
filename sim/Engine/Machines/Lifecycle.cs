using System.Text.Json.Nodes;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Machines;

/// <summary>A transition being applied to one entity, handed to the owning module for its side effects.</summary>
public sealed class TransitionContext
{
    public required Tenant Tenant { get; init; }
    public required Scenario Scenario { get; init; }
    public required string Kind { get; init; }
    public required Entity Entity { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public string? Emit { get; init; }
    public required string Cause { get; init; }
    public required UnitOfWork Uow { get; init; }
    public required long VirtualNowMs { get; init; }
}

/// <summary>What the engine needs from a module to run its state machines.</summary>
public interface IEntityLifecycle
{
    /// <summary>Looks up an entity of a kind this module owns.</summary>
    Entity? FindEntity(string tenant, string kind, string id);
    /// <summary>Side effects of entering a state (issue tickets, refund …) and persisting the entity.</summary>
    void OnEnter(TransitionContext ctx);
    /// <summary>
    /// Encodes a callback in the supplier's format and signing; null when the supplier owes none for this entity
    /// (e.g. the integrator gave no business id or cleared its callback address).
    /// </summary>
    CallbackMessage? BuildCallback(TransitionContext ctx, string name);
}

/// <summary>
/// Runs the scenario state machines: applies a transition (status, module side effects, timeline, emitted
/// callback, next timed transition) inside the caller's unit of work, and fires timed transitions when a
/// tenant's virtual clock reaches them — also after a restart, from the persisted timers.
/// </summary>
public sealed class Lifecycle(
    VirtualClock clock,
    VirtualScheduler scheduler,
    CallbackDispatcher dispatcher,
    TenantRegistry tenants,
    ScenarioCatalog scenarios,
    SqliteStore store)
{
    readonly Dictionary<string, IEntityLifecycle> _modules = new(StringComparer.OrdinalIgnoreCase);

    public void Register(string supplier, IEntityLifecycle module) => _modules[supplier] = module;

    /// <summary>
    /// Moves <paramref name="entity"/> to <paramref name="to"/>. <paramref name="emit"/> is the callback to send
    /// (from the machine's transition); the next timed transition out of the new state is scheduled.
    /// </summary>
    public void Apply(Tenant tenant, string supplier, string kind, Entity entity, string to, string? emit, string cause, UnitOfWork uow)
    {
        var module = _modules[supplier];
        var scenario = scenarios.For(supplier, tenant.ScenarioSet(supplier));
        var nowV = clock.NowMs(tenant.Id);
        var from = entity.Status;
        entity.Status = to;
        entity.UpdatedMs = nowV;
        var ctx = new TransitionContext
        {
            Tenant = tenant, Scenario = scenario, Kind = kind, Entity = entity, From = from, To = to, Emit = emit,
            Cause = cause, Uow = uow, VirtualNowMs = nowV,
        };
        module.OnEnter(ctx);
        var key = EntityCatalog.Key(supplier, kind, entity.Id);
        uow.Timeline(tenant.Id, key, clock.RealNow.ToUnixTimeMilliseconds(), nowV, "transition",
            new JsonObject { ["from"] = from, ["to"] = to, ["cause"] = cause, ["emit"] = emit });
        // Only a state with a timed transition out of it can have left a timer row; most transitions (into a final
        // state, by an operation) skip the statement.
        if (scenario.Machines.TryGetValue(kind, out var machine) && machine.Transitions.Any(t => t.After is not null && (t.From == from || t.From == "*")))
            uow.Add(w => w.DeleteTimer(key));
        if (emit is not null && module.BuildCallback(ctx, emit) is { } message) dispatcher.Enqueue(uow, message);
        ScheduleTimed(tenant, supplier, kind, entity, scenario, uow, nowV);
    }

    /// <summary>Schedules the machine's timed transition out of the entity's current state, if any.</summary>
    public void ScheduleTimed(Tenant tenant, string supplier, string kind, Entity entity, Scenario scenario, UnitOfWork uow, long nowV)
    {
        if (!scenario.Machines.TryGetValue(kind, out var machine)) return;
        var timed = machine.Timed(entity.Status, entity.Tags);
        if (timed is null) return;
        var due = nowV + (long)timed.After!.Value.TotalMilliseconds;
        var row = new TimerRow(EntityCatalog.Key(supplier, kind, entity.Id), tenant.Id, supplier, kind, entity.Id, entity.Status, timed.To, timed.Emit, due);
        uow.Add(w => w.UpsertTimer(row.Id, row.Tenant, row.Supplier, row.Kind, row.EntityId, row.From, row.To, row.Emit, row.DueVirtualMs));
        uow.AfterCommit(() => scheduler.At(row.Tenant, row.DueVirtualMs, () => FireAsync(row)));
    }

    async Task FireAsync(TimerRow row)
    {
        if (tenants.Find(row.Tenant) is not { } tenant || !_modules.TryGetValue(row.Supplier, out var module)) return;
        var entity = module.FindEntity(row.Tenant, row.Kind, row.EntityId);
        var uow = new UnitOfWork(store);
        // The entity's lock serialises a timer with operations on the same entity; a stale timer (the entity
        // moved on by an operation or an admin action) does nothing.
        if (entity is null) return;
        lock (entity)
        {
            if (entity.Status != row.From) return;
            Apply(tenant, row.Supplier, row.Kind, entity, row.To, row.Emit, $"after {row.From} timer", uow);
        }
        await uow.CommitAsync();
    }

    /// <summary>Re-arms persisted timers after a restart.</summary>
    public void Recover()
    {
        using var c = store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, tenant, supplier, kind, entity_id, from_state, to_state, emit, due_virtual_ms FROM timers";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = new TimerRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8));
            scheduler.At(row.Tenant, row.DueVirtualMs, () => FireAsync(row));
        }
    }

    sealed record TimerRow(string Id, string Tenant, string Supplier, string Kind, string EntityId, string From, string To, string? Emit, long DueVirtualMs);
}
