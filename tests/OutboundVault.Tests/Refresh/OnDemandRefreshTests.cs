using System.Text.Json.Nodes;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Refresh;

/// <summary>The fetch path: refresh when the token expires within Refresh:MinValidity or on forceRefresh, once.</summary>
public abstract class OnDemandRefreshTests(RefreshVault fixture)
{
    static Task<HttpResponseMessage> Fetch(RefreshKit kit, OutboundToken token, bool force = false, HttpClient? client = null) =>
        (client ?? kit.Management).PostJson($"{RefreshKit.Outbound}/app/user/token/latest",
            new { appId = kit.AppId, userId = token.UserId, options = new { forceRefresh = force, withRefreshToken = true } });

    static async Task<JsonNode> FetchOk(RefreshKit kit, OutboundToken token, bool force = false) =>
        (await (await Fetch(kit, token, force)).ShouldBeOk())["token"]!;

    [SkippableFact]
    public async Task Two_hundred_concurrent_fetches_of_an_expired_token_make_one_provider_refresh()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { Latency = TimeSpan.FromMilliseconds(300) });
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-5));
        var originalRefresh = kit.Secrets(token).Refresh!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => FetchOk(kit, token)));

        kit.Fake.RefreshCalls.Should().Be(1);
        var accessTokens = responses.Select(r => r["accessToken"]!.GetValue<string>()).Distinct().ToList();
        accessTokens.Should().ContainSingle().Which.Should().StartWith("at_").And.NotStartWith("at_seed_");
        var stored = await kit.ReadAsync(token.Id);
        var (access, refresh) = kit.Secrets(stored);
        access.Should().Be(accessTokens[0]);
        refresh.Should().NotBe(originalRefresh, "the provider rotated it and the rotated one was stored");
        responses.Should().OnlyContain(r => r["refreshToken"]!.GetValue<string>() == refresh);
        stored.AccessTokenExpiresAt.Should().BeCloseTo(kit.Now.AddHours(1), TimeSpan.FromMinutes(1));
        stored.LastRefreshAt.Should().NotBeNull();
        stored.LeaseOwner.Should().BeNull();

        // The stored refresh token is the live one: a forced refresh with it succeeds.
        await FetchOk(kit, token, force: true);
        kit.Fake.RefreshCalls.Should().Be(2);
        kit.Fake.InvalidGrants.Should().Be(0);
        fixture.Vault.Logs.All.Should().NotContain(originalRefresh).And.NotContain(refresh!).And.NotContain(access!);
    }

    [SkippableFact]
    public async Task A_token_valid_beyond_MinValidity_is_handed_out_without_a_call()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddMinutes(2));
        var body = await FetchOk(kit, token);
        body["accessToken"]!.GetValue<string>().Should().Be(kit.Secrets(token).Access);
        kit.Fake.RefreshCalls.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_token_expiring_within_MinValidity_is_refreshed_first()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddSeconds(30));
        var body = await FetchOk(kit, token);
        body["accessToken"]!.GetValue<string>().Should().NotBe(kit.Secrets(token).Access);
        kit.Fake.RefreshCalls.Should().Be(1);
        long.Parse(body["accessTokenExpiry"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeSeconds());
    }

    [SkippableFact]
    public async Task Unknown_expiry_is_refreshed_only_on_forceRefresh()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(expiresAt: null);
        (await FetchOk(kit, token))["accessTokenExpiry"]!.GetValue<string>().Should().Be("0");
        kit.Fake.RefreshCalls.Should().Be(0);
        var forced = await FetchOk(kit, token, force: true);
        kit.Fake.RefreshCalls.Should().Be(1);
        forced["accessToken"]!.GetValue<string>().Should().NotBe(kit.Secrets(token).Access);
    }

    [SkippableFact]
    public async Task ForceRefresh_without_a_refresh_token_is_a_clear_400()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddHours(1), withRefreshToken: false);
        var body = await (await Fetch(kit, token, force: true)).ShouldBeError(400, "E011003");
        body["errorMessage"]!.GetValue<string>().Should().Contain("forceRefresh").And.Contain("refresh token");
        // Without force, an expired token without a refresh token is handed out as it is: nothing could refresh it.
        var expired = await kit.SeedAsync(kit.Now.AddMinutes(-1), withRefreshToken: false);
        await FetchOk(kit, expired);
        kit.Fake.RefreshCalls.Should().Be(0);
    }

    [SkippableFact]
    public async Task Api_keys_are_never_refreshed_even_when_forced()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var key = await kit.SeedAsync(null, kind: TokenKinds.ApiKey);
        var handedOut = await kit.Service<ITokenRefresher>().EnsureFreshAsync(key, force: true, CancellationToken.None);
        handedOut.Should().BeSameAs(key);
        kit.Fake.RefreshCalls.Should().Be(0);
    }

    [SkippableFact]
    public async Task An_answer_without_refresh_token_keeps_the_stored_one()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { RotateRefreshTokens = false });
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-1));
        var original = kit.Secrets(token);
        var body = await FetchOk(kit, token);
        var (access, refresh) = kit.Secrets(await kit.ReadAsync(token.Id));
        refresh.Should().Be(original.Refresh);
        access.Should().Be(body["accessToken"]!.GetValue<string>()).And.NotBe(original.Access);
        kit.Fake.RefreshCalls.Should().Be(1);
    }

    [SkippableFact]
    public async Task A_transient_failure_hands_out_the_still_valid_token_records_the_error_and_backs_off()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddSeconds(40));
        kit.Fake.FailNext(1, FakeFailure.ServerError);

        var body = await FetchOk(kit, token);
        body["accessToken"]!.GetValue<string>().Should().Be(kit.Secrets(token).Access);
        body["lastRefreshError"]!.GetValue<string>().Should().Contain("HTTP 500");
        var stored = await kit.ReadAsync(token.Id);
        stored.Status.Should().Be(TokenStatuses.Valid);
        stored.RefreshAttempts.Should().Be(1);
        stored.LastRefreshErrorAt.Should().BeCloseTo(kit.Now, TimeSpan.FromMinutes(1));
        stored.RefreshNotBefore.Should().BeCloseTo(kit.Now.AddSeconds(30), TimeSpan.FromSeconds(10));
        stored.LeaseOwner.Should().BeNull();
        kit.Secrets(stored).Refresh.Should().Be(kit.Secrets(token).Refresh);

        // While backing off, the still-valid token is handed out without asking the provider again.
        await FetchOk(kit, token);
        kit.Fake.RefreshCalls.Should().Be(1);
    }

    [SkippableTheory]
    [InlineData(FakeFailure.ServerError, "HTTP 500")]
    [InlineData(FakeFailure.Timeout, "did not answer")]
    [InlineData(FakeFailure.MalformedJson, "not a JSON object")]
    public async Task A_transient_failure_with_an_expired_token_is_a_502_and_the_next_fetch_recovers(FakeFailure failure, string reason)
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-1));
        var original = kit.Secrets(token);
        kit.Fake.FailNext(1, failure);
        // Only the failing call runs on a vault that gives up after a second; the recovery runs on the default.
        await using var impatient = fixture.WithProviderTimeout(TimeSpan.FromSeconds(1));
        using var client = impatient.CreateClient();
        client.DefaultRequestHeaders.Authorization = kit.Management.DefaultRequestHeaders.Authorization;

        var error = await (await Fetch(kit, token, client: client)).ShouldBeError(502, "E081502");
        error["errorMessage"]!.GetValue<string>().Should().Contain(reason).And.Contain("try again later");
        var stored = await kit.ReadAsync(token.Id);
        stored.Status.Should().Be(TokenStatuses.Valid);
        stored.RefreshAttempts.Should().Be(1);
        stored.LastRefreshError.Should().Contain(reason);
        kit.Secrets(stored).Refresh.Should().Be(original.Refresh, "no token is lost to a failed refresh");

        // Nothing usable is stored, so the next fetch asks again (back-off only spares tokens still valid).
        var body = await FetchOk(kit, token);
        body["accessToken"]!.GetValue<string>().Should().NotBe(original.Access);
        body.AsObject().ContainsKey("lastRefreshError").Should().BeFalse();
        kit.Fake.RefreshCalls.Should().Be(2);
        (await kit.ReadAsync(token.Id)).RefreshAttempts.Should().Be(0);
        fixture.Vault.Logs.All.Should().NotContain(original.Refresh!);
    }

    [SkippableFact]
    public async Task Invalid_grant_marks_the_token_for_reconnect_and_fetch_says_so()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-1));
        kit.Fake.FailNext(1, FakeFailure.InvalidGrant);

        var error = await (await Fetch(kit, token)).ShouldBeError(404, "E081410");
        error["errorMessage"]!.GetValue<string>().Should().Contain("connect again");
        var stored = await kit.ReadAsync(token.Id);
        stored.Status.Should().Be(TokenStatuses.NeedsReconnect);
        stored.LastRefreshError.Should().Contain("invalid_grant");
        stored.LeaseOwner.Should().BeNull();

        await (await Fetch(kit, token)).ShouldBeError(404, "E081410");
        await (await Fetch(kit, token, force: true)).ShouldBeError(404, "E081410");
        kit.Fake.RefreshCalls.Should().Be(1);
    }

    [SkippableFact]
    public async Task Invalid_grant_after_another_instance_refreshed_hands_out_that_instances_token()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { Latency = TimeSpan.FromMilliseconds(700) });
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-1));
        kit.Fake.FailNext(1, FakeFailure.InvalidGrant);

        var fetch = FetchOk(kit, token);
        await Eventually.TrueAsync(() => kit.Fake.RefreshCalls == 1);
        // Meanwhile another instance commits its refresh of the same row (its lease had expired, say).
        await kit.WriteSecretsAsync(token.Id, "at_other_instance", "rt_other_instance", kit.Now.AddHours(1));

        var body = await fetch;
        body["accessToken"]!.GetValue<string>().Should().Be("at_other_instance");
        (await kit.ReadAsync(token.Id)).Status.Should().Be(TokenStatuses.Valid);
    }

    [SkippableFact]
    public async Task A_fetch_waits_for_another_instances_lease_and_takes_its_token()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-1));
        await kit.UpdateAsync(token.Id, t => (t.LeaseOwner, t.LeaseExpiresAt) = ("other-instance/1/abc", kit.Now.AddMinutes(1)));

        var fetch = FetchOk(kit, token);
        await Task.Delay(500);
        fetch.IsCompleted.Should().BeFalse("the other instance still holds the lease");
        await kit.WriteSecretsAsync(token.Id, "at_from_lease_holder", "rt_from_lease_holder", kit.Now.AddHours(1));

        (await fetch)["accessToken"]!.GetValue<string>().Should().Be("at_from_lease_holder");
        kit.Fake.RefreshCalls.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_waiter_reports_the_lease_holders_failure_instead_of_calling_again()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-1));
        await kit.UpdateAsync(token.Id, t => (t.LeaseOwner, t.LeaseExpiresAt) = ("other-instance/1/abc", kit.Now.AddMinutes(1)));

        var fetch = Fetch(kit, token);
        await Task.Delay(300);
        await kit.UpdateAsync(token.Id, t =>
        {
            (t.LastRefreshError, t.LastRefreshErrorAt, t.RefreshAttempts) = ("provider answered HTTP 503", kit.Now.AddSeconds(1), 1);
            (t.LeaseOwner, t.LeaseExpiresAt) = (null, null);
        });

        var error = await (await fetch).ShouldBeError(502, "E081502");
        error["errorMessage"]!.GetValue<string>().Should().Contain("HTTP 503");
        kit.Fake.RefreshCalls.Should().Be(0);
    }

    [SkippableFact]
    public async Task An_expired_lease_of_a_crashed_instance_is_taken_over()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-1));
        await kit.UpdateAsync(token.Id, t => (t.LeaseOwner, t.LeaseExpiresAt) = ("crashed-instance/1/abc", kit.Now.AddSeconds(-5)));

        var body = await FetchOk(kit, token);
        body["accessToken"]!.GetValue<string>().Should().NotBe(kit.Secrets(token).Access);
        kit.Fake.RefreshCalls.Should().Be(1);
        (await kit.ReadAsync(token.Id)).LeaseOwner.Should().BeNull();
    }

    [SkippableFact]
    public async Task A_fetch_of_a_due_but_still_valid_token_takes_it_without_waiting_for_another_instances_lease()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddSeconds(30)); // due (within MinValidity), still valid
        await kit.UpdateAsync(token.Id, t => (t.LeaseOwner, t.LeaseExpiresAt) = ("dead-instance/1/abc", kit.Now.AddMinutes(1)));

        var body = await FetchOk(kit, token);

        (body["accessToken"]!.GetValue<string>(), (await kit.ReadAsync(token.Id)).LeaseOwner, kit.Fake.RefreshCalls)
            .Should().Be((kit.Secrets(token).Access!, (string?)"dead-instance/1/abc", 0), "the stored token is handed out while the lease still runs");
    }

    [SkippableFact]
    public async Task Invalid_grant_on_a_still_valid_token_hands_out_the_stored_token_instead_of_reconnect()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddSeconds(30));
        kit.Fake.FailNext(1, FakeFailure.InvalidGrant);

        var body = await FetchOk(kit, token);

        body["accessToken"]!.GetValue<string>().Should().Be(kit.Secrets(token).Access);
    }

    [SkippableFact]
    public async Task A_provider_call_outlasting_the_lease_renews_it_so_another_instance_does_not_refresh_too()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { Latency = TimeSpan.FromSeconds(5) });
        var token = await kit.SeedAsync(kit.Now.AddHours(1));
        await using var first = fixture.WithSetting("Refresh:LeaseDuration", "00:00:03");
        await using var second = fixture.WithSetting("Refresh:LeaseDuration", "00:00:03");
        using var firstClient = first.CreateManagementClient();
        using var secondClient = second.CreateManagementClient();

        var holding = Fetch(kit, token, force: true, client: firstClient);
        await Eventually.TrueAsync(() => kit.Fake.RefreshCalls == 1);
        await Task.Delay(TimeSpan.FromSeconds(3.5)); // past the lease the first instance took
        var late = Fetch(kit, token, force: true, client: secondClient);
        await Task.WhenAll(holding, late);

        kit.Fake.RefreshCalls.Should().Be(1, "the holder's heartbeat kept the lease through its five-second call");
    }
}

public sealed class OnDemandRefreshTests_Sqlite(SqliteRefreshVault fixture) : OnDemandRefreshTests(fixture), IClassFixture<SqliteRefreshVault>;

public sealed class OnDemandRefreshTests_Postgres(PostgresRefreshVault fixture) : OnDemandRefreshTests(fixture), IClassFixture<PostgresRefreshVault>;
