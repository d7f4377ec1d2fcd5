using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// Everything the database holds, as text, to prove secrets are stored only as ciphertext: the SQLite
/// file and its write-ahead log (after a checkpoint), or a pg_dump of the fixture's PostgreSQL database.
/// </summary>
public static class RawDatabaseText
{
    public static Task<string> ReadAsync(VaultFixture fixture) =>
        fixture.Kind == DatabaseKind.Sqlite ? ReadSqliteFilesAsync(fixture.DataDirectory) : DumpPostgresAsync(fixture.PostgresConnection!);

    static async Task<string> ReadSqliteFilesAsync(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "outboundvault.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var checkpoint = new SqliteCommand("PRAGMA wal_checkpoint(FULL);", connection);
            await checkpoint.ExecuteNonQueryAsync();
        }
        var text = new StringBuilder();
        foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }
        return text.ToString();
    }

    /// <summary>pg_dump from the server binaries (found through pg_config), data only.</summary>
    static async Task<string> DumpPostgresAsync(string connectionString)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(await PgBinDirAsync(), "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--data-only", "--host", cs.Host!, "--port", cs.Port.ToString(CultureInfo.InvariantCulture), "--username", cs.Username!, "--dbname", cs.Database! },
        };
        if (!string.IsNullOrEmpty(cs.Password)) start.Environment["PGPASSWORD"] = cs.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await error);
        return await output;
    }

    static async Task<string> PgBinDirAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true })!;
        var dir = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return dir;
    }
}
