using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// A TMC message a supplier module produces (Fliggy flights' TradeNotify, RefundNotify …): it belongs to the session
/// user of the order (spec §3.1.6) and is routed to the tenant's app queues by subscription, permit and group.
/// </summary>
/// <param name="Tenant">the tenant whose TOP app receives it</param>
/// <param name="Topic">e.g. <c>alitrip_flight_TradeNotify</c></param>
/// <param name="UserId">the order's session user (<c>user_id</c> of the envelope)</param>
/// <param name="UserNick">the order's session user nick</param>
/// <param name="Content">builds the compact one-line JSON <c>content</c> from the message id the publisher allocated
/// (the content's own <c>id</c> is the decimal string of it)</param>
public sealed record TmcPublication(string Tenant, string Topic, long UserId, string UserNick, Func<long, string> Content);

/// <summary>
/// Publishes TMC messages durably: the message rows are written in the caller's unit of work (together with the state
/// change that causes them) and become deliverable once it committed. Message ids stay ≤ 2^53 (JavaScript clients).
/// </summary>
public interface ITmcPublisher
{
    /// <returns>the message id</returns>
    long Publish(UnitOfWork uow, TmcPublication publication);
}
