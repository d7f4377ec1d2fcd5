using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Refresh;

/// <summary>POST /v1/mgmt/outbound/token/refresh: the console's "refresh now".</summary>
public abstract class ManualRefreshTests(VaultFixture fixture)
{
    static Task<HttpResponseMessage> RefreshNow(RefreshKit kit, string json) => kit.Management.PostJson($"{RefreshKit.Outbound}/token/refresh", json);

    [SkippableFact]
    public async Task Refreshes_now_and_answers_the_metadata_without_secrets()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddHours(2));
        var response = await RefreshNow(kit, $$"""{"id":"{{token.Id}}"}""");
        var text = await response.Content.ReadAsStringAsync();
        var body = (await response.ShouldBeOk())["token"]!;

        kit.Fake.RefreshCalls.Should().Be(1);
        var stored = await kit.ReadAsync(token.Id);
        var (access, refresh) = kit.Secrets(stored);
        body["id"]!.GetValue<string>().Should().Be(token.Id);
        body["appId"]!.GetValue<string>().Should().Be(kit.AppId);
        body["status"]!.GetValue<string>().Should().Be("valid");
        body["hasRefreshToken"]!.GetValue<bool>().Should().BeTrue();
        body["lastRefreshTime"]!.GetValue<long>().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 120);
        body["accessTokenExpiry"]!.GetValue<long>().Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), 120);
        text.Should().NotContain(access!).And.NotContain(refresh!).And.NotContain(kit.Secrets(token).Refresh!);
    }

    [SkippableTheory]
    [InlineData("{}", 400, "E011002")]
    [InlineData("""{"id":""}""", 400, "E011002")]
    [InlineData("""{"id":"not a valid id!"}""", 400, "E011003")]
    [InlineData("""{"id":"OTunknown0000000000000000000"}""", 404, "E081404")]
    public async Task Bad_or_unknown_ids_are_clear_errors(string json, int status, string code)
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var error = await (await RefreshNow(kit, json)).ShouldBeError(status, code);
        error["errorMessage"]!.GetValue<string>().Should().Contain("id");
    }

    [SkippableFact]
    public async Task Api_keys_and_tokens_without_refresh_token_cannot_be_refreshed()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var key = await kit.SeedAsync(null, kind: TokenKinds.ApiKey);
        (await (await RefreshNow(kit, $$"""{"id":"{{key.Id}}"}""")).ShouldBeError(400, "E011003"))["errorMessage"]!
            .GetValue<string>().Should().Contain("API key");
        var bare = await kit.SeedAsync(kit.Now.AddHours(1), withRefreshToken: false);
        (await (await RefreshNow(kit, $$"""{"id":"{{bare.Id}}"}""")).ShouldBeError(400, "E011003"))["errorMessage"]!
            .GetValue<string>().Should().Contain("refresh token");
        kit.Fake.RefreshCalls.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_provider_failure_is_reported_even_while_the_old_token_is_valid()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddHours(1));
        kit.Fake.FailNext(1, FakeFailure.ServerError);
        (await (await RefreshNow(kit, $$"""{"id":"{{token.Id}}"}""")).ShouldBeError(502, "E081502"))["errorMessage"]!
            .GetValue<string>().Should().Contain("HTTP 500");
        (await kit.ReadAsync(token.Id)).RefreshAttempts.Should().Be(1);
    }

    [SkippableFact]
    public async Task A_refused_refresh_token_answers_reconnect_required()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddHours(1));
        kit.Fake.FailNext(1, FakeFailure.InvalidGrant);
        await (await RefreshNow(kit, $$"""{"id":"{{token.Id}}"}""")).ShouldBeError(404, "E081410");
        (await kit.ReadAsync(token.Id)).Status.Should().Be(TokenStatuses.NeedsReconnect);
        await (await RefreshNow(kit, $$"""{"id":"{{token.Id}}"}""")).ShouldBeError(404, "E081410");
        kit.Fake.RefreshCalls.Should().Be(1);
    }
}

public sealed class ManualRefreshTests_Sqlite(SqliteRefreshVault fixture) : ManualRefreshTests(fixture), IClassFixture<SqliteRefreshVault>;

public sealed class ManualRefreshTests_Postgres(PostgresRefreshVault fixture) : ManualRefreshTests(fixture), IClassFixture<PostgresRefreshVault>;
