using Microsoft.Data.Sqlite;

namespace Sandbox.Engine.Storage;

/// <summary>The request journal in a SQLite file of its own: it only appends and prunes, so a small page cache does.</summary>
public sealed class SqliteJournalStore(string path) : IJournalStore
{
    readonly SqliteDatabase<JournalWriter> _db = new(path, Schema.JournalSteps, 8 * 1024, c => new JournalWriter(c));

    public Task Append(IReadOnlyList<JournalRecord> rows, long? keepNewest) => _db.Write(w =>
    {
        foreach (var row in rows) w.Insert(row);
        if (keepNewest is { } keep) w.Prune(keep);
    });

    public Task DeleteTenant(string tenant) => _db.Write(w => w.DeleteTenant(tenant));

    public Task Flush() => _db.Write(_ => { });

    public IReadOnlyList<JournalRow> Query(JournalFilter f) => _db.Read(c =>
    {
        var where = new List<string>();
        var args = new List<object?>();
        void Add(string column, object? value)
        {
            if (value is null) return;
            where.Add($"{column} = ${args.Count}");
            args.Add(value);
        }
        Add("tenant", f.Tenant);
        Add("supplier", f.Supplier?.ToLowerInvariant());
        Add("operation", f.Operation);
        Add("entity", f.Entity);
        Add("error", f.Error is { } e ? e ? 1 : 0 : null);
        Add("signature", f.Signature?.ToLowerInvariant());
        args.Add(Math.Clamp(f.Limit, 1, 1000));
        var sql = "SELECT id, at_ms, tenant, supplier, operation, method, path, http_status, result_code, error, signature, duration_us, entity, request, response, diagnostic FROM journal"
                  + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + $" ORDER BY id DESC LIMIT ${args.Count - 1}";
        return SqliteStore.List(c, sql, r => new JournalRow(
            r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
            r.GetString(5), r.GetString(6), r.GetInt32(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetInt64(9) != 0, r.GetString(10), r.GetInt64(11),
            r.IsDBNull(12) ? null : r.GetString(12), SqliteStore.Text(r, 13), SqliteStore.Text(r, 14), r.IsDBNull(15) ? null : r.GetString(15)),
            args.ToArray());
    });

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    sealed class JournalWriter(SqliteConnection c) : SqliteStatements(c)
    {
        /// <summary>
        /// One prepared single-row statement per row: SQLite looks named parameters up linearly, so a multi-row statement
        /// with hundreds of parameters costs more in lookups than it saves in statement steps.
        /// </summary>
        public void Insert(JournalRecord e) =>
            Exec("""
                 INSERT INTO journal (at_ms, tenant, supplier, operation, method, path, http_status, result_code, error, signature, duration_us, entity, request, response, diagnostic)
                 VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 """, e.AtMs, e.Tenant, e.Supplier, e.Operation, e.Method, e.Path, e.HttpStatus, e.ResultCode, e.Error, e.Signature, e.DurationUs,
                e.Entity, e.Request, e.Response, e.Diagnostic);

        public void DeleteTenant(string tenant) => Exec("DELETE FROM journal WHERE tenant = $0", tenant);

        /// <summary>Keeps the journal bounded: drops the oldest rows beyond <paramref name="keep"/>.</summary>
        public void Prune(long keep) => Exec("DELETE FROM journal WHERE id <= (SELECT MAX(id) FROM journal) - $0", keep);
    }
}
