using System.Text.Json.Nodes;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;

namespace Sandbox.Engine.Messages;

/// <summary>
/// A message a supplier would send to a person (an SMS verification code, a ticket voucher, an official notice).
/// The sandbox never sends it: it is written to the log so a test or an integrator can read what "arrived".
/// </summary>
public sealed record OutboundMessage(
    string Tenant, string Supplier, string Channel, string Recipient, string Purpose, string Body, string? Entity = null);

/// <summary>
/// The log of messages suppliers would have sent, per tenant, persisted in the same unit of work as the state change
/// that caused them (a code exists exactly when the operation that issued it committed). Read through
/// GET /admin/api/tenants/{tenant}/messages.
/// </summary>
public sealed class MessageLog(IStore store, VirtualClock clock)
{
    public void Send(UnitOfWork uow, OutboundMessage m)
    {
        var at = clock.RealNow.ToUnixTimeMilliseconds();
        var virtualMs = clock.NowMs(m.Tenant);
        uow.Add(w => w.InsertMessage(m.Tenant, m.Supplier, m.Channel, m.Recipient, m.Purpose, m.Body, m.Entity, at, virtualMs));
    }

    /// <summary>Newest first; every filter is optional.</summary>
    public JsonArray Query(string tenant, string? supplier, string? recipient, string? purpose, int limit) =>
        new(store.QueryMessages(tenant, supplier, recipient, purpose, limit).Select(m => (JsonNode)new JsonObject
        {
            ["id"] = m.Id,
            ["supplier"] = m.Supplier,
            ["channel"] = m.Channel,
            ["to"] = m.Recipient,
            ["purpose"] = m.Purpose,
            ["text"] = m.Body,
            ["entity"] = m.Entity,
            ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(m.AtMs).ToString("O"),
            ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(m.VirtualMs).ToString("O"),
        }).ToArray());
}
