using System.Diagnostics;
using System.Threading.Channels;
using LiteDB;

namespace Sandbox.StoreBench;

/// <summary>
/// LiteDB 5 given the sim's write shape: one writer thread that commits whatever is queued in one transaction (group
/// commit, at most 2,000 orders, each retried alone if the batch fails), callers released only after the commit.
/// Entities are BSON documents, as a LiteDB store would keep them; each table of the SQLite schema is a collection
/// with the same secondary indexes (LiteDB indexes one expression each, so composite indexes become their last key).
/// </summary>
public sealed class LiteDbKind : IStoreKind
{
    const string FileName = "sandbox.litedb";

    public string Name => "litedb";

    public IOrderStore Open(string folder) => new Store(Connect(folder));

    public Recovery Recover(string folder, IReadOnlyCollection<long> acknowledged)
    {
        var started = Stopwatch.GetTimestamp();
        LiteDatabase db;
        try
        {
            db = Connect(folder);
        }
        catch (Exception e)
        {
            return new Recovery($"open failed: {e.Message}", acknowledged.Count, 0, Stopwatch.GetElapsedTime(started));
        }

        var openTime = Stopwatch.GetElapsedTime(started);
        using (db)
        {
            try
            {
                // LiteDB 5 has no integrity check of its own: reading every document of every collection through the
                // _id index, agreeing with Count(), a checkpoint and a new committed write are what "opens cleanly" means here.
                var entities = Ids(db, "entities", v => v.AsString);
                var outbox = Ids(db, "outbox", v => v.AsInt64);
                var timers = Ids(db, "timers", v => v.AsString);
                var timeline = db.GetCollection("timeline").FindAll().Select(d => d["entity"].AsString).ToHashSet(StringComparer.Ordinal);
                var missing = acknowledged.Count(n =>
                    !entities.Contains(EntityKey(OrderWrite.EntityIdOf(n))) || !outbox.Contains(n) || !timers.Contains(OrderWrite.TimerIdOf(n))
                    || !timeline.Contains(OrderWrite.EntityKeyOf(n)));
                db.Checkpoint();
                var writer = new Store(db, ownsDatabase: false);
                writer.CommitAsync(OrderWrite.Create((outbox.Count == 0 ? 0 : outbox.Max()) + 1_000_000, new Random(1))).GetAwaiter().GetResult();
                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return new Recovery(null, missing, entities.Count, openTime);
            }
            catch (Exception e)
            {
                return new Recovery($"{e.GetType().Name}: {e.Message}", acknowledged.Count, 0, openTime);
            }
        }
    }

    static LiteDatabase Connect(string folder) =>
        new(new ConnectionString { Filename = Path.Combine(folder, FileName), Connection = ConnectionType.Direct });

    static HashSet<T> Ids<T>(LiteDatabase db, string collection, Func<BsonValue, T> id)
    {
        var c = db.GetCollection(collection);
        var ids = c.FindAll().Select(d => id(d["_id"])).ToHashSet();
        if (ids.Count != c.Count()) throw new InvalidDataException($"{collection}: {ids.Count} documents read but Count() says {c.Count()}");
        return ids;
    }

    static string EntityKey(string id) => $"{OrderWrite.Tenant}|{OrderWrite.Supplier}|{OrderWrite.Kind}|{id}";

    sealed class Store : IOrderStore
    {
        readonly LiteDatabase _db;
        readonly bool _ownsDatabase;
        readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        readonly Thread _writer;
        readonly ILiteCollection<BsonDocument> _entities, _outbox, _timers, _timeline;

        public Store(LiteDatabase db, bool ownsDatabase = true)
        {
            _db = db;
            _ownsDatabase = ownsDatabase;
            _entities = db.GetCollection("entities");
            _outbox = db.GetCollection("outbox");
            _timers = db.GetCollection("timers");
            _timeline = db.GetCollection("timeline", BsonAutoId.Int64);
            _entities.EnsureIndex("created_ms");
            _outbox.EnsureIndex("status");
            _outbox.EnsureIndex("tenant");
            _timeline.EnsureIndex("entity");

            // LiteDB binds a transaction to the thread that began it, so the writer is a thread, not an async loop.
            _writer = new Thread(WriterLoop) { IsBackground = true, Name = "litedb writer" };
            _writer.Start();
        }

