using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Refresh;

/// <summary>Deleted tokens are revoked at their provider (RFC 7009), off the delete's path and best effort.</summary>
public abstract class RevocationTests(VaultFixture fixture)
{
    [SkippableFact]
    public async Task Deleting_a_token_by_id_revokes_its_refresh_and_access_tokens()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddHours(1));
        var (access, refresh) = kit.Secrets(token);

        await (await kit.Management.DeleteAsync($"{RefreshKit.Outbound}/token?id={token.Id}")).ShouldBeOk();

        await Eventually.TrueAsync(() => kit.Fake.RevokedTokens.Count == 2, "both tokens are revoked in the background");
        kit.Fake.RevokedTokens.Should().Equal(refresh, access);
        await Eventually.TrueAsync(() => fixture.Vault.Logs.All.Contains($"Revoked deleted token {token.Id}", StringComparison.Ordinal), "the outcome is logged");
        fixture.Vault.Logs.All.Should().NotContain(refresh!).And.NotContain(access!);
    }

    [SkippableFact]
    public async Task Deleting_a_users_tokens_by_app_revokes_each_of_them()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var first = await kit.SeedAsync(kit.Now.AddHours(1));
        var second = await kit.SeedAsync(kit.Now.AddHours(1));

        await (await kit.Management.DeleteAsync($"{RefreshKit.Outbound}/user/tokens?appId={kit.AppId}")).ShouldBeOk();

        await Eventually.TrueAsync(() => kit.Fake.RevokedTokens.Count == 4, "two tokens of two rows are revoked");
        kit.Fake.RevokedTokens.Should().Contain([kit.Secrets(first).Refresh!, kit.Secrets(second).Refresh!]);
    }

    [SkippableFact]
    public async Task A_failing_revocation_endpoint_does_not_fail_the_delete()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { FailRevocation = true });
        var token = await kit.SeedAsync(kit.Now.AddHours(1));
        var refresh = kit.Secrets(token).Refresh!;

        await (await kit.Management.DeleteAsync($"{RefreshKit.Outbound}/token?id={token.Id}")).ShouldBeOk();

        (await kit.ExistsAsync(token.Id)).Should().BeFalse();
        await Eventually.TrueAsync(() => kit.Fake.Revocations == 2, "both revocations were attempted");
        await Eventually.TrueAsync(() => fixture.Vault.Logs.All.Contains($"of deleted token {token.Id} (app {kit.AppId}) failed", StringComparison.Ordinal),
            "the failure is logged");
        fixture.Vault.Logs.All.Should().NotContain(refresh);
    }

    [SkippableFact]
    public async Task An_app_without_a_revocation_endpoint_is_not_called()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, withRevocation: false);
        var token = await kit.SeedAsync(kit.Now.AddHours(1));
        await (await kit.Management.DeleteAsync($"{RefreshKit.Outbound}/token?id={token.Id}")).ShouldBeOk();
        await Eventually.TrueAsync(() => fixture.Vault.Logs.All.Contains($"Token {token.Id} was not revoked: app {kit.AppId} has no revocation endpoint", StringComparison.Ordinal),
            "the skip is logged");
        kit.Fake.Revocations.Should().Be(0);
    }

    [SkippableFact]
    public async Task Deleting_an_app_revokes_the_tokens_that_go_with_it()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddHours(1));
        var (access, refresh) = kit.Secrets(token);

        await (await kit.Management.PostJson($"{RefreshKit.Outbound}/app/delete", new { id = kit.AppId })).ShouldBeOk();

        (await kit.ExistsAsync(token.Id)).Should().BeFalse("tokens go with their app");
        await Eventually.TrueAsync(() => kit.Fake.RevokedTokens.Count == 2, "the deleted app's revocation endpoint is still known");
        kit.Fake.RevokedTokens.Should().Equal(refresh, access);
    }
}

public sealed class RevocationTests_Sqlite(SqliteRefreshVault fixture) : RevocationTests(fixture), IClassFixture<SqliteRefreshVault>;

public sealed class RevocationTests_Postgres(PostgresRefreshVault fixture) : RevocationTests(fixture), IClassFixture<PostgresRefreshVault>;
