using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// A queued TMC message: the envelope of spec §3.1 and its delivery state. The state fields change only under the
/// lock of the queue that holds the message.
/// </summary>
public sealed class TmcMessage(long id, string tenant, string group, string topic, long userId, string userNick, string publisher,
    string content, long pubMs)
{
    public long Id { get; } = id;
    public string Tenant { get; } = tenant;
    public string Group { get; } = group;
    public string Topic { get; } = topic;
    public long UserId { get; } = userId;
    public string UserNick { get; } = userNick;
    public string Publisher { get; } = publisher;
    public string Content { get; } = content;
    /// <summary>Publish time on the tenant's virtual clock, Unix ms.</summary>
    public long PubMs { get; } = pubMs;

    public int Deliveries { get; internal set; }
    public long VisibleMs { get; internal set; }
    public string? Holder { get; internal set; }
    public bool Parked { get; internal set; }
    /// <summary>Changes whenever the message is handed out or given back, so a lease that ended earlier is recognised as stale.</summary>
    internal int Version { get; set; }

    /// <summary>Redeliveries so far, as the <c>retried</c> header of a push carries it (0 on the first delivery).</summary>
    public int Retried => Math.Max(0, Deliveries - 1);

    public TmcMessageRow ToRow() =>
        new(Id, Tenant, Group, Topic, UserId, UserNick, Publisher, Content, PubMs, Deliveries, VisibleMs, Holder, Parked);

    public static TmcMessage FromRow(TmcMessageRow r) =>
        new(r.Id, r.Tenant, r.Group, r.Topic, r.UserId, r.UserNick, r.Publisher, r.Content, r.PubMs)
        {
            Deliveries = r.Deliveries, VisibleMs = r.VisibleMs, Holder = r.Holder, Parked = r.Parked,
        };

    public string Status(long nowMs) =>
        Parked ? "parked" : Holder is not null && VisibleMs > nowMs ? "inflight" : VisibleMs > nowMs ? "delayed" : "ready";
}
