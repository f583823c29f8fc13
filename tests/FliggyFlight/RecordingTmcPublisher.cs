using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Top.Tmc;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>A TMC message as published: the id the publisher gave it, its topic, user and content.</summary>
public sealed record TmcRecord(long Id, string Tenant, string Topic, long UserId, string UserNick, string Content)
{
    public JsonObject Json => JsonNode.Parse(Content)!.AsObject();
}

/// <summary>
/// Stands in for the TMC module in tests: allocates ids like it would and records a message once the unit of work that
/// published it committed — a message of a rolled-back state change never shows.
/// </summary>
public sealed class RecordingTmcPublisher : ITmcPublisher
{
    long _next = 900_000;
    readonly ConcurrentQueue<TmcRecord> _committed = new();

    public long Publish(UnitOfWork uow, TmcPublication publication)
    {
        var id = Interlocked.Increment(ref _next);
        var content = publication.Content(id);
        uow.AfterCommit(() => _committed.Enqueue(new TmcRecord(id, publication.Tenant, publication.Topic, publication.UserId, publication.UserNick, content)));
        return id;
    }

    public IReadOnlyList<TmcRecord> Messages => _committed.ToList();

    public List<TmcRecord> Topic(string topic) => _committed.Where(m => m.Topic == topic).ToList();

    /// <summary>Polls until <paramref name="done"/> holds: timers fire on the scheduler just after the clock call returns.</summary>
    public async Task<List<TmcRecord>> WaitForAsync(Func<List<TmcRecord>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var list = _committed.ToList();
            if (done(list)) return list;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("TMC messages never reached the expected state: " + string.Join("\n", list.Select(m => m.Topic + " " + m.Content)));
            await Task.Delay(20);
        }
    }
}
