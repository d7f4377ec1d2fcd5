using System.Net;
using Microsoft.EntityFrameworkCore;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// Connecting an API-key app: the connect answers the vault's hosted page, the user types the key there, and
/// it is stored for the connect's owner. The state is single use, expires, and a GET never spends it.
/// </summary>
public abstract class ApiKeyPageTests(ConnectFixture fixture)
{
    readonly ApiKeyPageDriver page = new(new ConnectDriver(fixture.Vault));
    ConnectDriver Driver => page.Connect;

    [SkippableFact]
    public async Task A_connect_on_an_api_key_app_answers_the_hosted_page_and_stores_a_pending_connection_without_a_verifier()
    {
        // callbackDomain names where a provider sends users back; an API-key page is the vault's own.
        var appId = await page.CreateAppAsync(app => app["callbackDomain"] = "callbacks.example.test");

        var state = await page.StartAsync(new { appId, userId = "u-start", options = new { scopes = new[] { "ignored" }, externalIdentifier = "ext-7" } });
        var viaManagementRoute = await page.StartAsync(new { appId, userId = "u-start-2" }, ConnectDriver.ManagementConnect);

        state.Should().MatchRegex("^[A-Za-z0-9_-]{43}$").And.NotBe(viaManagementRoute);
        await Driver.WithDbAsync(async db =>
        {
            var rows = await db.PendingConnections.AsNoTracking().Where(p => p.AppId == appId).ToListAsync();
            rows.Should().HaveCount(2).And.OnlyContain(p => p.CodeVerifierCipher == null && p.Scopes.Count == 0 && p.RedirectUrl == ConnectDriver.RedirectUrl);
            var row = rows.Single(p => p.UserId == "u-start");
            (row.TenantId, row.GrantedBy, row.ExternalIdentifier).Should().Be(("", "u-start", "ext-7"));
            row.ExpiresAt.Should().BeCloseTo(DateTime.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(1));
        });
    }

    [SkippableFact]
    public async Task The_page_shows_a_locked_down_form_naming_the_app_and_a_get_never_spends_the_state()
    {
        var appId = await page.CreateAppAsync();
        var state = await page.StartAsync(new { appId, userId = "u-form" });

        await page.ShowAsync(state);
        var shown = await page.ShowAsync(state);

        var html = await ApiKeyPageDriver.HtmlAsync(shown, HttpStatusCode.OK);
        html.Should().Contain($"Connect Weather {appId}").And.Contain("Forecasts by the hour")
            .And.Contain("type=\"password\"").And.Contain("name=\"apiKey\"").And.Contain($"name=\"state\" value=\"{state}\"")
            .And.Contain("method=\"post\" action=\"apikey\"").And.NotContain("<script").And.NotContain("<img");
        var csp = shown.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().StartWith("default-src 'none'; style-src 'sha256-").And.Contain("form-action 'self' https://app.example.test;")
            .And.Contain("frame-ancestors 'none'").And.NotContain("script-src").And.NotContain("unsafe");
        shown.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
        shown.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
        shown.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        shown.Headers.CacheControl!.NoStore.Should().BeTrue();
        (await Driver.PendingCountAsync(appId)).Should().Be(1, "showing the form twice leaves the state usable");
    }

