using System.Text.Json.Serialization;

namespace Sandbox.Engine.Cluster;

/// <summary>
/// The other sim replicas sharing the store, as this one sees them. With the embedded store there are none
/// (<see cref="SingleReplica"/>: every tenant is at home here and nothing is ever received). On PostgreSQL each tenant has
/// one home replica that runs its timed work — timers, callback deliveries, clock replays — so that a timer fires once
/// and an entity's callbacks leave in order; the others only write rows and signal them.
/// </summary>
public interface IReplicas
{
    /// <summary>Whether other replicas may share the store (then caches are invalidated and work is routed to homes).</summary>
    bool Shared { get; }

    /// <summary>This replica's id (the origin of what it signals).</summary>
    string Id { get; }

    /// <summary>Whether this replica runs the tenant's timed work.</summary>
    bool IsHome(string tenant);

    /// <summary>Joins: registers this replica and takes the homes nobody runs. Before work is recovered from the store.</summary>
    Task StartAsync();

    /// <summary>
    /// Makes this replica the tenant's home (a clock advance replays here): the previous home drops the tenant's work and
    /// says so, and <see cref="HomesGained"/> then brings the tenant's timers and callbacks here.
    /// </summary>
    Task TakeHomeAsync(string tenant);

    /// <summary>Tells the other replicas (LISTEN/NOTIFY); nothing without them.</summary>
    void Publish(ReplicaSignal signal);

    /// <summary>What another replica signalled, or what this replica must drop because a write of its own lost a race.</summary>
    event Action<ReplicaSignal>? Received;

    /// <summary>Tenants whose home this replica became (a replica died, a tenant was new, an advance moved it here).</summary>
    event Action<IReadOnlyList<string>>? HomesGained;

    /// <summary>A tenant's home moved to another replica: drop its work here, then <see cref="Released"/>.</summary>
    event Func<string, Task>? HomeLost;
}

/// <summary>
/// One signal between replicas. <see cref="Kind"/> says what changed (<see cref="ReplicaSignals"/>); the other fields
/// are the kind's. Sent as JSON in a NOTIFY payload, so short names.
/// </summary>
public sealed record ReplicaSignal(
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("t")] string? Tenant = null,
    [property: JsonPropertyName("y")] string? Key = null,
    [property: JsonPropertyName("n")] long Number = 0,
    [property: JsonPropertyName("d")] string? Data = null)
{
    [JsonPropertyName("o")] public string Origin { get; init; } = "";
}

/// <summary>The kinds of <see cref="ReplicaSignal"/>.</summary>
public static class ReplicaSignals
{
    /// <summary>An entity was written: Key = supplier:kind:id, Number = its new version (0: unknown, drop it anyway).</summary>
    public const string Entity = "entity";
    /// <summary>A key-value was written or deleted: Key = the key.</summary>
    public const string Kv = "kv";
    /// <summary>A timer was armed: Data = the timer row as JSON.</summary>
    public const string Timer = "timer";
    /// <summary>A callback was written to the outbox: Number = its id.</summary>
    public const string Outbox = "outbox";
    /// <summary>A TMC message was published: Key = its group.</summary>
    public const string Tmc = "tmc";
    /// <summary>A clock was set: Number = offset ms, Data = frozen instant (ms) or null.</summary>
    public const string Clock = "clock";
    /// <summary>An advance holds the tenant's time at Number (ms) while it replays.</summary>
    public const string Pin = "pin";
    public const string Unpin = "unpin";
    /// <summary>A tenant was created, changed or deleted: read it again.</summary>
    public const string Tenant = "tenant";
    /// <summary>A tenant was reset or deleted: drop what memory holds of it.</summary>
    public const string Forget = "forget";
    /// <summary>Scenario files were reloaded.</summary>
    public const string Scenarios = "scenarios";
    /// <summary>A tenant's home moved: Key = the replica that took it.</summary>
    public const string Home = "home";
    /// <summary>The previous home dropped the tenant's work: Key = the replica waiting for it.</summary>
    public const string Released = "released";
    /// <summary>Signals may have been missed (the listening connection was lost): read everything shared again.</summary>
    public const string Resync = "resync";
}
