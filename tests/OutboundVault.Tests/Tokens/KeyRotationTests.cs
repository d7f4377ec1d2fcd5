using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Connect;
using OutboundVault.Data;
using OutboundVault.Security;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Tokens;

/// <summary>Encryption keys for rotation tests: every vault of these fixtures starts on key A.</summary>
public static class RotationKeys
{
    public static readonly string A = KeyRing.Format("keyA", Enumerable.Repeat((byte)0xA1, 32).ToArray());
    public static readonly string B = KeyRing.Format("keyB", Enumerable.Repeat((byte)0xB2, 32).ToArray());

    public static Dictionary<string, string?> Ring(params string[] keys) =>
        Enumerable.Range(0, 3).ToDictionary(i => $"Encryption:Keys:{i}", i => i < keys.Length ? keys[i] : null);
}

public sealed class RotationSqliteVault() : VaultFixture(DatabaseKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => RotationKeys.Ring(RotationKeys.A);
}

public sealed class RotationPostgresVault() : VaultFixture(DatabaseKind.Postgres)
{
    protected override IReadOnlyDictionary<string, string?> Settings => RotationKeys.Ring(RotationKeys.A);
}

/// <summary>
/// A new primary key keeps old rows readable; <c>reencrypt</c> moves every secret (app client secrets, tokens,
/// pending connections' PKCE verifiers) to it, after which the old key can go. One test per class: the
/// counts cover the whole database.
/// </summary>
public abstract class KeyRotationTests(VaultFixture fixture)
{
    static async Task<ReencryptReport> Reencrypt(WebApplicationFactory<Program> vault, int batchSize)
    {
        await using var scope = vault.Services.CreateAsyncScope();
        var command = ActivatorUtilities.CreateInstance<ReencryptCommand>(scope.ServiceProvider);
        command.BatchSize = batchSize;
        return await command.RunAsync(CancellationToken.None);
    }

    static async Task<T> WithDb<T>(WebApplicationFactory<Program> vault, Func<VaultDbContext, Task<T>> work)
    {
        await using var scope = vault.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<VaultDbContext>());
    }

    [SkippableFact]
    public async Task Rotating_to_a_new_primary_then_reencrypting_lets_the_old_key_go()
    {
        var onA = new TokenApi(fixture.Management);
        var secret = TokenApi.Secret("client");
        var app = TestApps.NewId("rot");
        await (await onA.Post("app/create", new { id = app, name = "rot", clientSecret = secret, tokenUrl = TokenApi.LoopbackTokenUrl })).ShouldBeOk();
        var keys = await onA.CreateApiKeyApp();
        var (access, refresh) = (TokenApi.Secret("access"), TokenApi.Secret("refresh"));
        await onA.UploadUserToken(new { appId = app, userId = "u1", accessToken = access, refreshToken = refresh });
        await onA.UploadUserToken(new { appId = app, userId = "u2", accessToken = "a2", scopes = new[] { "s" } });
        await onA.UploadTenantToken(new { appId = app, tenantId = "t1", accessToken = "tenant-access", refreshToken = "tenant-refresh" });
        await (await onA.Post("app/user/apikey/upload", new { appId = keys, userId = "u1", apiKey = "key-u1" })).ShouldBeOk();
        var (stateHash, verifier) = (new string('c', 64), TokenApi.Secret("verifier"));
        await AddPendingConnection(fixture.Vault, app, stateHash, verifier);

        // A new primary: old rows stay readable, new secrets go under B.
        var rotated = fixture.Start(RotationKeys.Ring(RotationKeys.B, RotationKeys.A));
        var onB = new TokenApi(rotated.CreateManagementClient());
        var fetched = await onB.Fetch("app/user/token/latest", new { appId = app, userId = "u1", options = new { withRefreshToken = true } });
        fetched["accessToken"]!.GetValue<string>().Should().Be(access);
        fetched["refreshToken"]!.GetValue<string>().Should().Be(refresh);
        await (await onB.Post("app/tenant/apikey/upload", new { appId = keys, tenantId = "t1", apiKey = "key-t1" })).ShouldBeOk();

        await using (var withoutA = new VaultFactory(fixture.Kind, fixture.DataDirectory, fixture.PostgresConnection, RotationKeys.Ring(RotationKeys.B)))
        {
            var start = () => withoutA.Server;
            start.Should().Throw<Exception>("rows sealed with key A remain").Which.ToString().Should().Contain("'keyA'");
        }

        var report = await Reencrypt(rotated, batchSize: 2);
        report.PrimaryKeyId.Should().Be("keyB");
        report.Tables.Select(t => (t.Reencrypted, t.AlreadyOnPrimary, t.Skipped, t.Unreadable)).Should().Equal((1, 0, 0, 0), (4, 1, 0, 0), (1, 0, 0, 0));
        report.KeysInUse.Should().Equal("keyB");
        report.Complete.Should().BeTrue();
        var output = new StringWriter();
        report.WriteTo(output);
        output.ToString().Should().Contain("4 re-encrypted, 1 already on the primary key").And.NotContain(access).And.NotContain(secret);

        var rows = await WithDb(rotated, db => db.Tokens.AsNoTracking().ToListAsync());
        rows.Should().OnlyContain(r => r.KeyId == "keyB"
            && (r.AccessTokenCipher == null || r.AccessTokenCipher.StartsWith("v2:keyB:", StringComparison.Ordinal))
            && (r.RefreshTokenCipher == null || r.RefreshTokenCipher.StartsWith("v2:keyB:", StringComparison.Ordinal)));
        (await Reencrypt(rotated, batchSize: 500)).Tables.Select(t => (t.Reencrypted, t.AlreadyOnPrimary)).Should().Equal((0, 1), (0, 5), (0, 1));

        // Key A removed: the vault starts and every secret still opens.
        var onlyB = fixture.Start(RotationKeys.Ring(RotationKeys.B));
        var api = new TokenApi(onlyB.CreateManagementClient());
        var again = await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1", options = new { withRefreshToken = true } });
        again["accessToken"]!.GetValue<string>().Should().Be(access);
        again["refreshToken"]!.GetValue<string>().Should().Be(refresh);
        (await api.Fetch("app/user/token", new { appId = app, userId = "u2", scopes = new[] { "s" } }))["accessToken"]!.GetValue<string>().Should().Be("a2");
        (await api.Fetch("app/user/token/latest", new { appId = keys, userId = "u1" }))["accessToken"]!.GetValue<string>().Should().Be("key-u1");
        var protector = onlyB.Services.GetRequiredService<SecretProtector>();
        var appCipher = await WithDb(onlyB, db => db.Apps.AsNoTracking().Where(a => a.Id == app).Select(a => a.ClientSecretCipher!).SingleAsync());
        protector.Unprotect(appCipher, SecretContext.AppClientSecret(app)).Should().Be(secret);
        var verifierCipher = await WithDb(onlyB, db => db.PendingConnections.AsNoTracking().Where(p => p.StateHash == stateHash).Select(p => p.CodeVerifierCipher!).SingleAsync());
        protector.Unprotect(verifierCipher, SecretContext.PendingConnection(stateHash, "codeVerifier")).Should().Be(verifier);
        onlyB.Logs.All.Should().NotContain(access).And.NotContain(refresh).And.NotContain(secret);
        rotated.Logs.All.Should().NotContain(access).And.NotContain(refresh).And.NotContain(secret);
    }

    internal static async Task AddPendingConnection(WebApplicationFactory<Program> vault, string appId, string stateHash, string verifier)
    {
        var protector = vault.Services.GetRequiredService<SecretProtector>();
        await WithDb(vault, async db =>
        {
            db.PendingConnections.Add(new PendingConnection
            {
                StateHash = stateHash, AppId = appId, UserId = "u1", CallbackUri = "http://127.0.0.1/callback",
                CodeVerifierCipher = protector.Protect(verifier, SecretContext.PendingConnection(stateHash, "codeVerifier")),
                CreatedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddMinutes(10),
            });
            return await db.SaveChangesAsync();
        });
    }
}

