using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Tokens;

/// <summary>Secrets at rest are ciphertext bound to their row: raw storage never shows them, and tampering fails closed.</summary>
public abstract class TokenEncryptionTests(VaultFixture fixture)
{
    readonly TokenApi api = new(fixture.Management);

    async Task Sql(FormattableString sql)
    {
        await using var scope = fixture.Vault.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Database.ExecuteSqlAsync(sql)).Should().Be(1);
    }

    async Task<string> Cipher(string tokenId)
    {
        await using var scope = fixture.Vault.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.AsNoTracking().SingleAsync(t => t.Id == tokenId)).AccessTokenCipher!;
    }

    [SkippableFact]
    public async Task Raw_storage_holds_no_secret_in_plaintext()
    {
        var owner = TestApps.NewId("owner");
        var secrets = new[] { "client", "access", "refresh", "tenant-access", "apikey", "tenant-apikey" }.ToDictionary(k => k, TokenApi.Secret);
        var app = TestApps.NewId("enc");
        await (await api.Post("app/create", new { id = app, name = "enc", clientSecret = secrets["client"], tokenUrl = TokenApi.LoopbackTokenUrl })).ShouldBeOk();
        var keys = await api.CreateApiKeyApp();
        await api.UploadUserToken(new { appId = app, userId = owner, accessToken = secrets["access"], refreshToken = secrets["refresh"] });
        var batch = await (await api.Post("app/tenant/oauthtoken/batch/upload", new { tokens = new[] { new { appId = app, tenantId = owner, accessToken = secrets["tenant-access"] } } })).ShouldBeOk();
        batch["failures"]!.AsArray().Should().BeEmpty();
        await (await api.Post("app/user/apikey/upload", new { appId = keys, userId = owner, apiKey = secrets["apikey"] })).ShouldBeOk();
        await (await api.Post("app/tenant/apikey/upload", new { appId = keys, tenantId = owner, apiKey = secrets["tenant-apikey"] })).ShouldBeOk();
        (await api.Fetch("app/user/token/latest", new { appId = app, userId = owner }))["accessToken"]!.GetValue<string>().Should().Be(secrets["access"]);

        var raw = await RawDatabaseText.ReadAsync(fixture);

        raw.Should().Contain(owner, "the scan reads the stored rows (owner ids are not secret)");
        foreach (var (what, secret) in secrets) raw.Should().NotContain(secret, $"the {what} secret is stored encrypted");
        raw.Should().Contain("v2:", "secrets are stored as versioned envelopes");
    }

    [SkippableFact]
    public async Task Tampered_ciphertext_fails_closed_with_the_error_body_and_a_log_line_without_secrets()
    {
        var app = await api.CreateOAuthApp();
        var user = TestApps.NewId("user");
        var access = TokenApi.Secret("access");
        await api.UploadUserToken(new { appId = app, userId = user, accessToken = access });
        var id = (await api.Fetch("app/user/token/latest", new { appId = app, userId = user }))["id"]!.GetValue<string>();

        var cipher = await Cipher(id);
        var body = Convert.FromBase64String(cipher[(cipher.LastIndexOf(':') + 1)..]);
        body[^20] ^= 0x01;
        var tampered = cipher[..(cipher.LastIndexOf(':') + 1)] + Convert.ToBase64String(body);
        await Sql($"""UPDATE outbound_tokens SET "AccessTokenCipher" = {tampered} WHERE "Id" = {id}""");

        var response = await api.Post("app/user/token/latest", new { appId = app, userId = user });
        var error = await response.ShouldBeError(500, "E081520");
        error["errorMessage"]!.GetValue<string>().Should().Contain("accessToken").And.NotContain(access);
        fixture.Vault.Logs.Lines.Should().Contain(l => l.Contains("could not be decrypted", StringComparison.Ordinal) && l.Contains(user, StringComparison.Ordinal));
        fixture.Vault.Logs.All.Should().NotContain(access);
    }

    [SkippableFact]
    public async Task A_row_moved_to_another_owner_or_app_fails_closed()
    {
        var (app, other) = (await api.CreateOAuthApp(), await api.CreateOAuthApp());
        var (victim, attacker) = (TestApps.NewId("victim"), TestApps.NewId("attacker"));
        var (access, refresh) = (TokenApi.Secret("access"), TokenApi.Secret("refresh"));
        await api.UploadUserToken(new { appId = app, userId = victim, accessToken = access, refreshToken = refresh });
        var id = (await api.Fetch("app/user/token/latest", new { appId = app, userId = victim }))["id"]!.GetValue<string>();

        await Sql($"""UPDATE outbound_tokens SET "UserId" = {attacker} WHERE "Id" = {id}""");
        var moved = await (await api.Post("app/user/token/latest", new { appId = app, userId = attacker, options = new { withRefreshToken = true } })).ShouldBeError(500, "E081520");
        moved.ToJsonString().Should().NotContain(access).And.NotContain(refresh);
        await (await api.Post("app/user/token/latest", new { appId = app, userId = victim })).ShouldBeError(404, "E081404");

        await Sql($"""UPDATE outbound_tokens SET "UserId" = {victim}, "TenantId" = {"t1"} WHERE "Id" = {id}""");
        await (await api.Post("app/user/token/latest", new { appId = app, userId = victim, tenantId = "t1" })).ShouldBeError(500, "E081520");

        await Sql($"""UPDATE outbound_tokens SET "TenantId" = {""}, "AppId" = {other} WHERE "Id" = {id}""");
        await (await api.Post("app/user/token/latest", new { appId = other, userId = victim })).ShouldBeError(500, "E081520");

        await Sql($"""UPDATE outbound_tokens SET "AppId" = {app} WHERE "Id" = {id}""");
        (await api.Fetch("app/user/token/latest", new { appId = app, userId = victim }))["accessToken"]!.GetValue<string>().Should().Be(access, "back in its place it opens again");
        fixture.Vault.Logs.All.Should().NotContain(access).And.NotContain(refresh);
    }

    [SkippableFact]
    public async Task A_tampered_refresh_token_fails_only_when_it_is_asked_for()
    {
        var app = await api.CreateOAuthApp();
        var user = TestApps.NewId("user");
        await api.UploadUserToken(new { appId = app, userId = user, accessToken = "visible", refreshToken = TokenApi.Secret("refresh") });
        var id = (await api.Fetch("app/user/token/latest", new { appId = app, userId = user }))["id"]!.GetValue<string>();
        await Sql($"""UPDATE outbound_tokens SET "RefreshTokenCipher" = {"v1:test1:AAAA"} WHERE "Id" = {id}""");

        (await api.Fetch("app/user/token/latest", new { appId = app, userId = user }))["accessToken"]!.GetValue<string>().Should().Be("visible");
        var error = await (await api.Post("app/user/token/latest", new { appId = app, userId = user, options = new { withRefreshToken = true } })).ShouldBeError(500, "E081520");
        error["errorMessage"]!.GetValue<string>().Should().Contain("refreshToken");
    }

    [SkippableFact]
    public async Task Ciphertext_swapped_between_two_tokens_of_one_owner_and_app_fails_closed()
    {
        var app = await api.CreateOAuthApp();
        var user = TestApps.NewId("user");
        await api.UploadUserToken(new { appId = app, userId = user, accessToken = TokenApi.Secret("read"), scopes = new[] { "read" } });
        await api.UploadUserToken(new { appId = app, userId = user, accessToken = TokenApi.Secret("write"), scopes = new[] { "write" } });
        var readId = (await api.Fetch("app/user/token", new { appId = app, userId = user, scopes = new[] { "read" } }))["id"]!.GetValue<string>();
        var writeId = (await api.Fetch("app/user/token", new { appId = app, userId = user, scopes = new[] { "write" } }))["id"]!.GetValue<string>();
        var writeCipher = await Cipher(writeId);
        await Sql($"""UPDATE outbound_tokens SET "AccessTokenCipher" = {writeCipher} WHERE "Id" = {readId}""");

        var swapped = await api.Post("app/user/token", new { appId = app, userId = user, scopes = new[] { "read" } });

        await swapped.ShouldBeError(500, "E081520");
    }

    [SkippableFact]
    public async Task A_v1_envelope_still_opens_and_the_reencrypt_command_reseals_it_bound_to_its_row()
    {
        var app = await api.CreateOAuthApp();
        var user = TestApps.NewId("user");
        var access = TokenApi.Secret("access");
        await api.UploadUserToken(new { appId = app, userId = user, accessToken = "placeholder" });
        var id = (await api.Fetch("app/user/token/latest", new { appId = app, userId = user }))["id"]!.GetValue<string>();
        await Sql($"""UPDATE outbound_tokens SET "AccessTokenCipher" = {SealV1(access, OutboundVault.Security.SecretContext.Token(app, user, "", id, "accessToken"))} WHERE "Id" = {id}""");
        (await api.Fetch("app/user/token/latest", new { appId = app, userId = user }))["accessToken"]!.GetValue<string>().Should().Be(access);

        await using (var scope = fixture.Vault.Services.CreateAsyncScope())
            await ActivatorUtilities.CreateInstance<OutboundVault.Security.ReencryptCommand>(scope.ServiceProvider).RunAsync(CancellationToken.None);

        ((await Cipher(id))[..3], (await api.Fetch("app/user/token/latest", new { appId = app, userId = user }))["accessToken"]!.GetValue<string>())
            .Should().Be(("v2:", access));
    }

    /// <summary>An envelope as versions before v2 wrote it: AES-GCM bound to app, owner and column only.</summary>
    string SealV1(string plaintext, OutboundVault.Security.SecretContext context)
    {
        var ring = fixture.Vault.Services.GetRequiredService<OutboundVault.Security.KeyRing>();
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[12 + plain.Length + 16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new System.Security.Cryptography.AesGcm(ring.Primary, 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), context.LegacyBytes);
        return $"v1:{ring.PrimaryId}:{Convert.ToBase64String(sealedBytes)}";
    }
}

public sealed class TokenEncryptionTests_Sqlite(SqliteVault fixture) : TokenEncryptionTests(fixture), IClassFixture<SqliteVault>;

public sealed class TokenEncryptionTests_Postgres(PostgresVault fixture) : TokenEncryptionTests(fixture), IClassFixture<PostgresVault>;
