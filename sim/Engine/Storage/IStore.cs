namespace Sandbox.Engine.Storage;

/// <summary>
/// The engine's store: everything the sandbox must not lose (tenants, clocks, entities, timeline, timers, outbox and
/// delivery log, key-values, messages). Writes are queued and committed in groups; a caller's task completes once its
/// transaction committed. Reads are typed look-ups: no SQL leaves the storage folder, so another store
/// (SQLite embedded, PostgreSQL for several replicas) is one implementation of this interface.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>Queues work for the writer; completes after the transaction holding it committed.</summary>
    Task Write(Action<IStoreWriter> work);

    /// <summary>Throws when the store cannot be reached (readiness probe).</summary>
    void Ping();

    IReadOnlyList<string> LoadTenants();

    /// <summary>One tenant's JSON, or null (another replica changed or deleted it).</summary>
    string? FindTenant(string id);
    IReadOnlyList<StoredClock> LoadClocks();

    /// <summary>An entity's JSON document and version, or null.</summary>
    StoredDocument? FindEntity(string tenant, string supplier, string kind, string id);

    /// <summary>Entities created in a virtual-time window, newest first.</summary>
    IReadOnlyList<(string Id, string Json)> QueryEntities(string tenant, string supplier, string kind, long fromMs, long toMs, int limit);

    IReadOnlyList<TimelineRow> Timeline(string tenant, string entity);

    /// <summary>Persisted timers in due order; with <paramref name="tenant"/>, that tenant's only; with bounds, those due
    /// after <paramref name="dueAfterMs"/> and up to <paramref name="dueThroughMs"/>.</summary>
    IReadOnlyList<TimerRow> LoadTimers(string? tenant = null, long? dueAfterMs = null, long? dueThroughMs = null);

    /// <summary>Tenants with persisted timers.</summary>
    IReadOnlyList<string> TimerTenants();

    /// <summary>A new outbox id, unique among every replica sharing the store and growing in the order ids are taken.</summary>
    long NextOutboxId();

    /// <summary>Callbacks still owed, by id; with <paramref name="tenant"/>, that tenant's only.</summary>
    IReadOnlyList<OutboxRow> PendingOutbox(string? tenant = null);
    IReadOnlyList<OutboxRow> QueryOutbox(OutboxFilter filter);
    IReadOnlyList<DeliveryRow> Deliveries(long outboxId);

    string? GetKv(string tenant, string key);

    /// <summary>A key-value with its version (0 where the store keeps none), for a caller that writes it back checked.</summary>
    StoredDocument? FindKv(string tenant, string key);
    IReadOnlyList<(string Key, string Json)> ListKv(string tenant, string keyPrefix);

    IReadOnlyList<MessageRow> QueryMessages(string tenant, string? supplier, string? recipient, string? purpose, int limit);

    /// <summary>Every TMC message not yet confirmed, oldest first (the queues are rebuilt from them at start).</summary>
    IReadOnlyList<TmcMessageRow> LoadTmcMessages();

    /// <summary>What the built-in inbox received for a tenant, newest first.</summary>
    IReadOnlyList<InboxRow> QueryInbox(string tenant, string? supplier, int limit);

    /// <summary>A tenant's events (clock changes) from real time <paramref name="sinceMs"/> on, newest first.</summary>
    IReadOnlyList<TenantEventRow> TenantEvents(string tenant, string? kind, long sinceMs, int limit);

    /// <summary>
    /// A TMC message id from the shared store when replicas share it; null when this process is the only one and
    /// allocates its own ids.
    /// </summary>
    long? NextTmcMessageId();
}