public sealed class KeyRotationTests_Sqlite(RotationSqliteVault fixture) : KeyRotationTests(fixture), IClassFixture<RotationSqliteVault>;

public sealed class KeyRotationTests_Postgres(RotationPostgresVault fixture) : KeyRotationTests(fixture), IClassFixture<RotationPostgresVault>;

/// <summary>Rows the command must not touch: a token a refresh holds right now, and ciphertext no key opens.</summary>
public abstract class ReencryptGuardTests(VaultFixture fixture)
{
    [SkippableFact]
    public async Task A_leased_token_is_skipped_and_an_unreadable_one_reported_then_a_second_run_finishes()
    {
        var onA = new TokenApi(fixture.Management);
        var app = await onA.CreateOAuthApp();
        foreach (var user in new[] { "leased", "tampered", "plain" })
            await onA.UploadUserToken(new { appId = app, userId = user, accessToken = TokenApi.Secret(user), refreshToken = "r" });
        var rotated = fixture.Start(RotationKeys.Ring(RotationKeys.B, RotationKeys.A));
        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            await db.Tokens.Where(t => t.UserId == "leased").ExecuteUpdateAsync(s => s
                .SetProperty(t => t.LeaseOwner, "another-instance").SetProperty(t => t.LeaseExpiresAt, DateTime.UtcNow.AddMinutes(5)));
            await db.Tokens.Where(t => t.UserId == "tampered").ExecuteUpdateAsync(s => s.SetProperty(t => t.AccessTokenCipher, "v1:keyA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        }

        await using var first = rotated.Services.CreateAsyncScope();
        var report = await ActivatorUtilities.CreateInstance<ReencryptCommand>(first.ServiceProvider).RunAsync(CancellationToken.None);
        var tokens = report.Tables[1];
        (tokens.Reencrypted, tokens.Skipped, tokens.Unreadable).Should().Be((1, 1, 1));
        report.Complete.Should().BeFalse();
        report.KeysInUse.Should().Equal("keyA", "keyB");
        rotated.Logs.Lines.Should().Contain(l => l.Contains("could not be decrypted", StringComparison.Ordinal) && l.Contains("tampered", StringComparison.Ordinal));

        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            await db.Tokens.Where(t => t.UserId == "leased").ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
            await db.Tokens.Where(t => t.UserId == "tampered").ExecuteDeleteAsync();
        }
        await using var second = rotated.Services.CreateAsyncScope();
        var rerun = await ActivatorUtilities.CreateInstance<ReencryptCommand>(second.ServiceProvider).RunAsync(CancellationToken.None);
        (rerun.Tables[1].Reencrypted, rerun.Tables[1].AlreadyOnPrimary).Should().Be((1, 1), "an expired lease no longer protects the row");
        rerun.Complete.Should().BeTrue();
        rerun.KeysInUse.Should().Equal("keyB");
    }
}

public sealed class ReencryptGuardTests_Sqlite(RotationSqliteVault fixture) : ReencryptGuardTests(fixture), IClassFixture<RotationSqliteVault>;

public sealed class ReencryptGuardTests_Postgres(RotationPostgresVault fixture) : ReencryptGuardTests(fixture), IClassFixture<RotationPostgresVault>;
