using Microsoft.Data.Sqlite;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Tokens;

/// <summary>The operator's command line: <c>dotnet OutboundVault.Api.dll reencrypt</c> as a real process.</summary>
public sealed class ReencryptProcessTests : IDisposable
{
    readonly string dataDirectory = Directory.CreateTempSubdirectory("outboundvault-reencrypt-").FullName;

    static Task<VaultCommandLine.Result> RunVault(string dataDirectory, params string[] args) =>
        VaultCommandLine.RunAsync(dataDirectory, new Dictionary<string, string>
        {
            ["Encryption__Keys__0"] = RotationKeys.B,
            ["Encryption__Keys__1"] = RotationKeys.A,
        }, args);

    [SkippableFact]
    public async Task The_reencrypt_command_runs_as_a_process_and_prints_its_counts()
    {
        var access = TokenApi.Secret("access");
        await using (var onA = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, RotationKeys.Ring(RotationKeys.A)))
        {
            var api = new TokenApi(onA.CreateManagementClient());
            var app = await api.CreateOAuthApp();
            await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = access, refreshToken = "r" });
            await api.UploadTenantToken(new { appId = app, tenantId = "t1", accessToken = "tenant" });
        }
        SqliteConnection.ClearAllPools();

        var (exitCode, output) = await RunVault(dataDirectory, "reencrypt");
        exitCode.Should().Be(0, output);
        output.Should().Contain("primary key 'keyB'")
            .And.Contain("outbound_tokens (access and refresh tokens, API keys): 2 re-encrypted, 0 already on the primary key")
            .And.Contain("outbound_apps (client secrets): 0 re-encrypted")
            .And.Contain("other keys may be removed")
            .And.NotContain(access);

        await using var onlyB = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, RotationKeys.Ring(RotationKeys.B));
        var token = await new TokenApi(onlyB.CreateManagementClient()).Fetch("app/tenant/token/latest", $$"""{"appId":"{{await FirstApp(onlyB)}}","tenantId":"t1"}""");
        token["accessToken"]!.GetValue<string>().Should().Be("tenant");
    }

    [SkippableFact]
    public async Task An_unknown_command_is_refused_without_starting_the_server()
    {
        var (exitCode, output) = await RunVault(dataDirectory, "reencrpyt");
        exitCode.Should().Be(2);
        output.Should().Contain("Unknown command 'reencrpyt'").And.Contain("reencrypt");
    }

    static async Task<string> FirstApp(VaultFactory vault) =>
        (await (await vault.CreateManagementClient().GetAsync("/v1/mgmt/outbound/apps")).ShouldBeOk())["apps"]![0]!["id"]!.GetValue<string>();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
