using Npgsql;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// Databases on the throwaway PostgreSQL cluster that ./scripts/with-postgres.sh starts. Each fixture gets its
/// own database, so test classes never see each other's rows. Without a cluster, every test that needs one is
/// reported as skipped with the command that runs it (./scripts/test.sh fails on any skip).
/// </summary>
public static class TestPostgres
{
    public const string AdminVariable = "OUTBOUNDVAULT_TEST_PG";

    public static string AdminConnectionString => Environment.GetEnvironmentVariable(AdminVariable) is { Length: > 0 } cs ? cs
        : throw new SkipException(
            $"needs PostgreSQL: {AdminVariable} is not set. Run ./scripts/with-postgres.sh dotnet test tests/OutboundVault.Tests [--filter ...], " +
            "which starts a throwaway cluster and sets it.");

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "ov_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
