namespace Sandbox.Engine;

/// <summary>The <c>Sandbox</c> configuration section (appsettings.json, SANDBOX__* environment variables, --Sandbox:… arguments).</summary>
public sealed class SandboxOptions
{
    /// <summary>Main listener: TOP gateway, TechHouse, Yobaoxing, admin API and UI.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:8080";
    /// <summary>Listeners a supplier has alone, by name (bpt → http://127.0.0.1:6350, the real product's port).</summary>
    public Dictionary<string, string> Listeners { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>
    /// <c>sqlite</c> (the embedded default: one process, one file) or <c>postgres</c> (several replicas sharing one
    /// database, <see cref="ConnectionStrings"/>).
    /// </summary>
    public string Store { get; set; } = "sqlite";
    public StoreConnectionStrings ConnectionStrings { get; set; } = new();
    /// <summary>This process's name among replicas; empty = host name, process id and a random suffix.</summary>
    public string ReplicaId { get; set; } = "";

    public bool UsesPostgres => Store.Equals("postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>SQLite file of the embedded store.</summary>
    public string DataPath { get; set; } = "data/sandbox.db";
    /// <summary>SQLite file of the request journal; empty = journal.db next to <see cref="DataPath"/>.</summary>
    public string JournalPath { get; set; } = "";

    public string ResolveJournalPath() =>
        JournalPath.Length > 0 ? JournalPath : Path.Combine(Path.GetDirectoryName(DataPath) ?? "", "journal.db");

    /// <summary>Folder with scenarios/&lt;supplier&gt;/*.yaml and tenants.yaml; searched upwards from the working directory when relative.</summary>
    public string ScenariosPath { get; set; } = "scenarios";
    /// <summary>Bearer token for /admin/api; mandatory when any listener binds beyond loopback.</summary>
    public string? AdminToken { get; set; }
    public Journal.JournalOptions Journal { get; set; } = new();
    /// <summary>Timed work held in memory (<c>Sandbox:Timers:WindowSeconds</c>).</summary>
    public Clock.TimerOptions Timers { get; set; } = new();
    /// <summary>Where callbacks may go (<c>Sandbox:Callbacks:AllowedHosts</c>; default loopback and private ranges).</summary>
    public Callbacks.CallbackOptions Callbacks { get; set; } = new();

    public string ResolveScenarios()
    {
        if (Path.IsPathRooted(ScenariosPath)) return ScenariosPath;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ScenariosPath);
                if (Directory.Exists(candidate)) return candidate;
            }
        return Path.GetFullPath(ScenariosPath);
    }
}

/// <summary><c>Sandbox:ConnectionStrings</c>.</summary>
public sealed class StoreConnectionStrings
{
    /// <summary>Npgsql connection string of the shared database (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    public string Postgres { get; set; } = "";
}
