using Sandbox.Engine.Storage;

namespace Sandbox.Tests.Storage;

/// <summary>The store contract on the embedded store: a SQLite file in a temporary folder per test.</summary>
public sealed class SqliteStoreTests : StoreContract, IDisposable
{
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sbx-store-");

    protected override IStore NewStore() => new SqliteStore(Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N") + ".db"));

    protected override IJournalStore NewJournal(IStore store) => new SqliteJournalStore(Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N") + "-journal.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _dir.Delete(recursive: true); }
        catch (IOException) { }
    }
}
