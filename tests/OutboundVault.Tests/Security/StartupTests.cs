using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using OutboundVault.Security;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Security;

/// <summary>What the first start generates, and which starts are refused.</summary>
public sealed class StartupTests : IDisposable
{
    readonly string dataDirectory = Directory.CreateTempSubdirectory("outboundvault-startup-").FullName;

    VaultFactory Start(Dictionary<string, string?> settings)
    {
        var factory = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, settings);
        _ = factory.Server;
        return factory;
    }

    static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    [SkippableFact]
    public async Task The_first_start_without_keys_generates_a_management_key_that_every_restart_accepts()
    {
        var noKeys = new Dictionary<string, string?> { ["Management:ProjectId"] = null, ["Management:Keys:0"] = null };
        string bearer;
        await using (var first = Start(noKeys))
        {
            var keyFile = Path.Combine(dataDirectory, "initial-management-key");
            File.Exists(keyFile).Should().BeTrue();
            if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            bearer = File.ReadAllText(keyFile).Trim();
            bearer.Should().MatchRegex("^P[A-Za-z0-9]{27}:[A-Za-z0-9]{48}$");
            var client = first.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            (await client.GetAsync("/v1/mgmt/outbound/apps")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            first.Logs.All.Should().NotContain(bearer.Split(':')[1], "the key is printed once to the console, never logged");
        }

        SqliteConnection.ClearAllPools();
        var database = await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "outboundvault.db"));
        System.Text.Encoding.UTF8.GetString(database).Should().NotContain(bearer.Split(':')[1], "only the hash is stored");
        File.Delete(Path.Combine(dataDirectory, "initial-management-key"));

        await using var second = Start(noKeys);
        File.Exists(Path.Combine(dataDirectory, "initial-management-key")).Should().BeFalse("the key is generated once");
        var again = second.CreateClient();
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        (await again.GetAsync("/v1/mgmt/outbound/apps")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task The_embedded_mode_generates_an_encryption_key_file_once()
    {
        await using (Start([]))
        {
        }
        var keyFile = Path.Combine(dataDirectory, "encryption.key");
        var generated = File.ReadAllText(keyFile).Trim();
        KeyRing.Parse(generated, 0).Key.Should().HaveCount(32);
        await using (Start([])) { }
        File.ReadAllText(keyFile).Trim().Should().Be(generated);
    }

    [SkippableFact]
    public async Task A_start_with_ciphertext_that_no_configured_key_opens_fails_with_a_clear_message()
    {
        var keyA = KeyRing.Format("keyA", Enumerable.Repeat((byte)1, 32).ToArray());
        var keyB = KeyRing.Format("keyB", Enumerable.Repeat((byte)2, 32).ToArray());
        await using (var first = Start(new() { ["Encryption:Keys:0"] = keyA }))
        {
            var created = await first.CreateManagementClient().PostJson("/v1/mgmt/outbound/app/create", """{"name":"x","clientSecret":"sealed-with-a"}""");
            await created.ShouldBeOk();
        }
        await using var second = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, new Dictionary<string, string?> { ["Encryption:Keys:0"] = keyB });
        var act = () => second.Server;
        var message = Innermost(act.Should().Throw<Exception>().Which).Message;
        message.Should().Contain("'keyA'").And.Contain("Encryption:Keys").And.NotContain(keyA.Split(':')[1]);

        await using var rotated = Start(new() { ["Encryption:Keys:0"] = keyB, ["Encryption:Keys:1"] = keyA });
        var apps = await (await rotated.CreateManagementClient().GetAsync("/v1/mgmt/outbound/apps")).ShouldBeOk();
        apps["apps"]!.AsArray().Should().ContainSingle();
    }

    [SkippableFact]
    public void An_unknown_database_provider_is_refused()
    {
        using var factory = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, new Dictionary<string, string?> { ["Database:Provider"] = "Oracle" });
        var act = () => factory.Server;
        Innermost(act.Should().Throw<Exception>().Which).Message.Should().Contain("Database:Provider");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Several instances share PostgreSQL, so they must share configured keys.</summary>
public sealed class StartupTests_Postgres
{
    [SkippableFact]
    public async Task Postgres_without_configured_encryption_keys_refuses_to_start()
    {
        var connection = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var factory = new VaultFactory(DatabaseKind.Postgres, Path.GetTempPath(), connection, new Dictionary<string, string?> { ["Encryption:Keys:0"] = null });
            var act = () => factory.Server;
            var error = act.Should().Throw<Exception>().Which;
            while (error.InnerException is not null) error = error.InnerException;
            error.Message.Should().Contain("Encryption:Keys is required");
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connection);
        }
    }
}