/// <summary>The statements of one transaction; only the store's writer calls them, inside its group commit.</summary>
public interface IStoreWriter
{
    void UpsertTenant(string id, string json);
    void DeleteTenant(string id);
    /// <summary>Wipes everything one tenant did, keeping the tenant itself.</summary>
    void DeleteTenantState(string tenant);
    void SetClock(string tenant, long offsetMs, long? frozenAtMs);
    /// <summary>
    /// Writes an entity. With <paramref name="version"/>, a store shared by replicas writes only over the version the
    /// caller read (else the unit of work fails with <see cref="StoreConflictException"/>, so no update is lost) and sets
    /// the new version once the transaction committed; a store of one process keeps no versions.
    /// </summary>
    void UpsertEntity(string tenant, string supplier, string kind, string id, string status, long createdMs, long updatedMs, string json,
        IVersioned? version = null);
    void AddTimeline(string tenant, string entity, long atMs, long virtualMs, string kind, string detail);
    void UpsertTimer(TimerRow timer);
    /// <summary>Deletes the timer; with <paramref name="dueVirtualMs"/>, only that instance of it (a re-armed timer stays).</summary>
    void DeleteTimer(string id, long? dueVirtualMs = null);
    /// <summary>
    /// Deletes the instance of a timer that fires; the unit of work fails with <see cref="StoreConflictException"/> when
    /// it is gone (fired elsewhere, cancelled or re-armed meanwhile), so a timer's work commits once.
    /// </summary>
    void ClaimTimer(string id, long dueVirtualMs);
    void InsertOutbox(OutboxRow row);
    void UpdateOutbox(long id, string status, int attempts, long nextDueVirtualMs, string? url, string? lastError);
    /// <summary>One delivery attempt; the request body is the outbox row's, so it is not stored again per attempt.</summary>
    void InsertDelivery(long outboxId, string tenant, int attempt, long atMs, long virtualMs, string? url,
        int? httpStatus, string? responseBody, double latencyMs, string? error, string outcome);
    /// <summary>
    /// Writes a key-value; with <paramref name="expiresMs"/> (real Unix ms) it is short-lived and purged after that. With
    /// <paramref name="version"/>, a store shared by replicas writes only over the version read (as for entities).
    /// </summary>
    void PutKv(string tenant, string key, string json, long? expiresMs = null, IVersioned? version = null);
    /// <summary>Deletes the short-lived key-values whose time is up.</summary>
    void PurgeExpiredKv(long nowMs);
    /// <summary>
    /// Adds <paramref name="delta"/> to the number <paramref name="field"/> of a key-value's JSON object, in the store
    /// (so concurrent additions from several replicas all count); the document starts as <paramref name="initialJson"/>.
    /// </summary>
    void AddToKvNumber(string tenant, string key, string field, decimal delta, string initialJson);
    void DeleteKv(string tenant, string key);
    void InsertMessage(string tenant, string supplier, string channel, string recipient, string purpose, string body, string? entity,
        long atMs, long virtualMs);
    void InsertTmcMessage(TmcMessageRow m);
    /// <summary>A TMC message's delivery state changed (handed out, given back, parked); a confirmed message is already gone.</summary>
    void UpdateTmcDelivery(long id, int deliveries, long visibleMs, string? holder, bool parked);
    void DeleteTmcMessage(long id);
    /// <summary>Stores a received request (<see cref="InboxRow.Id"/> is assigned) and keeps the tenant's newest <paramref name="keep"/>.</summary>
    void InsertInbox(InboxRow row, int keep);
    void DeleteInbox(string tenant, string? supplier);
    void AddTenantEvent(string tenant, long atMs, long virtualMs, string kind, string detail);
}

/// <summary>A stored JSON document and its version (0 where the store keeps none).</summary>
public sealed record StoredDocument(string Json, long Version);

/// <summary>What carries the version a shared store checks on write (an entity).</summary>
public interface IVersioned
{
    long Version { get; set; }
}

/// <summary>A unit of work lost a race with another replica: what it read had changed before it committed.</summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record StoredClock(string Tenant, long OffsetMs, long? FrozenAtMs);

public sealed record TimelineRow(long AtMs, long VirtualMs, string Kind, string Detail);

/// <summary>
/// A durable timer on a tenant's virtual clock. <see cref="Handler"/> names who fires it (the engine's state machines
/// use <c>transition</c>; modules register their own); the other fields are the handler's.
/// </summary>
public sealed record TimerRow(
    string Id, string Tenant, string Handler, string Supplier, string Kind, string EntityId, string From, string To, string? Emit,
    long DueVirtualMs);

/// <summary>
/// A callback owed to an integrator. <see cref="TenantSuffix"/> is set when the target is the tenant's configured
/// callback URL (then each attempt goes to the tenant's current URL joined with the suffix); otherwise
/// <see cref="Url"/> is the target the request named.
/// </summary>
public sealed record OutboxRow(
    long Id, string Tenant, string Supplier, string Entity, string Name, string? Url, string? TenantSuffix, string Method,
    string ContentType, byte[] Body, string Status, int Attempts, long NextDueVirtualMs, long CreatedMs, long EmittedVirtualMs,
    string? LastError);

public sealed record OutboxFilter(string? Tenant = null, string? Status = null, string? Entity = null, long? Id = null, int Limit = 100);

public sealed record DeliveryRow(
    int Attempt, long AtMs, long VirtualMs, string? Url, int? HttpStatus, string? Response, double LatencyMs, string? Error, string Outcome);

/// <summary>A request the built-in inbox received, with the mode it answered in, its HTTP status and body.</summary>
public sealed record InboxRow(
    long Id, string Tenant, string Supplier, long AtMs, long VirtualMs, string Method, string Path, string Query, string Headers, byte[] Body,
    string Mode, int Status, string Answer);

/// <summary>Something that happened to a tenant as a whole (a clock change), at a real and a virtual instant.</summary>
public sealed record TenantEventRow(long Id, long AtMs, long VirtualMs, string Kind, string Detail);

public sealed record MessageRow(
    long Id, string Supplier, string Channel, string Recipient, string Purpose, string Body, string? Entity, long AtMs, long VirtualMs);
