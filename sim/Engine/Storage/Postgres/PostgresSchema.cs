using Npgsql;

namespace Sandbox.Engine.Storage.Postgres;

/// <summary>
/// The shared schema, created and migrated at start. Each step runs once, in its own transaction, and is recorded in
/// <c>schema_migrations</c>; replicas starting together take an advisory lock so that one of them migrates and the others
/// find the steps applied. Steps are only ever appended (docs/adr/0006 describes the upgrade path).
/// </summary>
static class PostgresSchema
{
    /// <summary>Arbitrary, constant: the key of the advisory lock held while migrating.</summary>
    const long MigrationLock = 0x5A4E_4442_0001;

    public static readonly (string Description, string Sql)[] Steps =
    [
        ("engine tables", """
            CREATE TABLE tenants (id text PRIMARY KEY, json text NOT NULL);
            CREATE TABLE clocks (tenant text PRIMARY KEY, offset_ms bigint NOT NULL, frozen_at_ms bigint);
            CREATE TABLE entities (
                tenant text NOT NULL, supplier text NOT NULL, kind text NOT NULL, id text NOT NULL,
                status text NOT NULL, created_ms bigint NOT NULL, updated_ms bigint NOT NULL, json text NOT NULL,
                version bigint NOT NULL DEFAULT 1,
                PRIMARY KEY (tenant, supplier, kind, id));
            CREATE INDEX entities_by_time ON entities (tenant, supplier, kind, created_ms);
            CREATE TABLE timeline (
                seq bigserial PRIMARY KEY, tenant text NOT NULL, entity text NOT NULL,
                at_ms bigint NOT NULL, virtual_ms bigint NOT NULL, kind text NOT NULL, detail text NOT NULL);
            CREATE INDEX timeline_by_entity ON timeline (tenant, entity, seq);
            CREATE TABLE timers (
                id text PRIMARY KEY, tenant text NOT NULL, handler text NOT NULL, supplier text NOT NULL, kind text NOT NULL,
                entity_id text NOT NULL, from_state text NOT NULL, to_state text NOT NULL, emit text, due_virtual_ms bigint NOT NULL);
            CREATE INDEX timers_by_tenant ON timers (tenant, due_virtual_ms);
            CREATE SEQUENCE outbox_ids;
            CREATE TABLE outbox (
                id bigint PRIMARY KEY, tenant text NOT NULL, supplier text NOT NULL, entity text NOT NULL, name text NOT NULL,
                url text, tenant_suffix text, method text NOT NULL, content_type text NOT NULL, body bytea NOT NULL,
                status text NOT NULL, attempts integer NOT NULL, next_due_virtual_ms bigint NOT NULL, created_ms bigint NOT NULL,
                emitted_virtual_ms bigint NOT NULL, last_error text);
            CREATE INDEX outbox_pending ON outbox (tenant, id) WHERE status = 'pending';
            CREATE INDEX outbox_by_tenant ON outbox (tenant, id);
            CREATE TABLE deliveries (
                id bigserial PRIMARY KEY, outbox_id bigint NOT NULL, tenant text NOT NULL, attempt integer NOT NULL,
                at_ms bigint NOT NULL, virtual_ms bigint NOT NULL, url text, http_status integer, response_body text,
                latency_ms double precision NOT NULL, error text, outcome text NOT NULL);
            CREATE INDEX deliveries_by_outbox ON deliveries (outbox_id, id);
            CREATE INDEX deliveries_by_tenant ON deliveries (tenant);
            CREATE TABLE kv (tenant text NOT NULL, key text NOT NULL, json text NOT NULL, PRIMARY KEY (tenant, key));
            CREATE TABLE messages (
                id bigserial PRIMARY KEY, tenant text NOT NULL, supplier text NOT NULL, channel text NOT NULL,
                recipient text NOT NULL, purpose text NOT NULL, body text NOT NULL, entity text,
                at_ms bigint NOT NULL, virtual_ms bigint NOT NULL);
            CREATE INDEX messages_by_tenant ON messages (tenant, id);
            CREATE TABLE tmc_messages (
                id bigint PRIMARY KEY, tenant text NOT NULL, grp text NOT NULL, topic text NOT NULL,
                user_id bigint NOT NULL, user_nick text NOT NULL, publisher text NOT NULL, content text NOT NULL,
                pub_ms bigint NOT NULL, deliveries integer NOT NULL, visible_ms bigint NOT NULL, holder text, parked boolean NOT NULL);
            CREATE INDEX tmc_messages_by_group ON tmc_messages (tenant, grp, id);
            CREATE INDEX tmc_messages_by_holder ON tmc_messages (holder) WHERE holder IS NOT NULL;
            -- TMC ids keep the embedded store's shape (Unix ms × 1000 + a sequence), so they grow past any id already handed out.
            CREATE SEQUENCE tmc_message_ids;
            SELECT setval('tmc_message_ids', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
            -- A statement that must have changed a row calls this with the count: none means another replica won.
            CREATE FUNCTION sandbox_expect(n bigint, what text) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF n = 0 THEN RAISE EXCEPTION USING ERRCODE = 'SX001', MESSAGE = what; END IF;
            END $$;
            """),
        ("request journal", """
            CREATE TABLE journal (
                id bigserial PRIMARY KEY, at_ms bigint NOT NULL, tenant text, supplier text NOT NULL,
                operation text, method text NOT NULL, path text NOT NULL, http_status integer NOT NULL, result_code text,
                signature text NOT NULL, duration_us bigint NOT NULL, entity text, request bytea, response bytea, diagnostic text);
            CREATE INDEX journal_by_tenant ON journal (tenant, id);
            """),
        ("replicas and tenant homes", """
            CREATE TABLE replicas (id text PRIMARY KEY, started_ms bigint NOT NULL, heartbeat_ms bigint NOT NULL);
            CREATE TABLE homes (tenant text PRIMARY KEY, replica text NOT NULL, epoch bigint NOT NULL);
            CREATE INDEX homes_by_replica ON homes (replica);
            """),
        ("expiring and versioned key-values", """
            ALTER TABLE kv ADD COLUMN expires_ms bigint;
            ALTER TABLE kv ADD COLUMN version bigint NOT NULL DEFAULT 1;
            CREATE INDEX kv_expiring ON kv (expires_ms) WHERE expires_ms IS NOT NULL;
            """),
        ("callback inbox, tenant events, journal error flag", """
            CREATE TABLE inbox (
                id bigserial PRIMARY KEY, tenant text NOT NULL, supplier text NOT NULL, at_ms bigint NOT NULL, virtual_ms bigint NOT NULL,
                method text NOT NULL, path text NOT NULL, query text NOT NULL, headers text NOT NULL, body bytea NOT NULL, mode text NOT NULL,
                status integer NOT NULL, answer text NOT NULL);
            CREATE INDEX inbox_by_tenant ON inbox (tenant, id);
            CREATE TABLE tenant_events (
                id bigserial PRIMARY KEY, tenant text NOT NULL, at_ms bigint NOT NULL, virtual_ms bigint NOT NULL, kind text NOT NULL,
                detail text NOT NULL);
            CREATE INDEX tenant_events_by_tenant ON tenant_events (tenant, id);
            ALTER TABLE journal ADD COLUMN error boolean NOT NULL DEFAULT false;
            """),
    ];

    /// <summary>Applies the steps not recorded yet; returns how many it applied.</summary>
    public static int Migrate(NpgsqlDataSource source)
    {
        using var c = source.OpenConnection();
        Exec(c, "SELECT pg_advisory_lock($1)", MigrationLock);
        try
        {
            Exec(c, """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                    """);
            using var get = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", c);
            var applied = Convert.ToInt32(get.ExecuteScalar());
            if (applied > Steps.Length)
                throw new InvalidOperationException(
                    $"the database is at schema version {applied}, newer than this build knows ({Steps.Length}): upgrade this replica");
            for (var i = applied; i < Steps.Length; i++)
            {
                using var tx = c.BeginTransaction();
                Exec(c, Steps[i].Sql);
                Exec(c, "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", i + 1, Steps[i].Description);
                tx.Commit();
            }
            return Steps.Length - applied;
        }
        finally
        {
            Exec(c, "SELECT pg_advisory_unlock($1)", MigrationLock);
        }
    }

    static void Exec(NpgsqlConnection c, string sql, params object[] args)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        cmd.ExecuteNonQuery();
    }
}
