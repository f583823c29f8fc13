namespace Sandbox.Engine.Cluster;

/// <summary>The embedded store's replica set: this process alone. Every hook is a no-op, so the SQLite path pays nothing.</summary>
public sealed class SingleReplica : IReplicas
{
    public bool Shared => false;
    public string Id => "local";
    public bool IsHome(string tenant) => true;
    public Task StartAsync() => Task.CompletedTask;
    public Task TakeHomeAsync(string tenant) => Task.CompletedTask;

    public void Publish(ReplicaSignal signal)
    {
    }

    public event Action<ReplicaSignal>? Received { add { } remove { } }
    public event Action<IReadOnlyList<string>>? HomesGained { add { } remove { } }
    public event Func<string, Task>? HomeLost { add { } remove { } }
}
