using Npgsql;

namespace Sandbox.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests may use: <c>SANDBOX_TEST_POSTGRES</c> (an Npgsql connection string; <c>.ci/run</c> starts a
/// throwaway cluster and sets it). Each caller gets a database of its own, so tests never see each other's rows. Without
/// the variable, tests that need the server report themselves skipped.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "SANDBOX_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs ? cs : null;

    public static void SkipUnlessConfigured() =>
        Skip.If(ConnectionString is null, $"no PostgreSQL server configured ({Variable}); .ci/run starts one");

    /// <summary>A new, empty database on the server; returns its connection string.</summary>
    public static string CreateDatabase()
    {
        SkipUnlessConfigured();
        var name = "sbx_" + Guid.NewGuid().ToString("N")[..16];
        using (var c = new NpgsqlConnection(ConnectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = true }.ToString();
    }

    /// <summary>Runs a statement on a database (a test's look behind the store).</summary>
    public static object? Scalar(string connectionString, string sql)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }
}
