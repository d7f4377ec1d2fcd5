using Microsoft.Data.Sqlite;
using Npgsql;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// Everything the database holds, as text, to prove secrets are stored only as ciphertext: the SQLite
/// file bytes (after a checkpoint folds the WAL in), or every row of every table on PostgreSQL.
/// </summary>
public static class RawDatabaseText
{
    public static async Task<string> ReadAsync(VaultFixture fixture)
    {
        if (fixture.Kind == DatabaseKind.Sqlite)
        {
            var path = Path.Combine(fixture.DataDirectory, "outboundvault.db");
            await using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync();
                await using var checkpoint = new SqliteCommand("PRAGMA wal_checkpoint(FULL);", connection);
                await checkpoint.ExecuteNonQueryAsync();
            }
            var text = new System.Text.StringBuilder();
            foreach (var file in Directory.GetFiles(fixture.DataDirectory, "outboundvault.db*"))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
                text.Append(await reader.ReadToEndAsync());
            }
            return text.ToString();
        }
        await using var pg = new NpgsqlConnection(fixture.PostgresConnection);
        await pg.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", pg))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var rows = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", pg);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.AppendLine(reader.GetString(0));
        }
        return rows.ToString();
    }
}
