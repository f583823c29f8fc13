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
public sealed class MessageLog(SqliteStore store, VirtualClock clock)
{
    public void Send(UnitOfWork uow, OutboundMessage m)
    {
        var at = clock.RealNow.ToUnixTimeMilliseconds();
        var virtualMs = clock.NowMs(m.Tenant);
        uow.Add(w => w.InsertMessage(m.Tenant, m.Supplier, m.Channel, m.Recipient, m.Purpose, m.Body, m.Entity, at, virtualMs));
    }

    /// <summary>Newest first; every filter is optional.</summary>
    public JsonArray Query(string tenant, string? supplier, string? recipient, string? purpose, int limit)
    {
        using var c = store.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT id, supplier, channel, recipient, purpose, body, entity, at_ms, virtual_ms FROM messages
            WHERE tenant = $t AND ($s IS NULL OR supplier = $s) AND ($r IS NULL OR recipient = $r) AND ($p IS NULL OR purpose = $p)
            ORDER BY id DESC LIMIT $n
            """;
        cmd.Parameters.AddWithValue("$t", tenant);
        cmd.Parameters.AddWithValue("$s", (object?)supplier ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$r", (object?)recipient ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$p", (object?)purpose ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$n", Math.Clamp(limit, 1, 1000));
        var list = new JsonArray();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(new JsonObject
            {
                ["id"] = r.GetInt64(0),
                ["supplier"] = r.GetString(1),
                ["channel"] = r.GetString(2),
                ["to"] = r.GetString(3),
                ["purpose"] = r.GetString(4),
                ["text"] = r.GetString(5),
                ["entity"] = r.IsDBNull(6) ? null : r.GetString(6),
                ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)).ToString("O"),
                ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)).ToString("O"),
            });
        return list;
    }
}
