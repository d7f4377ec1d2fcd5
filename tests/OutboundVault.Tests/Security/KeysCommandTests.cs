using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Security;

/// <summary><c>dotnet OutboundVault.Api.dll keys ...</c> beside a running server on the same SQLite data directory.</summary>
public sealed class KeysCommandTests : IDisposable
{
    readonly string dataDirectory = Directory.CreateTempSubdirectory("outboundvault-keys-").FullName;
    readonly VaultFactory server;
    readonly Dictionary<string, string> sameKeys;

    public KeysCommandTests()
    {
        server = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, new Dictionary<string, string?> { ["Management:KeyRefresh"] = "00:00:01" });
        _ = server.Server;
        sameKeys = new Dictionary<string, string>();
    }

    HttpClient With(string key)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{key}");
        return client;
    }

    [SkippableFact]
    public async Task Keys_create_prints_only_the_json_and_the_running_server_accepts_the_key()
    {
        var created = await VaultCommandLine.RunAsync(dataDirectory, sameKeys, "keys", "create", "--role", "fetch", "--apps", "google,github");
        var body = JsonNode.Parse(created.StandardOutput)!;
        using var client = With(body["cleartext"]!.GetValue<string>());

        await Eventually.TrueAsync(() => client.GetAsync("/v1/mgmt/license").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK,
            "the server reloads its keys every second", attempts: 400);
        (created.ExitCode, body["key"]!["role"]!.GetValue<string>(), body["key"]!["appIds"]!.AsArray().Count).Should().Be((0, "fetch", 2));
    }

    [SkippableFact]
    public async Task Keys_list_and_revoke_print_their_json_and_the_revoked_key_is_refused()
    {
        var created = JsonNode.Parse((await VaultCommandLine.RunAsync(dataDirectory, sameKeys, "keys", "create", "--role", "admin")).StandardOutput)!;
        var id = created["key"]!["id"]!.GetValue<string>();
        using var client = With(created["cleartext"]!.GetValue<string>());
        await Eventually.TrueAsync(() => client.GetAsync("/v1/mgmt/license").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK, attempts: 400);

        var listed = JsonNode.Parse((await VaultCommandLine.RunAsync(dataDirectory, sameKeys, "keys", "list")).StandardOutput)!;
        var revoked = await VaultCommandLine.RunAsync(dataDirectory, sameKeys, "keys", "revoke", id);

        await Eventually.TrueAsync(() => client.GetAsync("/v1/mgmt/license").GetAwaiter().GetResult().StatusCode == HttpStatusCode.Unauthorized, attempts: 400);
        (listed["keys"]!.AsArray().Any(k => k!["id"]!.GetValue<string>() == id), revoked.StandardOutput.Trim()).Should().Be((true, "{}"));
    }

    [SkippableFact]
    public async Task A_bad_keys_command_says_why_on_stderr_and_exits_2()
    {
        var result = await VaultCommandLine.RunAsync(dataDirectory, sameKeys, "keys", "create", "--role", "root");

        (result.ExitCode, result.StandardOutput, result.StandardError.Contains("role must be one of", StringComparison.Ordinal)).Should().Be((2, "", true));
    }

    public void Dispose()
    {
        server.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
