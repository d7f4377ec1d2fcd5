using System.Net;
using Microsoft.EntityFrameworkCore;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>Every way a callback can fail ends in a clear marker or page, stores nothing and logs no secret.</summary>
public abstract class ConnectCallbackFailureTests(ConnectFixture fixture)
{
    readonly ConnectDriver driver = new(fixture.Vault);

    [SkippableFact]
    public async Task A_user_who_denies_access_comes_back_with_access_denied_and_nothing_is_exchanged()
    {
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { DenyAuthorization = true });
        var appId = await driver.CreateAppAsync(fake);

        var markers = ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "u-deny" }));

        markers.Should().Contain("outbound_status", "error").And.Contain("outbound_error", "access_denied").And.Contain("outbound_app_id", appId);
        markers["outbound_error_description"].Should().Contain("denied");
        fake.CodeExchanges.Should().Be(0);
        (await driver.TokensAsync(appId)).Should().BeEmpty();
        (await driver.PendingCountAsync(appId)).Should().Be(0, "the state is spent");
    }

    [SkippableTheory]
    [InlineData(FakeFailure.ServerError, "provider_unavailable", "HTTP 500")]
    [InlineData(FakeFailure.MalformedJson, "provider_unavailable", "not a JSON object")]
    [InlineData(FakeFailure.InvalidClient, "token_rejected", "invalid_client")]
    [InlineData(FakeFailure.InvalidGrant, "invalid_grant", "invalid_grant")]
    public async Task A_failing_token_endpoint_ends_in_an_error_marker_and_stores_nothing(FakeFailure failure, string error, string described)
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var providerRedirect = await ConnectDriver.AuthorizeAsync(await driver.ConnectAsync(new { appId, userId = "u-fail" }));
        fake.FailNext(1, failure);

        var callback = await driver.CallbackAsync(providerRedirect);

        var markers = ConnectDriver.Markers(callback);
        markers.Should().Contain("outbound_status", "error").And.Contain("outbound_error", error);
        markers["outbound_error_description"].Should().Contain(described).And.Contain(appId);
        (await driver.TokensAsync(appId)).Should().BeEmpty();
        AssertNoSecretsIn(fixture.Vault.Logs.All + callback.Headers.Location, fake, providerRedirect);
    }

    [SkippableFact]
    public async Task A_token_endpoint_that_times_out_ends_in_provider_unavailable()
    {
        var impatient = new ConnectDriver(fixture.Start(new Dictionary<string, string?> { ["OAuth:ProviderTimeout"] = "00:00:01" }));
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { HangTime = TimeSpan.FromSeconds(30) });
        var appId = await impatient.CreateAppAsync(fake);
        var providerRedirect = await ConnectDriver.AuthorizeAsync(await impatient.ConnectAsync(new { appId, userId = "u-slow" }));
        fake.FailNext(1, FakeFailure.Timeout);

        var markers = ConnectDriver.Markers(await impatient.CallbackAsync(providerRedirect));

        markers.Should().Contain("outbound_error", "provider_unavailable");
        markers["outbound_error_description"].Should().Contain("did not answer within 1 s");
        (await impatient.TokensAsync(appId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task A_replayed_callback_is_refused_and_the_code_is_not_redeemed_twice()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var providerRedirect = await ConnectDriver.AuthorizeAsync(await driver.ConnectAsync(new { appId, userId = "u-replay" }));
        ConnectDriver.Markers(await driver.CallbackAsync(providerRedirect))["outbound_status"].Should().Be("success");

        var replay = await driver.CallbackAsync(providerRedirect);

        await ShouldBeErrorPage(replay, "invalid_state");
        fake.CodeExchanges.Should().Be(1);
        (await driver.TokensAsync(appId)).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task Concurrent_callbacks_with_one_state_complete_exactly_once()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var providerRedirect = await ConnectDriver.AuthorizeAsync(await driver.ConnectAsync(new { appId, userId = "u-race" }));
        var second = new ConnectDriver(fixture.Start());

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? driver : second).CallbackAsync(providerRedirect)));

        results.Count(r => r.StatusCode == HttpStatusCode.Redirect).Should().Be(1, "one instance wins the state");
        results.Count(r => r.StatusCode == HttpStatusCode.BadRequest).Should().Be(5);
        fake.CodeExchanges.Should().Be(1);
    }

    [SkippableTheory]
    [InlineData("?code=abc&state=never-issued-state-value")]
    [InlineData("?code=abc")]
    [InlineData("")]
    [InlineData("?code=abc&state=a&state=b")]
    public async Task A_callback_with_an_unknown_or_missing_state_shows_an_error_page(string query)
    {
        var page = await driver.VaultBrowser.GetAsync("/v1/outbound/oauth/callback" + query);

        var html = await ShouldBeErrorPage(page, "invalid_state");
        html.Should().NotContain("never-issued-state-value");
    }

    [SkippableFact]
    public async Task An_expired_state_redirects_with_expired_state_and_stores_nothing()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var providerRedirect = await ConnectDriver.AuthorizeAsync(await driver.ConnectAsync(new { appId, userId = "u-late" }));
        await driver.WithDbAsync(db => db.PendingConnections.Where(p => p.AppId == appId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        var markers = ConnectDriver.Markers(await driver.CallbackAsync(providerRedirect));

        markers.Should().Contain("outbound_error", "expired_state");
        fake.CodeExchanges.Should().Be(0);
        (await driver.TokensAsync(appId)).Should().BeEmpty();
        (await driver.PendingCountAsync(appId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task The_code_of_one_app_with_the_state_of_another_is_refused_by_that_apps_provider()
    {
        await using var fakeA = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { ClientId = "client-a" });
        await using var fakeB = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { ClientId = "client-b" });
        var appA = await driver.CreateAppAsync(fakeA);
        var appB = await driver.CreateAppAsync(fakeB);
        var redirectA = await ConnectDriver.AuthorizeAsync(await driver.ConnectAsync(new { appId = appA, userId = "u-mix" }));
        var redirectB = await ConnectDriver.AuthorizeAsync(await driver.ConnectAsync(new { appId = appB, userId = "u-mix" }));
        var mixed = new Uri(ConnectFixture.CallbackUri + $"?code={ConnectDriver.Query(redirectA)["code"]}&state={ConnectDriver.Query(redirectB)["state"]}");

        var markers = ConnectDriver.Markers(await driver.CallbackAsync(mixed));

        markers.Should().Contain("outbound_app_id", appB).And.Contain("outbound_error", "invalid_grant");
        (await driver.TokensAsync(appA)).Should().BeEmpty();
        (await driver.TokensAsync(appB)).Should().BeEmpty();
        ConnectDriver.Markers(await driver.CallbackAsync(redirectA))["outbound_status"].Should().Be("success", "app A's own state is untouched");
    }

    [SkippableFact]
    public async Task A_code_whose_pkce_challenge_does_not_match_the_stored_verifier_is_refused()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var state = ConnectDriver.Query(await driver.ConnectAsync(new { appId, userId = "u-pkce" }))["state"];
        var foreignCode = fake.IssueAuthorizationCode(ConnectFixture.CallbackUri, codeVerifier: "a-verifier-the-vault-never-made-0123456789abc");

        var markers = ConnectDriver.Markers(await driver.CallbackAsync(new Uri(ConnectFixture.CallbackUri + $"?code={foreignCode}&state={state}")));

        markers.Should().Contain("outbound_error", "invalid_grant");
        fake.LastTokenRequest!.Form.Should().ContainKey("code_verifier");
        (await driver.TokensAsync(appId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task A_callback_with_neither_code_nor_error_spends_the_state()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var state = ConnectDriver.Query(await driver.ConnectAsync(new { appId, userId = "u-nocode" }))["state"];

        var markers = ConnectDriver.Markers(await driver.CallbackAsync(new Uri(ConnectFixture.CallbackUri + $"?state={state}")));

        markers.Should().Contain("outbound_error", "missing_code");
        (await driver.PendingCountAsync(appId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task A_provider_error_description_is_encoded_on_the_result_page()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app => app.Remove("defaultRedirectUrl"));
        var state = ConnectDriver.Query(await driver.ConnectAsync(new { appId, userId = "u-xss" }))["state"];
        var hostile = Uri.EscapeDataString("<script>alert(1)</script>");

        var page = await driver.CallbackAsync(new Uri(ConnectFixture.CallbackUri + $"?state={state}&error=<b>x</b>&error_description={hostile}"));

        var html = await ShouldBeErrorPage(page, "authorization_failed");
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.NotContain("<script>").And.NotContain("<b>");
    }

    static async Task<string> ShouldBeErrorPage(HttpResponseMessage page, string error)
    {
        page.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'none'");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("Connection failed").And.Contain($"<code>{error}</code>");
        return html;
    }

    static void AssertNoSecretsIn(string text, FakeOAuthProvider fake, Uri providerRedirect)
    {
        var query = ConnectDriver.Query(providerRedirect);
        text.Should().NotContain(query["code"]).And.NotContain(query["state"]).And.NotContain(fake.Options.ClientSecret!);
        if (fake.LastTokenRequest?.Form.TryGetValue("code_verifier", out var verifier) == true) text.Should().NotContain(verifier);
    }
}

public sealed class ConnectCallbackFailureTests_Sqlite(SqliteConnectVault fixture)
    : ConnectCallbackFailureTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class ConnectCallbackFailureTests_Postgres(PostgresConnectVault fixture)
    : ConnectCallbackFailureTests(fixture), IClassFixture<PostgresConnectVault>;
