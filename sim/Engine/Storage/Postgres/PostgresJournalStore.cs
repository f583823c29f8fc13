using NpgsqlTypes;

namespace Sandbox.Engine.Storage.Postgres;

/// <summary>
/// The request journal in the shared database, in a table of its own: batches arrive from the journal's background loop
/// and go in with binary COPY on a pooled connection, so they never queue behind the store's group commits. Bounded by id,
/// whichever replica wrote the rows.
/// </summary>
public sealed class PostgresJournalStore(PostgresStore store) : IJournalStore
{
    readonly SemaphoreSlim _appending = new(1, 1);

    public async Task Append(IReadOnlyList<JournalRecord> rows, long? keepNewest)
    {
        await _appending.WaitAsync();
        try
        {
            await using var c = await store.DataSource.OpenConnectionAsync();
            store.Counted();
            await using (var copy = await c.BeginBinaryImportAsync(
                             "COPY journal (at_ms, tenant, supplier, operation, method, path, http_status, result_code, error, signature, duration_us, " +
                             "entity, request, response, diagnostic) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var e in rows)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(e.AtMs, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.Tenant, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Supplier, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Operation, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Method, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Path, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.HttpStatus, NpgsqlDbType.Integer);
                    await copy.WriteAsync(e.ResultCode, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Error, NpgsqlDbType.Boolean);
                    await copy.WriteAsync(e.Signature, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.DurationUs, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.Entity, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Request, NpgsqlDbType.Bytea);
                    await copy.WriteAsync(e.Response, NpgsqlDbType.Bytea);
                    await copy.WriteAsync(e.Diagnostic, NpgsqlDbType.Text);
                }
                await copy.CompleteAsync();
            }
            if (keepNewest is { } keep)
            {
                await using var prune = new Npgsql.NpgsqlCommand("DELETE FROM journal WHERE id <= (SELECT MAX(id) FROM journal) - $1", c);
                prune.Parameters.Add(PostgresWriter.Big(keep));
                store.Counted();
                await prune.ExecuteNonQueryAsync();
            }
        }
        finally
        {
            _appending.Release();
        }
    }

    public async Task DeleteTenant(string tenant)
    {
        await using var c = await store.DataSource.OpenConnectionAsync();
        store.Counted();
        await using var cmd = new Npgsql.NpgsqlCommand("DELETE FROM journal WHERE tenant = $1", c);
        cmd.Parameters.Add(PostgresWriter.Text(tenant));
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task Flush()
    {
        await _appending.WaitAsync();
        _appending.Release();
    }

    public IReadOnlyList<JournalRow> Query(JournalFilter f) => store.Read(c =>
    {
        using var cmd = new Npgsql.NpgsqlCommand("""
            SELECT id, at_ms, tenant, supplier, operation, method, path, http_status, result_code, error, signature, duration_us, entity,
                   request, response, diagnostic
            FROM journal
            WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text IS NULL OR supplier = $2) AND ($3::text IS NULL OR operation = $3)
              AND ($4::text IS NULL OR entity = $4) AND ($5::boolean IS NULL OR error = $5) AND ($6::text IS NULL OR signature = $6)
            ORDER BY id DESC LIMIT $7
            """, c);
        cmd.Parameters.Add(PostgresWriter.Text(f.Tenant));
        cmd.Parameters.Add(PostgresWriter.Text(f.Supplier?.ToLowerInvariant()));
        cmd.Parameters.Add(PostgresWriter.Text(f.Operation));
        cmd.Parameters.Add(PostgresWriter.Text(f.Entity));
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = (object?)f.Error ?? DBNull.Value });
        cmd.Parameters.Add(PostgresWriter.Text(f.Signature?.ToLowerInvariant()));
        cmd.Parameters.Add(PostgresWriter.Int(Math.Clamp(f.Limit, 1, 1000)));
        using var r = cmd.ExecuteReader();
        var rows = new List<JournalRow>();
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string? Body(int i) => r.IsDBNull(i) ? null : System.Text.Encoding.UTF8.GetString((byte[])r[i]);
        while (r.Read())
            rows.Add(new JournalRow(r.GetInt64(0), r.GetInt64(1), S(2), r.GetString(3), S(4), r.GetString(5), r.GetString(6), r.GetInt32(7), S(8),
                r.GetBoolean(9), r.GetString(10), r.GetInt64(11), S(12), Body(13), Body(14), S(15)));
        return rows;
    });

    /// <summary>The store owns the connections; the journal has nothing of its own to close.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
