using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Connect;

/// <summary>Connect end to end against the fake provider: authorization URL, callback, stored grant, markers.</summary>
public abstract class ConnectFlowTests(ConnectFixture fixture)
{
    readonly ConnectDriver driver = new(fixture.Vault);

    [SkippableFact]
    public async Task Management_key_connect_for_a_user_stores_the_grant_and_redirects_with_a_success_marker()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app =>
        {
            app["accessType"] = "offline";
            app["prompt"] = new JsonArray("consent", "select_account");
            app["authorizationUrlParams"] = new JsonArray(new JsonObject { ["key"] = "hd", ["value"] = "example.com" },
                new JsonObject { ["key"] = "state", ["value"] = "app-must-not-override" });
            app["tokenUrlParams"] = new JsonArray(new JsonObject { ["key"] = "audience", ["value"] = "api://fake" });
        });

        var url = await driver.ConnectAsync(new
        {
            appId, userId = "user-1",
            options = new { redirectUrl = ConnectDriver.RedirectUrl + "?from=test", scopes = new[] { "repo", "read:org" }, externalIdentifier = "ext-1" },
        });

        url.GetLeftPart(UriPartial.Path).Should().Be(fake.AuthorizationUrl);
        var query = ConnectDriver.Query(url);
        query["response_type"].Should().Be("code");
        query["client_id"].Should().Be(fake.Options.ClientId);
        query["redirect_uri"].Should().Be(ConnectFixture.CallbackUri);
        query["scope"].Should().Be("repo read:org");
        query["state"].Should().MatchRegex("^[A-Za-z0-9_-]{43,}$", "at least 128 random bits, URL-safe");
        query["state"].Should().NotBe("app-must-not-override");
        query["code_challenge_method"].Should().Be("S256");
        query["code_challenge"].Should().MatchRegex("^[A-Za-z0-9_-]{43}$");
        query["access_type"].Should().Be("offline");
        query["prompt"].Should().Be("consent select_account");
        query["hd"].Should().Be("example.com");

        var callback = await driver.CallbackAsync(await ConnectDriver.AuthorizeAsync(url));

        var markers = ConnectDriver.Markers(callback);
        markers.Should().Contain("from", "test").And.Contain("outbound_status", "success").And.Contain("outbound_app_id", appId);
        markers.Should().NotContainKey("outbound_error");
        var exchange = fake.LastTokenRequest!;
        exchange.Form["grant_type"].Should().Be("authorization_code");
        exchange.Form["redirect_uri"].Should().Be(ConnectFixture.CallbackUri);
        exchange.Form["client_secret"].Should().Be(fake.Options.ClientSecret, "client_secret_post is the default");
        exchange.Form["audience"].Should().Be("api://fake", "tokenUrlParams are forwarded");
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(exchange.Form["code_verifier"])))
            .Should().Be(query["code_challenge"], "the verifier sent matches the challenge");

        var token = (await driver.TokensAsync(appId)).Should().ContainSingle().Subject;
        token.UserId.Should().Be("user-1");
        token.TenantId.Should().BeEmpty();
        token.Scopes.Should().Equal("repo", "read:org");
        token.TokenSub.Should().Be(fake.Options.Subject, "the id_token's sub");
        token.GrantedBy.Should().Be("user-1");
        token.ExternalIdentifier.Should().Be("ext-1");
        token.TokenType.Should().Be("Bearer");
        token.AccessTokenExpiresAt.Should().BeCloseTo(DateTime.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));
        var (access, refresh) = await driver.WithStoreAsync(store => Task.FromResult((store.ReadAccessToken(token), store.ReadRefreshToken(token))));
        access.Should().StartWith("at_");
        refresh.Should().StartWith("rt_");
        (await driver.PendingCountAsync(appId)).Should().Be(0, "the pending connection is consumed");

        var secrets = new[] { query["state"], exchange.Form["code"], exchange.Form["code_verifier"], access!, refresh!, fake.Options.ClientSecret! };
        var seen = fixture.Vault.Logs.All + callback.Headers.Location + await callback.Content.ReadAsStringAsync();
        foreach (var secret in secrets) seen.Should().NotContain(secret);
    }

    [SkippableFact]
    public async Task The_connected_token_is_served_by_the_management_fetch_route()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);

        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "user-fetch" }))["outbound_status"].Should().Be("success");

        var fetched = await (await driver.Management.PostJson("/v1/mgmt/outbound/app/user/token/latest",
            new { appId, userId = "user-fetch", options = new { withRefreshToken = true } })).ShouldBeOk();
        var token = fetched["token"]!;
        token["accessToken"]!.GetValue<string>().Should().StartWith("at_");
        token["refreshToken"]!.GetValue<string>().Should().StartWith("rt_");
        token["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("openid", "email");
        token["tokenSub"]!.GetValue<string>().Should().Be(fake.Options.Subject);
        token["grantedBy"]!.GetValue<string>().Should().Be("user-fetch");
    }

    [SkippableTheory]
    [InlineData("""{"tenantId":"tenant-a","tenantLevel":true}""", "", "tenant-a", "management")]
    [InlineData("""{"tenantId":"tenant-b"}""", "", "tenant-b", "management")]
    [InlineData("""{"userId":"admin-1","tenantId":"tenant-c","tenantLevel":true}""", "", "tenant-c", "admin-1")]
    [InlineData("""{"userId":"user-2","tenantId":"tenant-d"}""", "user-2", "tenant-d", "user-2")]
    public async Task The_body_names_the_owner_for_a_management_key_caller(string owner, string userId, string tenantId, string grantedBy)
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var body = JsonNode.Parse(owner)!.AsObject();
        body["appId"] = appId;
        body["options"] = new JsonObject { ["scopes"] = new JsonArray("s1") };

        ConnectDriver.Markers(await driver.RunAsync(body))["outbound_status"].Should().Be("success");

        var token = (await driver.TokensAsync(appId)).Should().ContainSingle().Subject;
        (token.UserId, token.TenantId, token.GrantedBy).Should().Be((userId, tenantId, grantedBy));
    }

    [SkippableFact]
    public async Task The_management_route_and_connected_agents_provider_field_both_start_a_connect()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);

        var viaManagement = await driver.ConnectAsync(new { appId, userId = "u-mgmt", options = new { } }, path: ConnectDriver.ManagementConnect);
        var viaProvider = await driver.ConnectAsync(new { provider = appId, userId = "u-agent", options = new { redirectUrl = ConnectDriver.RedirectUrl } });

        ConnectDriver.Query(viaManagement)["client_id"].Should().Be(fake.Options.ClientId);
        ConnectDriver.Query(viaProvider)["client_id"].Should().Be(fake.Options.ClientId);
        ConnectDriver.Query(viaManagement)["scope"].Should().Be("openid email", "the app's default scopes when none are requested");
    }

    [SkippableFact]
    public async Task Client_secret_basic_sends_the_credentials_in_the_authorization_header()
    {
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { ExpectedClientAuth = FakeClientAuth.ClientSecretBasic });
        var appId = await driver.CreateAppAsync(fake, app => app["tokenEndpointAuthMethod"] = "client_secret_basic");

        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "u-basic" }))["outbound_status"].Should().Be("success");

        fake.LastTokenRequest!.Authorization.Should().StartWith("Basic ");
        fake.LastTokenRequest.Form.Should().NotContainKey("client_secret");
        (await driver.TokensAsync(appId)).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task A_public_client_with_auth_method_none_sends_only_its_client_id()
    {
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { ClientSecret = null, ExpectedClientAuth = FakeClientAuth.None });
        var appId = await driver.CreateAppAsync(fake, app => app["tokenEndpointAuthMethod"] = "none");

        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "u-public" }))["outbound_status"].Should().Be("success");

        fake.LastTokenRequest!.Authorization.Should().BeNull();
        fake.LastTokenRequest.Form["client_id"].Should().Be(fake.Options.ClientId);
        fake.LastTokenRequest.Form.Should().NotContainKey("client_secret");
    }

    [SkippableFact]
    public async Task A_discovery_app_gets_its_endpoints_from_the_metadata_document()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app =>
        {
            app.Remove("authorizationUrl");
            app.Remove("tokenUrl");
            app.Remove("revocationUrl");
            app["discoveryUrl"] = fake.DiscoveryUrl;
        });

        var url = await driver.ConnectAsync(new { appId, userId = "u-discovery" });
        url.GetLeftPart(UriPartial.Path).Should().Be(fake.AuthorizationUrl);
        ConnectDriver.Markers(await driver.CallbackAsync(await ConnectDriver.AuthorizeAsync(url)))["outbound_status"].Should().Be("success");

        fake.DiscoveryRequests.Should().BeGreaterThan(0);
        fake.CodeExchanges.Should().Be(1);
        (await driver.TokensAsync(appId)).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task Without_a_redirect_url_the_callback_shows_a_locked_down_result_page()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app => app.Remove("defaultRedirectUrl"));

        var page = await driver.RunAsync(new { appId, userId = "u-page" });

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'none'").And.Contain("frame-ancestors 'none'");
        page.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
        page.Headers.CacheControl!.NoStore.Should().BeTrue();
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("Connected").And.Contain(appId).And.NotContain("<script");
        (await driver.TokensAsync(appId)).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task Granted_scopes_are_stored_and_a_reconnect_with_the_same_scopes_replaces_the_grant()
    {
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { GrantedScope = "email openid profile" });
        var appId = await driver.CreateAppAsync(fake);

        await driver.RunAsync(new { appId, userId = "u-again" });
        var first = (await driver.TokensAsync(appId)).Should().ContainSingle().Subject;
        first.Scopes.Should().Equal("email", "openid", "profile");
        await driver.RunAsync(new { appId, userId = "u-again" });

        var second = (await driver.TokensAsync(appId)).Should().ContainSingle("equal scope sets replace each other").Subject;
        second.Id.Should().Be(first.Id);
        second.AccessTokenCipher.Should().NotBe(first.AccessTokenCipher);
    }

    [SkippableFact]
    public async Task The_pending_connection_keeps_only_a_hash_of_the_state_and_a_sealed_verifier()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);

        var state = ConnectDriver.Query(await driver.ConnectAsync(new { appId, userId = "u-hash" }))["state"];

        await driver.WithDbAsync(async db =>
        {
            var row = await db.PendingConnections.AsNoTracking().SingleAsync(p => p.AppId == appId);
            row.StateHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state))));
            row.CodeVerifierCipher.Should().StartWith("v2:");
            row.CallbackUri.Should().Be(ConnectFixture.CallbackUri);
            row.RedirectUrl.Should().Be(ConnectDriver.RedirectUrl, "the app's default when none is asked for");
            row.ExpiresAt.Should().BeCloseTo(DateTime.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(1));
            string.Join('|', row.StateHash, row.CodeVerifierCipher, row.CallbackUri, row.RedirectUrl).Should().NotContain(state);
        });
    }

    [SkippableFact]
    public async Task Starting_a_connect_removes_expired_pending_connections()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        await driver.ConnectAsync(new { appId, userId = "u-old" });
        await driver.WithDbAsync(db => db.PendingConnections.Where(p => p.AppId == appId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));

        await driver.ConnectAsync(new { appId, userId = "u-new" });

        await driver.WithDbAsync(async db =>
            (await db.PendingConnections.Where(p => p.AppId == appId).Select(p => p.UserId).ToListAsync()).Should().Equal("u-new"));
    }

    [SkippableFact]
    public async Task An_apps_callback_domain_replaces_the_public_base_url_host()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app => app["callbackDomain"] = "auth.example.test");

        var url = await driver.ConnectAsync(new { appId, userId = "u-domain" });

        ConnectDriver.Query(url)["redirect_uri"].Should().Be("https://auth.example.test/v1/outbound/oauth/callback");
        var app = await (await driver.Management.GetAsync($"/v1/mgmt/outbound/app/{appId}")).ShouldBeOk();
        app["app"]!["callbackUrl"]!.GetValue<string>().Should().Be("https://auth.example.test/v1/outbound/oauth/callback");
    }
}

public sealed class ConnectFlowTests_Sqlite(SqliteConnectVault fixture) : ConnectFlowTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class ConnectFlowTests_Postgres(PostgresConnectVault fixture) : ConnectFlowTests(fixture), IClassFixture<PostgresConnectVault>;