    [SkippableFact]
    public async Task Submitting_stores_the_key_for_the_user_and_redirects_with_success_markers()
    {
        var appId = await page.CreateAppAsync();
        var state = await page.StartAsync(new { appId, userId = "u-submit", options = new { redirectUrl = ConnectDriver.RedirectUrl + "?from=test" } });

        var done = await page.SubmitAsync(state, "  wk_live_0123456789abcdef\n");

        var markers = ApiKeyPageDriver.Markers(done);
        markers.Should().Contain("from", "test").And.Contain("outbound_status", "success").And.Contain("outbound_app_id", appId);
        markers.Should().NotContainKey("outbound_error");
        var token = await page.FetchAsync(appId, "u-submit");
        token["accessToken"]!.GetValue<string>().Should().Be("wk_live_0123456789abcdef", "surrounding whitespace from a paste is trimmed");
        token["grantedBy"]!.GetValue<string>().Should().Be("u-submit");
        token["hasRefreshToken"]!.GetValue<bool>().Should().BeFalse();
        (await Driver.PendingCountAsync(appId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task A_replayed_state_shows_the_error_page_and_changes_nothing()
    {
        var appId = await page.CreateAppAsync();
        var state = await page.StartAsync(new { appId, userId = "u-replay" });
        ApiKeyPageDriver.Markers(await page.SubmitAsync(state, "first-key"))["outbound_status"].Should().Be("success");

        var replay = await page.SubmitAsync(state, "second-key");
        var shownAgain = await page.ShowAsync(state);

        foreach (var response in new[] { replay, shownAgain })
        {
            var html = await ApiKeyPageDriver.HtmlAsync(response, HttpStatusCode.BadRequest);
            html.Should().Contain("Connection failed").And.Contain("invalid_state").And.Contain("already completed").And.NotContain("<form");
            response.Headers.Location.Should().BeNull("an unknown state knows no redirect URL");
        }
        (await page.FetchAsync(appId, "u-replay"))["accessToken"]!.GetValue<string>().Should().Be("first-key");
        (await Driver.TokensAsync(appId)).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task An_expired_state_shows_an_error_page_and_a_late_submission_is_reported_to_the_redirect_url()
    {
        var appId = await page.CreateAppAsync();
        var state = await page.StartAsync(new { appId, userId = "u-late" });
        await Driver.WithDbAsync(db => db.PendingConnections.Where(p => p.AppId == appId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        var html = await ApiKeyPageDriver.HtmlAsync(await page.ShowAsync(state), HttpStatusCode.BadRequest);
        var markers = ApiKeyPageDriver.Markers(await page.SubmitAsync(state, "late-key"));

        html.Should().Contain("expired_state").And.Contain("10 minutes").And.NotContain("<form");
        markers.Should().Contain("outbound_status", "error").And.Contain("outbound_error", "expired_state").And.Contain("outbound_app_id", appId);
        (await Driver.TokensAsync(appId)).Should().BeEmpty();
        (await Driver.PendingCountAsync(appId)).Should().Be(0, "the late submission spends the expired state");
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("   \t ")]
    [InlineData(null)]
    public async Task An_empty_key_shows_the_form_again_and_leaves_the_state_usable(string? apiKey)
    {
        var appId = await page.CreateAppAsync();
        var state = await page.StartAsync(new { appId, userId = "u-empty" });

        var again = await ApiKeyPageDriver.HtmlAsync(await page.SubmitAsync(state, apiKey), HttpStatusCode.BadRequest);

        again.Should().Contain("Enter the API key").And.Contain("type=\"password\"").And.Contain($"value=\"{state}\"");
        (await Driver.TokensAsync(appId)).Should().BeEmpty();
        ApiKeyPageDriver.Markers(await page.SubmitAsync(state, "key-after-retry"))["outbound_status"].Should().Be("success");
        (await page.FetchAsync(appId, "u-empty"))["accessToken"]!.GetValue<string>().Should().Be("key-after-retry");
    }

    [SkippableFact]
    public async Task A_key_over_the_secret_limit_shows_the_form_again_without_echoing_it()
    {
        var appId = await page.CreateAppAsync();
        var state = await page.StartAsync(new { appId, userId = "u-long" });
        var tooLong = "k" + new string('x', 16384);

        var again = await ApiKeyPageDriver.HtmlAsync(await page.SubmitAsync(state, tooLong), HttpStatusCode.BadRequest);

        again.Should().Contain("at most 16384 characters").And.NotContain("kxxxxxxxx");
        (await Driver.PendingCountAsync(appId)).Should().Be(1);
    }

    [SkippableFact]
    public async Task A_tenant_level_connect_stores_a_tenant_key_and_without_a_redirect_url_shows_the_result_page()
    {
        var appId = await page.CreateAppAsync(app => app.Remove("defaultRedirectUrl"));
        var state = await page.StartAsync(new { appId, tenantId = "tenant-key", tenantLevel = true });

        var shown = await page.ShowAsync(state);
        var done = await ApiKeyPageDriver.HtmlAsync(await page.SubmitAsync(state, "tenant-secret-key"), HttpStatusCode.OK);

        shown.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("form-action 'self';");
        done.Should().Contain("Connected").And.Contain(appId);
        var token = await page.FetchAsync(appId, null, "tenant-key");
        (token["accessToken"]!.GetValue<string>(), token["tenantId"]!.GetValue<string>(), token["grantedBy"]!.GetValue<string>())
            .Should().Be(("tenant-secret-key", "tenant-key", "management"));
    }

    [SkippableFact]
    public async Task A_second_connect_replaces_the_owners_key()
    {
        var appId = await page.CreateAppAsync();
        foreach (var key in new[] { "old-key", "new-key" })
            ApiKeyPageDriver.Markers(await page.SubmitAsync(await page.StartAsync(new { appId, userId = "u-rotate" }), key))["outbound_status"].Should().Be("success");

        (await Driver.TokensAsync(appId)).Should().ContainSingle();
        (await page.FetchAsync(appId, "u-rotate"))["accessToken"]!.GetValue<string>().Should().Be("new-key");
    }

    [SkippableFact]
    public async Task Two_submissions_racing_with_one_state_store_exactly_one_key()
    {
        var appId = await page.CreateAppAsync();
        var state = await page.StartAsync(new { appId, userId = "u-race" });

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => page.SubmitAsync(state, $"racing-key-{i}")));

        answers.Count(a => a.StatusCode == HttpStatusCode.SeeOther).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).Should().Be(5);
        (await Driver.TokensAsync(appId)).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task The_key_never_reaches_the_logs_or_any_response_but_the_fetch()
    {
        var appId = await page.CreateAppAsync();
        const string Key = "sk_never_logged_5f0e9c1b7a";
        var state = await page.StartAsync(new { appId, userId = "u-leak" });
        await page.ShowAsync(state);
        await page.SubmitAsync(state, "   ");
        await page.SubmitAsync(state, Key);
        await page.SubmitAsync(state, Key);

        (await page.FetchAsync(appId, "u-leak"))["accessToken"]!.GetValue<string>().Should().Be(Key);
        fixture.Vault.Logs.All.Should().NotContain(Key).And.NotContain(state);
        fixture.Vault.Logs.All.Should().Contain("API key stored through the hosted page");
        page.Seen.Should().NotContain(Key).And.Contain("outbound_status=success");
    }

    [SkippableFact]
    public async Task Markup_in_the_app_name_and_description_is_encoded()
    {
        var appId = await page.CreateAppAsync(app =>
        {
            app["name"] = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
            app["description"] = "</p><iframe src=https://evil.example>";
        });
        var state = await page.StartAsync(new { appId, userId = "u-xss" });

        var html = await ApiKeyPageDriver.HtmlAsync(await page.ShowAsync(state), HttpStatusCode.OK);

        html.Should().NotContain("<script").And.NotContain("<img").And.NotContain("<iframe")
            .And.Contain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img").And.Contain("&lt;/p&gt;&lt;iframe");
    }

    [SkippableFact]
    public async Task An_oauth_connects_state_does_not_open_the_page_and_stays_usable()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await Driver.CreateAppAsync(fake);
        var state = ConnectDriver.Query(await Driver.ConnectAsync(new { appId, userId = "u-oauth" }))["state"];

        (await ApiKeyPageDriver.HtmlAsync(await page.ShowAsync(state), HttpStatusCode.BadRequest)).Should().Contain("invalid_state");
        (await ApiKeyPageDriver.HtmlAsync(await page.SubmitAsync(state, "smuggled"), HttpStatusCode.BadRequest)).Should().Contain("invalid_state");

        (await Driver.PendingCountAsync(appId)).Should().Be(1);
        (await Driver.TokensAsync(appId)).Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"state\"\r\n\r\nunterminated")]
    [InlineData("multipart/form-data; boundary=b", "not a multipart body at all")]
    [InlineData("multipart/form-data", "--b\r\n\r\n--b--")]
    public async Task A_malformed_form_shows_the_error_page(string contentType, string body)
    {
        var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await Driver.VaultBrowser.PostAsync(ApiKeyPageDriver.PagePath, content);

        (await ApiKeyPageDriver.HtmlAsync(response, HttpStatusCode.BadRequest)).Should().Contain("invalid_form");
    }

    [SkippableFact]
    public async Task Missing_or_unknown_states_and_non_form_bodies_are_refused()
    {
        (await ApiKeyPageDriver.HtmlAsync(await Driver.VaultBrowser.GetAsync(ApiKeyPageDriver.PagePath), HttpStatusCode.BadRequest)).Should().Contain("no state");
        (await ApiKeyPageDriver.HtmlAsync(await page.ShowAsync("never-issued"), HttpStatusCode.BadRequest)).Should().Contain("invalid_state");
        (await ApiKeyPageDriver.HtmlAsync(await page.SubmitAsync(null, "k"), HttpStatusCode.BadRequest)).Should().Contain("invalid_state");

        var json = await Driver.VaultBrowser.PostJson(ApiKeyPageDriver.PagePath, new { state = "s", apiKey = "k" });
        (await json.ShouldBeError(400, "E011001"))["errorMessage"]!.GetValue<string>().Should().Contain("application/x-www-form-urlencoded");
    }
}

public sealed class ApiKeyPageTests_Sqlite(SqliteConnectVault fixture) : ApiKeyPageTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class ApiKeyPageTests_Postgres(PostgresConnectVault fixture) : ApiKeyPageTests(fixture), IClassFixture<PostgresConnectVault>;
