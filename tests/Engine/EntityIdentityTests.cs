using System.Text.Json;
using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Tests.Engine;

/// <summary>
/// Callers lock on the one object of an entity. The cache is bounded, so under a backlog larger than it an entity can
/// leave the cache while a caller holds it: the next caller must still get that same object, or the two update two
/// copies and one update is lost.
/// </summary>
public class EntityIdentityTests : IAsyncLifetime
{
    sealed class Counter : Entity
    {
        [JsonPropertyName("n")] public int N { get; set; }
    }

    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sbx-identity-");
    SqliteStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new SqliteStore(Path.Combine(_dir.FullName, "store.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    EntitySet<Counter> Set(int capacity) => new(_store, new EntityCatalog(_store), "test", "counter", capacity);

    async Task Create(EntitySet<Counter> set, string id)
    {
        var uow = new UnitOfWork(_store);
        set.Save(uow, "t", new Counter { Id = id, Status = "OPEN" });
        await uow.CommitAsync();
    }

    [Fact]
    public async Task An_entity_evicted_while_held_is_the_same_object_on_the_next_get()
    {
        var set = Set(capacity: 2);
        await Create(set, "held");
        var held = set.Get("t", "held")!;

        // A backlog of other entities pushes the held one out of the cache.
        for (var i = 0; i < 10; i++) await Create(set, $"other-{i}");
        for (var i = 0; i < 10; i++) Assert.NotNull(set.Get("t", $"other-{i}"));

        Assert.Same(held, set.Get("t", "held"));
        Assert.Same(held, set.Query("t", long.MinValue, long.MaxValue).Single(c => c.Id == "held"));
    }

    [Fact]
    public async Task Concurrent_updates_under_a_backlog_larger_than_the_cache_lose_nothing()
    {
        var set = Set(capacity: 4);
        await Create(set, "hot");
        for (var i = 0; i < 50; i++) await Create(set, $"cold-{i}");

        const int workers = 4, increments = 150;
        using var stop = new CancellationTokenSource();
        // Reads of the cold entities keep evicting the hot one while the workers update it.
        var churn = Task.Run(() =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested) set.Get("t", $"cold-{i++ % 50}");
        });
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var n = 0; n < increments; n++)
            {
                var uow = new UnitOfWork(_store);
                var c = set.Get("t", "hot")!;
                lock (c)
                {
                    c.N++;
                    set.Save(uow, "t", c);
                }
                await uow.CommitAsync();
            }
        })));
        stop.Cancel();
        await churn;

        var stored = JsonSerializer.Deserialize<Counter>(_store.FindEntity("t", "test", "counter", "hot")!.Json, StoreJson.Options)!;
        Assert.Equal(workers * increments, stored.N);
        Assert.Equal(workers * increments, set.Get("t", "hot")!.N);
    }

    [Fact]
    public async Task A_miss_is_remembered_until_the_entity_is_saved_evicted_by_a_replica_or_its_tenant_forgotten()
    {
        var set = Set(100);
        Assert.Null(set.Get("t", "late"));
        // Written behind the set's back (another replica): the remembered miss hides it until a replica's signal.
        var other = Set(100);
        await Create(other, "late");
        Assert.Null(set.Get("t", "late"));
        set.Evict("t", "late", 0);
        Assert.Equal("late", set.Get("t", "late")!.Id);

        Assert.Null(set.Get("t", "mine"));
        await Create(set, "mine");
        Assert.Equal("mine", set.Get("t", "mine")!.Id);

        Assert.Null(set.Get("t", "reset"));
        await Create(other, "reset");
        set.ForgetTenant("t");
        Assert.Equal("reset", set.Get("t", "reset")!.Id);
    }
}
