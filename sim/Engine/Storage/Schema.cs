using Microsoft.Data.Sqlite;

namespace Sandbox.Engine.Storage;

/// <summary>Creates and migrates the embedded schema at start; <c>user_version</c> records the applied step.</summary>
static class Schema
{
    /// <summary>The request journal's own file: written on every request, read rarely, newest first by id (no other index).</summary>
    public static readonly string[] JournalSteps =
    [
        """
        CREATE TABLE IF NOT EXISTS journal (
            id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, tenant TEXT, supplier TEXT NOT NULL,
            operation TEXT, method TEXT NOT NULL, path TEXT NOT NULL, http_status INTEGER NOT NULL, result_code TEXT,
            signature TEXT NOT NULL, duration_us INTEGER NOT NULL, entity TEXT, request TEXT, response TEXT, diagnostic TEXT);
        """,
        // Whether the reply was an error by its supplier's own success codes (BPT succeeds with code 1), decided once
        // when the row is written, so that the journal filters on it as the counts count it.
        """
        ALTER TABLE journal ADD COLUMN error INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    public static readonly string[] MainSteps =
    [
        """
        CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS clocks (tenant TEXT PRIMARY KEY, offset_ms INTEGER NOT NULL, frozen_at_ms INTEGER);
        CREATE TABLE IF NOT EXISTS entities (
            tenant TEXT NOT NULL, supplier TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
            status TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, json TEXT NOT NULL,
            PRIMARY KEY (tenant, supplier, kind, id));
        CREATE INDEX IF NOT EXISTS entities_by_time ON entities (tenant, supplier, kind, created_ms);
        CREATE TABLE IF NOT EXISTS timeline (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, entity TEXT NOT NULL,
            at_ms INTEGER NOT NULL, virtual_ms INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS timeline_by_entity ON timeline (tenant, entity, seq);
        CREATE TABLE IF NOT EXISTS timers (
            id TEXT PRIMARY KEY, tenant TEXT NOT NULL, supplier TEXT NOT NULL, kind TEXT NOT NULL,
            entity_id TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, emit TEXT,
            due_virtual_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, supplier TEXT NOT NULL, entity TEXT NOT NULL,
            name TEXT NOT NULL, url TEXT, method TEXT NOT NULL, content_type TEXT NOT NULL, body BLOB NOT NULL,
            status TEXT NOT NULL, attempts INTEGER NOT NULL, next_due_virtual_ms INTEGER NOT NULL,
            created_ms INTEGER NOT NULL, last_error TEXT);
        CREATE INDEX IF NOT EXISTS outbox_by_status ON outbox (status, id);
        CREATE INDEX IF NOT EXISTS outbox_by_tenant ON outbox (tenant, id);
        CREATE TABLE IF NOT EXISTS deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT, outbox_id INTEGER NOT NULL, tenant TEXT NOT NULL, attempt INTEGER NOT NULL,
            at_ms INTEGER NOT NULL, virtual_ms INTEGER NOT NULL, url TEXT, request_body TEXT, http_status INTEGER,
            response_body TEXT, latency_ms REAL NOT NULL, error TEXT, outcome TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS deliveries_by_outbox ON deliveries (outbox_id, id);
        CREATE TABLE IF NOT EXISTS kv (tenant TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (tenant, key));
        CREATE TABLE IF NOT EXISTS journal (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, tenant TEXT, supplier TEXT NOT NULL,
            operation TEXT, method TEXT NOT NULL, path TEXT NOT NULL, http_status INTEGER NOT NULL, result_code TEXT,
            signature TEXT NOT NULL, duration_us INTEGER NOT NULL, entity TEXT, request TEXT, response TEXT, diagnostic TEXT);
        CREATE INDEX IF NOT EXISTS journal_by_tenant ON journal (tenant, id);
        """,
        """
        CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, supplier TEXT NOT NULL, channel TEXT NOT NULL,
            recipient TEXT NOT NULL, purpose TEXT NOT NULL, body TEXT NOT NULL, entity TEXT,
            at_ms INTEGER NOT NULL, virtual_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS messages_by_tenant ON messages (tenant, id);
        """,
        // The journal moved to its own file (JournalSteps): its inserts no longer queue behind orders and callbacks.
        """
        DROP TABLE IF EXISTS journal;
        """,
        // Durable timers of any handler (state machines, modules); callbacks whose target is the tenant's current URL;
        // the virtual instant a callback was emitted at.
        """
        ALTER TABLE timers ADD COLUMN handler TEXT NOT NULL DEFAULT 'transition';
        ALTER TABLE outbox ADD COLUMN tenant_suffix TEXT;
        ALTER TABLE outbox ADD COLUMN emitted_virtual_ms INTEGER NOT NULL DEFAULT 0;
        """,
        // TMC queues: one row per message not yet confirmed (a confirmed message is deleted). Delivery state is kept
        // so that a restart redelivers with the right count; holder says who has it in flight (a connection or HTTP).
        """
        CREATE TABLE IF NOT EXISTS tmc_messages (
            id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, grp TEXT NOT NULL, topic TEXT NOT NULL,
            user_id INTEGER NOT NULL, user_nick TEXT NOT NULL, publisher TEXT NOT NULL, content TEXT NOT NULL,
            pub_ms INTEGER NOT NULL, deliveries INTEGER NOT NULL, visible_ms INTEGER NOT NULL, holder TEXT, parked INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS tmc_messages_by_tenant ON tmc_messages (tenant, id);
        """,
        // The built-in callback inbox (bounded per tenant), and tenant-wide events such as clock changes.
        """
        CREATE TABLE IF NOT EXISTS inbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, supplier TEXT NOT NULL, at_ms INTEGER NOT NULL,
            virtual_ms INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL, headers TEXT NOT NULL,
            body BLOB NOT NULL, mode TEXT NOT NULL, status INTEGER NOT NULL, answer TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS inbox_by_tenant ON inbox (tenant, id);
        CREATE TABLE IF NOT EXISTS tenant_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, at_ms INTEGER NOT NULL, virtual_ms INTEGER NOT NULL,
            kind TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS tenant_events_by_tenant ON tenant_events (tenant, id);
        """,
        // Short-lived key-values (booking sessions shared by replicas) carry the real instant they may be purged at.
        """
        ALTER TABLE kv ADD COLUMN expires_ms INTEGER;
        CREATE INDEX IF NOT EXISTS kv_expiring ON kv (expires_ms) WHERE expires_ms IS NOT NULL;
        """,
        // Timers due beyond the scheduler's window stay here and are read a window at a time per tenant.
        """
        CREATE INDEX IF NOT EXISTS timers_by_tenant ON timers (tenant, due_virtual_ms);
        """,
    ];

    public static void Migrate(SqliteConnection c, string[] steps)
    {
        using var get = c.CreateCommand();
        get.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(get.ExecuteScalar());
        for (var i = version; i < steps.Length; i++)
        {
            using var tx = c.BeginTransaction();
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = steps[i] + $"; PRAGMA user_version = {i + 1};";
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
    }
}
