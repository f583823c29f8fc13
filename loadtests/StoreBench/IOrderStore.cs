namespace Sandbox.StoreBench;

/// <summary>One embedded store under test, used the way the sim uses its store: one commit per order, many callers.</summary>
public interface IOrderStore : IAsyncDisposable
{
    /// <summary>Completes once the order's four records are committed (the moment the sim would reply).</summary>
    Task CommitAsync(OrderWrite order);
}

/// <summary>The files a store keeps in its folder, how to open it, and how to check it after a crash.</summary>
public interface IStoreKind
{
    string Name { get; }

    IOrderStore Open(string folder);

    /// <summary>Reopens the folder as a restart would and reports what survived.</summary>
    Recovery Recover(string folder, IReadOnlyCollection<long> acknowledged);
}

/// <param name="Problem">Null when the file opened, read completely, passed the store's own check and took a new write.</param>
/// <param name="Missing">Acknowledged orders with any of their four records absent.</param>
public sealed record Recovery(string? Problem, int Missing, int Found, TimeSpan OpenTime);

public static class StoreKinds
{
    public static IStoreKind Parse(string name) => name switch
    {
        "sqlite" => new SqliteKind(),
        "litedb" => new LiteDbKind(),
        _ => throw new ArgumentException($"unknown store '{name}' (sqlite or litedb)"),
    };

    public static long FolderBytes(string folder) =>
        Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
}
