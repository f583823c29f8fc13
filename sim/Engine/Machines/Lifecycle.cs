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
    /// <summary>Side effects of entering a state (issue tickets, refund …); the engine persists the entity afterwards.</summary>
    void OnEnter(TransitionContext ctx);
    /// <summary>
    /// Encodes a callback in the supplier's format and signing; null when the supplier owes none for this entity
    /// (e.g. the integrator gave no business id or cleared its callback address).
    /// </summary>
    CallbackMessage? BuildCallback(TransitionContext ctx, string name);
}

/// <summary>
/// Runs the scenario state machines: applies a transition (status, module side effects, the entity saved, timeline,
/// emitted callback, next timed transition) inside the caller's unit of work, and fires timed transitions when a
/// tenant's virtual clock reaches them — as durable timers, so also after a restart.
/// </summary>
public sealed class Lifecycle
{
    public const string TimerHandler = "transition";

    readonly Dictionary<string, IEntityLifecycle> _modules = new(StringComparer.OrdinalIgnoreCase);
    readonly VirtualClock _clock;
    readonly DurableTimers _timers;
    readonly CallbackDispatcher _dispatcher;
    readonly TenantRegistry _tenants;
    readonly ScenarioCatalog _scenarios;
    readonly EntityCatalog _entities;

    public Lifecycle(VirtualClock clock, DurableTimers timers, CallbackDispatcher dispatcher, TenantRegistry tenants,
        ScenarioCatalog scenarios, EntityCatalog entities)
    {
        _clock = clock;
        _timers = timers;
        _dispatcher = dispatcher;
        _tenants = tenants;
        _scenarios = scenarios;
        _entities = entities;
        timers.Handle(TimerHandler, FireAsync);
    }

    public void Register(string supplier, IEntityLifecycle module) => _modules[supplier] = module;

    /// <summary>
    /// Moves <paramref name="entity"/> to <paramref name="to"/> and saves it. <paramref name="emit"/> is the callback to
    /// send (from the machine's transition); the next timed transition out of the new state is scheduled.
    /// </summary>
    public void Apply(Tenant tenant, string supplier, string kind, Entity entity, string to, string? emit, string cause, UnitOfWork uow)
    {
        var module = _modules[supplier];
        var scenario = _scenarios.For(supplier, tenant.ScenarioSet(supplier));
        var nowV = _clock.NowMs(tenant.Id);
        var from = entity.Status;
        entity.Status = to;
        entity.UpdatedMs = nowV;
        var ctx = new TransitionContext
        {
            Tenant = tenant, Scenario = scenario, Kind = kind, Entity = entity, From = from, To = to, Emit = emit,
            Cause = cause, Uow = uow, VirtualNowMs = nowV,
        };
        module.OnEnter(ctx);
        (_entities.Find(supplier, kind) ?? throw new InvalidOperationException($"no entity set {supplier}/{kind}")).Save(uow, tenant.Id, entity);
        var key = EntityCatalog.Key(supplier, kind, entity.Id);
        uow.Timeline(tenant.Id, key, _clock.RealNow.ToUnixTimeMilliseconds(), nowV, "transition",
            new JsonObject { ["from"] = from, ["to"] = to, ["cause"] = cause, ["emit"] = emit });
        // Only a state with a timed transition out of it can have left a timer; most transitions (into a final state,
        // by an operation) skip the statement.
        if (scenario.Machines.TryGetValue(kind, out var machine) && machine.Transitions.Any(t => t.After is not null && (t.From == from || t.From == "*")))
            _timers.Cancel(uow, DurableTimers.Id(tenant.Id, key));
        if (emit is not null && module.BuildCallback(ctx, emit) is { } message) _dispatcher.Enqueue(uow, message);
        ScheduleTimed(tenant, supplier, kind, entity, scenario, uow, nowV);
    }

    /// <summary>
    /// Starts an entity's life in its current (initial) state: saves it, puts <paramref name="created"/> on its timeline
    /// and schedules the machine's timed transition out of that state.
    /// </summary>
    public void Start(Tenant tenant, string supplier, string kind, Entity entity, UnitOfWork uow, JsonObject created)
    {
        var nowV = _clock.NowMs(tenant.Id);
        (_entities.Find(supplier, kind) ?? throw new InvalidOperationException($"no entity set {supplier}/{kind}")).Save(uow, tenant.Id, entity);
        uow.Timeline(tenant.Id, EntityCatalog.Key(supplier, kind, entity.Id), _clock.RealNow.ToUnixTimeMilliseconds(), nowV, "created", created);
        ScheduleTimed(tenant, supplier, kind, entity, _scenarios.For(supplier, tenant.ScenarioSet(supplier)), uow, nowV);
    }

    /// <summary>Schedules the machine's timed transition out of the entity's current state, if any.</summary>
    public void ScheduleTimed(Tenant tenant, string supplier, string kind, Entity entity, Scenario scenario, UnitOfWork uow, long nowV)
    {
        if (!scenario.Machines.TryGetValue(kind, out var machine)) return;
        var timed = machine.Timed(entity.Status, entity.Tags);
        if (timed is null) return;
        var due = nowV + (long)timed.After!.Value.TotalMilliseconds;
        var key = EntityCatalog.Key(supplier, kind, entity.Id);
        _timers.Schedule(uow, new TimerRow(DurableTimers.Id(tenant.Id, key), tenant.Id, TimerHandler, supplier, kind, entity.Id,
            entity.Status, timed.To, timed.Emit, due));
    }

    /// <summary>
    /// A timed transition came due. The entity's lock serialises it with operations on the same entity; a stale timer
    /// (the entity moved on by an operation or an admin action) does nothing.
    /// </summary>
    ValueTask FireAsync(TimerRow row, UnitOfWork uow)
    {
        if (_tenants.Find(row.Tenant) is not { } tenant || !_modules.TryGetValue(row.Supplier, out var module)) return ValueTask.CompletedTask;
        if (module.FindEntity(row.Tenant, row.Kind, row.EntityId) is not { } entity) return ValueTask.CompletedTask;
        lock (entity)
        {
            if (entity.Status == row.From) Apply(tenant, row.Supplier, row.Kind, entity, row.To, row.Emit, $"after {row.From} timer", uow);
        }
        return ValueTask.CompletedTask;
    }
}
