using Sandbox.Engine.Storage;

namespace Sandbox.Tests.Engine;

/// <summary>
/// The store's checkpointer folds the WAL back into the database off the writer's thread; the writer's own occasional
/// checkpoint completes it, so the WAL restarts instead of growing under continuous writes.
/// </summary>
public class StoreCheckpointTests
{
    [Fact]
    public async Task Committed_pages_reach_the_database_file_before_the_writer_would_checkpoint()
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

    [Fact]
    public async Task The_WAL_stays_bounded_under_continuous_writes()
    {
        var dir = Directory.CreateTempSubdirectory("sbx-wal-");
        var path = Path.Combine(dir.FullName, "store.db");
        try
        {
            await using (var store = new SqliteStore(path))
            {
                var json = new string('y', 4000);
                long largest = 0;
                // ~80 MB of rows in small concurrent batches, as requests commit them: the writer never idles.
                for (var round = 0; round < 200; round++)
                {
                    await Task.WhenAll(Enumerable.Range(0, 100).Select(i => store.Write(w =>
                        w.UpsertEntity("t", "s", "k", $"{round}-{i}", "OPEN", 0, 0, json))));
                    largest = Math.Max(largest, new FileInfo(path + "-wal").Length);
                }

                Assert.True(largest < 40L * 1024 * 1024, $"the WAL grew to {largest / 1048576} MB while 80 MB were written");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }
}
