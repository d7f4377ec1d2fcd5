using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Hosting;

/// <summary>Where the embedded mode keeps its data, and that nobody but the vault's user can read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryTests
{
    [SkippableFact]
    public async Task A_server_started_from_another_directory_keeps_its_data_beside_the_application()
    {
        var elsewhere = Directory.CreateTempSubdirectory("outboundvault-cwd-").FullName;
        var relative = "data-" + Guid.NewGuid().ToString("N")[..8];
        var expected = Path.Combine(AppContext.BaseDirectory, relative);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = elsewhere, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OutboundVault.Api.dll"));
        start.ArgumentList.Add("--urls");
        var port = Loopback.FreePort();
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["DataDirectory"] = relative;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Eventually.TrueAsync(() => Ready(client), "the server comes up", attempts: 2400);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        (File.Exists(Path.Combine(expected, "outboundvault.db")), Directory.Exists(Path.Combine(elsewhere, relative)), (await output).Contains("INF]", StringComparison.Ordinal))
            .Should().Be((true, false, true), "the database is beside the application, and the settings' console sink logs");
        Directory.Delete(expected, recursive: true);
        Directory.Delete(elsewhere, recursive: true);
    }

    [SkippableFact]
    public async Task The_data_directory_is_0700_and_the_database_its_wal_and_the_keys_are_0600()
    {
        var dataDirectory = Path.Combine(Directory.CreateTempSubdirectory("outboundvault-modes-").FullName, "data");
        await using (var vault = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, new Dictionary<string, string?>()))
        {
            await new Tokens.TokenApi(vault.CreateManagementClient()).CreateApiKeyApp();
            // A connection of its own holds the WAL open (SQLite removes it when the last connection closes).
            await using var held = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "outboundvault.db")};Pooling=False");
            await held.OpenAsync();
            await using (var write = held.CreateCommand())
            {
                write.CommandText = "CREATE TABLE IF NOT EXISTS probe (x INTEGER); INSERT INTO probe VALUES (1);";
                await write.ExecuteNonQueryAsync();
            }
            var modes = new[] { "", "outboundvault.db", "outboundvault.db-wal", "encryption.key", "server.lock" }
                .ToDictionary(name => name, name => File.GetUnixFileMode(Path.Combine(dataDirectory, name)));

            modes.Should().Equal(new Dictionary<string, UnixFileMode>
            {
                [""] = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                ["outboundvault.db"] = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                ["outboundvault.db-wal"] = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                ["encryption.key"] = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                ["server.lock"] = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
    }

    static bool Ready(HttpClient client)
    {
        try
        {
            return client.GetAsync("/health/ready").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
