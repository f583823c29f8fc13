using Sandbox.Engine.Storage;

namespace Sandbox.Tests.Engine;

/// <summary>The writer never checkpoints itself (a checkpoint syncs the disk); the store's checkpointer folds the WAL back.</summary>
public class StoreCheckpointTests
{
    [Fact]
    public async Task Committed_pages_reach_the_database_file_without_the_writer_checkpointing()
    {
        var dir = Directory.CreateTempSubdirectory("sbx-ckpt-");
        var path = Path.Combine(dir.FullName, "store.db");
        try
        {
            await using (var store = new SqliteStore(path))
            {
                var before = new FileInfo(path).Length;
                var json = new string('x', 2000);
                // ~4 MB of entity rows: far more than fits in the file before the run, all of it first in the WAL.
                for (var batch = 0; batch < 20; batch++)
                    await Task.WhenAll(Enumerable.Range(0, 100).Select(i => store.Write(w =>
                        w.UpsertEntity("t", "s", "k", $"{batch}-{i}", "OPEN", 0, 0, json))));

                var deadline = DateTime.UtcNow + SqliteStore.CheckpointInterval * 10;
                while (new FileInfo(path).Length < before + 2_000_000 && DateTime.UtcNow < deadline)
                    await Task.Delay(50);

                Assert.True(new FileInfo(path).Length >= before + 2_000_000,
                    $"database file still {new FileInfo(path).Length} bytes (was {before}): the WAL was not checkpointed");

                // The writer keeps committing while the checkpointer works.
                await store.Write(w => w.UpsertEntity("t", "s", "k", "after", "OPEN", 0, 0, "{}"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }
}