        public Task CommitAsync(OrderWrite o)
        {
            var documents = new Pending(o);
            return _queue.Writer.TryWrite(documents) ? documents.Done.Task : Slow(documents);
        }

        async Task Slow(Pending p)
        {
            await _queue.Writer.WriteAsync(p);
            await p.Done.Task;
        }

        void WriterLoop()
        {
            var batch = new List<Pending>(512);
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < 2000 && _queue.Reader.TryRead(out var p)) batch.Add(p);
                if (!TryCommit(batch))
                    foreach (var p in batch)
                        if (!TryCommit([p])) p.Failure ??= new InvalidOperationException("store write failed");
                foreach (var p in batch)
                    if (p.Failure is { } f) p.Done.TrySetException(f);
                    else p.Done.TrySetResult();
            }
        }

        bool TryCommit(IReadOnlyList<Pending> items)
        {
            _db.BeginTrans();
            try
            {
                foreach (var p in items)
                {
                    _entities.Upsert(p.Entity);
                    _outbox.Insert(p.Outbox);
                    _timers.Upsert(p.Timer);
                    _timeline.Insert(p.Timeline);
                }

                _db.Commit();
                return true;
            }
            catch (Exception e)
            {
                _db.Rollback();
                if (items.Count == 1) items[0].Failure = e;
                return false;
            }
        }

        public ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            _writer.Join();
            if (_ownsDatabase) _db.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The order's four documents, built on the caller's thread as the sim's entity set serialises on Save.</summary>
    sealed class Pending(OrderWrite o)
    {
        public BsonDocument Entity { get; } = new()
        {
            ["_id"] = EntityKey(o.EntityId),
            ["tenant"] = OrderWrite.Tenant,
            ["supplier"] = OrderWrite.Supplier,
            ["kind"] = OrderWrite.Kind,
            ["status"] = "PENDING",
            ["created_ms"] = o.CreatedMs,
            ["updated_ms"] = o.CreatedMs,
            ["doc"] = LiteDB.JsonSerializer.Deserialize(o.EntityJson),
        };

        public BsonDocument Outbox { get; } = new()
        {
            ["_id"] = o.Sequence,
            ["tenant"] = OrderWrite.Tenant,
            ["supplier"] = OrderWrite.Supplier,
            ["entity"] = o.EntityKey,
            ["name"] = "SyncOrderStatus",
            ["url"] = "http://127.0.0.1:9090/cb",
            ["method"] = "POST",
            ["content_type"] = "application/json",
            ["body"] = o.OutboxBody,
            ["status"] = "pending",
            ["attempts"] = 0,
            ["next_due_virtual_ms"] = o.CreatedMs + 120_000,
            ["created_ms"] = o.CreatedMs,
        };

        public BsonDocument Timer { get; } = new()
        {
            ["_id"] = o.TimerId,
            ["tenant"] = OrderWrite.Tenant,
            ["supplier"] = OrderWrite.Supplier,
            ["kind"] = OrderWrite.Kind,
            ["entity_id"] = o.EntityId,
            ["from_state"] = "PENDING",
            ["to_state"] = "TICKETED",
            ["emit"] = "SyncOrderStatus",
            ["due_virtual_ms"] = o.CreatedMs + 120_000,
        };

        public BsonDocument Timeline { get; } = new()
        {
            ["tenant"] = OrderWrite.Tenant,
            ["entity"] = o.EntityKey,
            ["at_ms"] = o.CreatedMs,
            ["virtual_ms"] = o.CreatedMs,
            ["kind"] = "transition",
            ["detail"] = o.TimelineDetail,
        };

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Failure { get; set; }
    }
}
