namespace Sandbox.Engine.Storage;

/// <summary>
/// Everything one operation changes — entity documents, timeline events, timers, outbox rows — committed in
/// one transaction, so a state change and the callback it causes are never written apart.
/// </summary>
public sealed class UnitOfWork(IStore store)
{
    // Most requests change nothing: the lists exist only once something is added.
    List<Action<IStoreWriter>>? _writes;
    List<Action>? _afterCommit;

    public void Add(Action<IStoreWriter> write) => (_writes ??= []).Add(write);

    /// <summary>Runs after the commit succeeded (e.g. hand a new outbox row to the dispatcher).</summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    public bool IsEmpty => _writes is not { Count: > 0 };

    public async Task CommitAsync()
    {
        if (_writes is { Count: > 0 })
        {
            var writes = _writes.ToArray();
            _writes.Clear();
            await store.Write(w =>
            {
                foreach (var write in writes) write(w);
            });
        }
        if (_afterCommit is { Count: > 0 })
        {
            var actions = _afterCommit.ToArray();
            _afterCommit.Clear();
            foreach (var a in actions) a();
        }
    }
}
