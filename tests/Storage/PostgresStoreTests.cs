using Microsoft.Extensions.Logging.Abstractions;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Storage.Postgres;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Storage;

/// <summary>
/// The store contract on PostgreSQL (a database of its own per test), and what only a store shared by replicas does:
/// migrations recorded once, versions checked on write so that no replica's update is lost.
/// </summary>
public sealed class PostgresStoreTests : StoreContract
{
    protected override IStore NewStore() => Open(PostgresServer.CreateDatabase(), "r1");

    protected override IJournalStore NewJournal(IStore store) => new PostgresJournalStore((PostgresStore)store);

    static PostgresStore Open(string connectionString, string replica) =>
        new(connectionString, replica, NullLogger<PostgresStore>.Instance);

    sealed class Order : Entity;

    [SkippableFact]
    public async Task The_schema_is_migrated_once_and_recorded()
    {
        var cs = PostgresServer.CreateDatabase();
        await using (Open(cs, "r1"))
        await using (Open(cs, "r2"))
        {
        }
        Assert.Equal((long)PostgresSchema.Steps.Length, Convert.ToInt64(PostgresServer.Scalar(cs, "SELECT count(*) FROM schema_migrations")));
        Assert.Equal(PostgresSchema.Steps.Length, Convert.ToInt32(PostgresServer.Scalar(cs, "SELECT max(version) FROM schema_migrations")));
    }

    [SkippableFact]
    public async Task A_database_newer_than_the_build_is_refused()
    {
        var cs = PostgresServer.CreateDatabase();
        await using (Open(cs, "r1"))
        {
        }
        PostgresServer.Scalar(cs, "INSERT INTO schema_migrations (version, description) VALUES (999, 'from the future')");
        var e = Assert.Throws<InvalidOperationException>(() => Open(cs, "r2"));
        Assert.Contains("999", e.Message);
    }

    [SkippableFact]
    public async Task An_entity_written_by_another_replica_since_it_was_read_fails_the_write_instead_of_losing_it()
    {
        var cs = PostgresServer.CreateDatabase();
        await using var a = Open(cs, "a");
        await using var b = Open(cs, "b");
        var mine = new Order { Id = "o1", Status = "PENDING" };
        await a.Write(w => w.UpsertEntity("t", "s", "order", "o1", "PENDING", 1, 1, "{\"v\":1}", mine));
        Assert.Equal(1, mine.Version);

        var theirs = new Order { Id = "o1", Version = b.FindEntity("t", "s", "order", "o1")!.Version };
        await b.Write(w => w.UpsertEntity("t", "s", "order", "o1", "TICKETED", 1, 2, "{\"v\":2}", theirs));
        Assert.Equal(2, theirs.Version);

        await Assert.ThrowsAsync<StoreConflictException>(() => a.Write(w => w.UpsertEntity("t", "s", "order", "o1", "CANCELLED", 1, 3, "{\"v\":3}", mine)));
        Assert.Equal(new StoredDocument("{\"v\":2}", 2), a.FindEntity("t", "s", "order", "o1"));
        // The same entity created twice (two replicas, one id) fails the second creation too.
        await Assert.ThrowsAsync<StoreConflictException>(() => b.Write(w => w.UpsertEntity("t", "s", "order", "o1", "NEW", 1, 1, "{}", new Order())));
    }

    sealed class Document : IVersioned
    {
        public long Version { get; set; }
    }

    [SkippableFact]
    public async Task A_document_written_back_whole_over_another_replicas_change_fails_instead_of_losing_it()
    {
        var cs = PostgresServer.CreateDatabase();
        await using var a = Open(cs, "a");
        await using var b = Open(cs, "b");
        var first = new Document();
        await a.Write(w => w.PutKv("t", "stock", "{\"sold\":1}", version: first));
        var read = new Document { Version = b.FindKv("t", "stock")!.Version };
        Assert.Equal(first.Version, read.Version);

        await b.Write(w => w.PutKv("t", "stock", "{\"sold\":2}", version: read));
        await Assert.ThrowsAsync<StoreConflictException>(() => a.Write(w => w.PutKv("t", "stock", "{\"sold\":5}", version: first)));
        Assert.Equal("{\"sold\":2}", a.GetKv("t", "stock"));
        // An addition by another replica is a change too.
        await a.Write(w => w.AddToKvNumber("t", "stock", "sold", 1, "{}"));
        await Assert.ThrowsAsync<StoreConflictException>(() => b.Write(w => w.PutKv("t", "stock", "{\"sold\":9}", version: read)));
    }

    [SkippableFact]
    public async Task Saves_of_one_entity_in_one_group_commit_build_on_each_other()
    {
        await using var store = Open(PostgresServer.CreateDatabase(), "a");
        var order = new Order { Id = "o1" };
        await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            store.Write(w => w.UpsertEntity("t", "s", "order", "o1", "S" + i, 1, i, "{\"i\":" + i + "}", order))));
        Assert.Equal(20, order.Version);
        Assert.Equal(20, store.FindEntity("t", "s", "order", "o1")!.Version);
    }

    [SkippableFact]
    public async Task Outbox_ids_from_two_replicas_never_collide()
    {
        var cs = PostgresServer.CreateDatabase();
        await using var a = Open(cs, "a");
        await using var b = Open(cs, "b");
        var ids = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).NextOutboxId())));
        Assert.Equal(100, ids.Distinct().Count());
        Assert.NotEqual(a.NextTmcMessageId(), b.NextTmcMessageId());
        // TMC ids start above the embedded store's (Unix ms × 1000): a database moved to PostgreSQL keeps growing them.
        Assert.True(a.NextTmcMessageId() > DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * 1000);
    }
}
