using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Cluster;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Messages;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Storage.Postgres;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine;

public static class EngineSetup
{
    /// <summary>Registers the supplier-neutral engine: store, tenants, clock, scenarios, rules, callbacks, journal, pipeline.</summary>
    public static IServiceCollection AddSandboxEngine(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SandboxOptions>(config.GetSection("Sandbox"));
        services.AddSingleton(TimeProvider.System);
        services.AddStore(config.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions());
        services.AddSingleton<KvChanges>();
        services.AddSingleton<AdHocFaults>();
        services.AddSingleton<ReplicaSync>();
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<VirtualClock>();
        services.AddSingleton<VirtualScheduler>();
        services.AddSingleton<DurableTimers>();
        services.AddSingleton(sp => new CallbackHosts(sp.GetRequiredService<IOptions<SandboxOptions>>().Value.Callbacks.AllowedHosts));
        services.AddSingleton(sp => new ScenarioCatalog(sp.GetRequiredService<IOptions<SandboxOptions>>().Value.ResolveScenarios()));
        services.AddSingleton<RuleEngine>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SandboxOptions>>().Value;
            IJournalStore store = o.UsesPostgres ? new PostgresJournalStore(sp.GetRequiredService<PostgresStore>()) : new SqliteJournalStore(o.ResolveJournalPath());
            return new RequestJournal(store, o.Journal);
        });
        services.AddSingleton<EntityCatalog>();
        services.AddSingleton<CallbackDispatcher>();
        services.AddSingleton<Lifecycle>();
        services.AddSingleton<MessageLog>();
        // The host creates it before Kestrel's listeners, which answer refused requests through it.
        services.TryAddSingleton<FrontDoor>();
        services.AddSingleton<SupplierPipeline>();
        services.AddSingleton<TenantAdministration>();
        services.AddSingleton<Inbox.CallbackInbox>();
        services.AddHostedService<Housekeeping>();
        return services;
    }

    /// <summary>The store (embedded SQLite, or PostgreSQL shared by replicas) and the replica set that goes with it.</summary>
    static void AddStore(this IServiceCollection services, SandboxOptions options)
    {
        if (options.UsesPostgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionStrings.Postgres))
                throw new InvalidOperationException("Sandbox:Store is postgres but Sandbox:ConnectionStrings:Postgres is empty");
            var replica = options.ReplicaId.Length > 0
                ? options.ReplicaId
                : $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
            services.AddSingleton(sp => new PostgresStore(options.ConnectionStrings.Postgres, replica, sp.GetRequiredService<ILogger<PostgresStore>>()));
            services.AddSingleton<IStore>(sp => sp.GetRequiredService<PostgresStore>());
            services.AddSingleton<PostgresReplicas>();
            services.AddSingleton<IReplicas>(sp => sp.GetRequiredService<PostgresReplicas>());
            return;
        }
        if (!options.Store.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Sandbox:Store must be sqlite or postgres, not '{options.Store}'");
        services.AddSingleton<IStore>(sp => new SqliteStore(sp.GetRequiredService<IOptions<SandboxOptions>>().Value.DataPath));
        services.AddSingleton<IReplicas, SingleReplica>();
    }

    /// <summary>
    /// Registers a supplier module: its <see cref="SupplierContext"/> (keyed by the supplier's name), the module's own
    /// services and the module, which the engine reaches only through <see cref="ISupplierModule"/>.
    /// </summary>
    public static IServiceCollection AddSupplier<TModule, TServices>(this IServiceCollection services, string supplier)
        where TModule : class, ISupplierModule where TServices : class
    {
        services.AddKeyedSingleton(supplier, (sp, _) => ActivatorUtilities.CreateInstance<SupplierContext>(sp, supplier));
        services.AddSingleton<TServices>();
        services.AddSingleton<TModule>();
        services.AddSingleton<ISupplierModule>(sp => sp.GetRequiredService<TModule>());
        return services;
    }

    /// <summary>
    /// Brings state back: schema, tenants (store, then tenants.yaml for new ones), clocks, scenarios, pending
    /// timers and callbacks — what makes a restart lose nothing that was acknowledged.
    /// </summary>
    public static async Task StartSandboxAsync(this WebApplication app)
    {
        var sp = app.Services;
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sandbox");
        var modules = sp.GetServices<ISupplierModule>().ToList();
        var tenants = sp.GetRequiredService<TenantRegistry>();
        var scenarios = sp.GetRequiredService<ScenarioCatalog>();
        var lifecycle = sp.GetRequiredService<Lifecycle>();
        var dispatcher = sp.GetRequiredService<CallbackDispatcher>();
        var journal = sp.GetRequiredService<RequestJournal>();
        foreach (var m in modules)
        {
            tenants.RegisterIdentity(m.CredentialSupplier, m.IdentityField);
            scenarios.Register(m);
            lifecycle.Register(m.Supplier, m);
            dispatcher.RegisterContract(m.Supplier, m.CallbackContract);
            journal.RegisterSuccessCodes(m.Supplier, m.SuccessCodes);
        }
        tenants.LoadFromStore();
        await tenants.SeedAsync(TenantFile.Load(Path.Combine(scenarios.Root, "tenants.yaml")));
        sp.GetRequiredService<TenantAdministration>().LoadClocks();

        var report = scenarios.Reload();
        foreach (var e in report.Errors) log.LogError("scenario rejected: {File}:{Line}:{Column}: {Reason}", e.File, e.Line, e.Column, e.Reason);
        foreach (var w in report.Warnings) log.LogWarning("scenario warning: {File}:{Line}:{Column}: {Reason}", w.File, w.Line, w.Column, w.Reason);
        log.LogInformation("scenarios loaded from {Root}: {Sets}", scenarios.Root, string.Join(", ", report.Loaded));
        foreach (var m in modules)
            if (scenarios.Find(m.Supplier, "default") is null)
                throw new InvalidOperationException($"scenarios/{m.Supplier}/default.yaml is missing or invalid; the sandbox cannot start without it");

        // With replicas: listen to the others, take the homes nobody runs, then recover the work of the tenants at home here.
        sp.GetRequiredService<ReplicaSync>().Start();
        await sp.GetRequiredService<IReplicas>().StartAsync();
        sp.GetRequiredService<DurableTimers>().Recover();
        dispatcher.Recover();
        foreach (var m in modules)
        {
            m.MapEndpoints(app);
            m.MapAdminEndpoints(app.MapAdminGroup().WithTags(m.Supplier));
        }
    }

    /// <summary>Periodic clean-up of modules' short-lived state.</summary>
    sealed class Housekeeping(IEnumerable<ISupplierModule> modules) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                    foreach (var m in modules) m.Housekeeping();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
