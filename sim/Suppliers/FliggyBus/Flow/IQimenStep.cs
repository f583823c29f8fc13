using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>What one attempt sends: the body (the same on every attempt) and what the reply is validated against.</summary>
public sealed record CallRequest(JsonObject Body, ReplyContext Context);

/// <summary>
/// What Fliggy does around one Qimen method (spec §3, §8): what it sends for a subject, what it makes of a reply it
/// took, and its fallback once every attempt failed. <see cref="CallJobs"/> makes the attempts, records them and
/// spends the delays between them on the tenant's virtual clock.
/// </summary>
public interface IQimenStep
{
    string Method { get; }

    /// <summary>The request of this attempt, or null when the subject no longer needs the call (the order moved on).</summary>
    CallRequest? Prepare(JobScope job);

    /// <summary>A reply Fliggy took; false when it does not settle the call after all (it is then retried like a failure).</summary>
    bool Accepted(JobScope job, QimenCall call);

    /// <summary>The last attempt failed too (<paramref name="call"/>).</summary>
    void GaveUp(JobScope job, QimenCall call);
}
