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

    [Fact]
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

    [Fact]
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
}

public sealed class ConnectFlowTests_Sqlite(SqliteConnectVault fixture) : ConnectFlowTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class ConnectFlowTests_Postgres(PostgresConnectVault fixture) : ConnectFlowTests(fixture), IClassFixture<PostgresConnectVault>;
