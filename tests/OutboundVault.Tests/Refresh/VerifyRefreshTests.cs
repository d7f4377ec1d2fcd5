using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Refresh;

/// <summary>verifyRefresh on token upload performs a real refresh and stores the provider's pair, or nothing.</summary>
public abstract class VerifyRefreshTests(VaultFixture fixture)
{
    static Task<HttpResponseMessage> Upload(RefreshKit kit, string userId, string refreshToken) =>
        kit.Management.PostJson($"{RefreshKit.Outbound}/app/user/oauthtoken/upload", new
        {
            appId = kit.AppId, userId, refreshToken, accessToken = "uploaded-access", accessTokenExpiry = 1900000000, scopes = new[] { "read" }, verifyRefresh = true,
        });

    static async Task<int> RowCount(RefreshKit kit)
    {
        await using var scope = kit.Vault.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.CountAsync(t => t.AppId == kit.AppId);
    }

    [SkippableFact]
    public async Task An_upload_with_verifyRefresh_stores_the_pair_the_provider_answered()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var uploaded = kit.Fake.IssueRefreshToken("read write");

        await (await Upload(kit, "verified-user", uploaded)).ShouldBeOk();

        kit.Fake.RefreshCalls.Should().Be(1);
        var token = (await (await kit.Management.PostJson($"{RefreshKit.Outbound}/app/user/token/latest",
            new { appId = kit.AppId, userId = "verified-user", options = new { withRefreshToken = true } })).ShouldBeOk())["token"]!;
        token["accessToken"]!.GetValue<string>().Should().StartWith("at_", "the provider's access token replaces the uploaded one");
        token["refreshToken"]!.GetValue<string>().Should().NotBe(uploaded, "the uploaded refresh token was rotated away by the verification");
        token["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().BeEquivalentTo("read", "write");
        long.Parse(token["accessTokenExpiry"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), 120);
        kit.Fake.RefreshCalls.Should().Be(1, "the fresh token needs no further refresh");
        fixture.Vault.Logs.All.Should().NotContain(uploaded);
    }

    [SkippableFact]
    public async Task A_refused_refresh_token_is_a_400_and_nothing_is_stored()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var error = await (await Upload(kit, "refused-user", "rt_never_issued")).ShouldBeError(400, "E011003");
        error["errorMessage"]!.GetValue<string>().Should().Contain("verifyRefresh").And.Contain("invalid_grant").And.NotContain("rt_never_issued");
        (await RowCount(kit)).Should().Be(0);
    }

    [SkippableFact]
    public async Task A_provider_failure_is_a_502_and_nothing_is_stored()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var uploaded = kit.Fake.IssueRefreshToken("read");
        kit.Fake.FailNext(1, FakeFailure.ServerError);
        var error = await (await Upload(kit, "unverified-user", uploaded)).ShouldBeError(502, "E081502");
        error["errorMessage"]!.GetValue<string>().Should().Contain("nothing was stored");
        (await RowCount(kit)).Should().Be(0);
    }
}

public sealed class VerifyRefreshTests_Sqlite(SqliteRefreshVault fixture) : VerifyRefreshTests(fixture), IClassFixture<SqliteRefreshVault>;

public sealed class VerifyRefreshTests_Postgres(PostgresRefreshVault fixture) : VerifyRefreshTests(fixture), IClassFixture<PostgresRefreshVault>;
