using Microsoft.AspNetCore.Http.HttpResults;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Admin;

/// <summary>The server itself: health (open), and under /admin/api its supplier modules, listeners and process statistics.</summary>
public static class ServerApi
{
    public sealed record HealthReport(string Status, string Storage, int? Tenants);

    public sealed record SupplierModule(
        string Name, string Title, string Listener, string Identity, IReadOnlyList<OperationDescriptor> Operations,
        IReadOnlyCollection<string> Callbacks, IReadOnlyCollection<string> EntityKinds);

    public sealed record Listener(string Name, string Url);

    /// <summary>
    /// Process statistics; <see cref="StoreRoundTrips"/>: round trips to PostgreSQL so far (null on the embedded store);
    /// <see cref="TimersPending"/>: timed work held in memory for a later virtual instant (timers, callback retries).
    /// </summary>
    public sealed record ProcessStats(
        long WorkingSetBytes, long GcHeapBytes, long GcHeapAfterLastGcBytes, long GcCommittedBytes, int[] GcCollections, int Threads,
        long? StoreRoundTrips, long CpuMs, long TimersPending);

    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealth).WithTags("health");
        var api = app.MapAdminGroup().WithTags("server");
        api.MapGet("/suppliers", GetSuppliers);
        api.MapGet("/listeners", GetListeners);
        api.MapGet("/stats", GetStats);
        return app;
    }

    static long _healthCheckedMs;
    static string? _healthError;

    /// <summary>Liveness and readiness. The store is probed at most once a second: load balancers and load tests poll this.</summary>
    public static Results<Ok<HealthReport>, JsonHttpResult<HealthReport>> GetHealth([AsParameters] AdminServices s)
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _healthCheckedMs) > 1000)
        {
            try
            {
                s.Store.Ping();
                _healthError = null;
            }
            catch (Exception e)
            {
                _healthError = e.Message;
            }
            Interlocked.Exchange(ref _healthCheckedMs, now);
        }
        return _healthError is { } error
            ? TypedResults.Json(new HealthReport("unavailable", error, null), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new HealthReport("ok", "ok", s.Tenants.All.Count));
    }

    public static Ok<IEnumerable<SupplierModule>> GetSuppliers([AsParameters] AdminServices s) =>
        TypedResults.Ok(s.Modules.Select(m => new SupplierModule(
            m.Supplier, m.Title, m.DedicatedListener ?? Listeners.Main, $"credentials.{m.CredentialSupplier}.{m.IdentityField}",
            m.Catalogue, m.Callbacks, m.MachineKinds)));

    public static Ok<IEnumerable<Listener>> GetListeners(Listeners.Table table) =>
        TypedResults.Ok(table.All.Select(l => new Listener(l.Name, l.Url)));

    public static Ok<ProcessStats> GetStats(Sandbox.Engine.Storage.IStore store, Sandbox.Engine.Clock.VirtualScheduler scheduler)
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        // The heap now, as the last collection left it, and what the GC holds from the OS.
        return TypedResults.Ok(new ProcessStats(
            p.WorkingSet64, GC.GetTotalMemory(false), gc.HeapSizeBytes, gc.TotalCommittedBytes,
            [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)], p.Threads.Count,
            (store as Sandbox.Engine.Storage.Postgres.PostgresStore)?.RoundTrips, (long)p.TotalProcessorTime.TotalMilliseconds,
            scheduler.PendingTotal));
    }
}
