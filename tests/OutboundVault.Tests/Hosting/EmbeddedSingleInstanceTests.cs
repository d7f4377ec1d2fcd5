using Microsoft.Data.Sqlite;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Hosting;

/// <summary>SQLite mode is one instance: a second server on the data directory refuses, the vault's commands do not.</summary>
public sealed class EmbeddedSingleInstanceTests : IDisposable
{
    readonly string dataDirectory = Directory.CreateTempSubdirectory("outboundvault-single-").FullName;
    readonly VaultFactory running;

    public EmbeddedSingleInstanceTests()
    {
        running = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, new Dictionary<string, string?>());
        _ = running.Server;
    }

    [SkippableFact]
    public async Task A_second_server_process_on_the_same_data_directory_refuses_to_start_and_says_why()
    {
        var (exitCode, output) = await VaultCommandLine.RunAsync(dataDirectory, null, "--urls", $"http://127.0.0.1:{Loopback.FreePort()}");

        (exitCode != 0, output.Contains("Another OutboundVault server is running on the data directory", StringComparison.Ordinal))
            .Should().Be((true, true), output);
    }

    [SkippableFact]
    public async Task A_command_runs_beside_the_server()
    {
        var (exitCode, output) = await VaultCommandLine.RunAsync(dataDirectory, null, "reencrypt");

        exitCode.Should().Be(0, output);
    }


    public void Dispose()
    {
        running.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
