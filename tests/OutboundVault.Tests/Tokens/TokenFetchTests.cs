using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Tokens;

/// <summary>docs/contract.md rows 7–10 in every SDK dialect: which token a fetch returns and how it looks on the wire.</summary>
public abstract class TokenFetchTests(VaultFixture fixture)
{
    readonly TokenApi api = new(fixture.Management);
    const long Expiry = 1900000000;

    async Task SetStatus(string appId, string userId, string scopeKey, string status)
    {
        await using var scope = fixture.Vault.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
        var updated = await db.Tokens.Where(t => t.AppId == appId && t.UserId == userId && t.ScopeKey == scopeKey)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status));
        updated.Should().Be(1);
    }

    [SkippableFact]
    public async Task Latest_user_token_carries_every_contract_field_with_times_as_strings()
    {
        var app = await api.CreateOAuthApp();
        var (access, refresh) = (TokenApi.Secret("access"), TokenApi.Secret("refresh"));
        var idToken = "eyJhbGciOiJub25lIn0." + Convert.ToBase64String("""{"sub":"provider-sub-1"}"""u8.ToArray()).TrimEnd('=') + ".";
        await api.UploadUserToken(new
        {
            appId = app, userId = "u1", accessToken = access, refreshToken = refresh, accessTokenExpiry = Expiry,
            accessTokenType = "bearer", scopes = new[] { "read", "write" }, externalIdentifier = "ext-1", idToken, grantedBy = "admin@example.com",
        });

        var response = await api.Post("app/user/token/latest", new { appId = app, userId = "u1" });
        var raw = await response.Content.ReadAsStringAsync();
        var token = (await response.ShouldBeOk())["token"]!.AsObject();

        token["id"]!.GetValue<string>().Should().MatchRegex("^[A-Za-z0-9._-]{1,100}$");
        token["appId"]!.GetValue<string>().Should().Be(app);
        token["userId"]!.GetValue<string>().Should().Be("u1");
        token.ContainsKey("tenantId").Should().BeFalse("a user token of no tenant has no tenantId");
        token["accessToken"]!.GetValue<string>().Should().Be(access);
        token["accessTokenType"]!.GetValue<string>().Should().Be("bearer");
        token["accessTokenExpiry"]!.GetValue<string>().Should().Be("1900000000", "go's SDK fails on a JSON number");
        token["lastRefreshTime"]!.GetValue<string>().Should().Be("0");
        token["hasRefreshToken"]!.GetValue<bool>().Should().BeTrue();
        token.ContainsKey("refreshToken").Should().BeFalse("only withRefreshToken returns it");
        token["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("read", "write");
        token["grantedBy"]!.GetValue<string>().Should().Be("admin@example.com");
        token["externalIdentifier"]!.GetValue<string>().Should().Be("ext-1");
        token["tokenSub"]!.GetValue<string>().Should().Be("provider-sub-1");
        raw.Should().NotContain(refresh);
        fixture.Vault.Logs.All.Should().NotContain(access).And.NotContain(refresh);
    }

    [SkippableFact]
    public async Task With_refresh_token_returns_it_and_unknown_expiry_goes_out_as_zero()
    {
        var app = await api.CreateOAuthApp();
        var refresh = TokenApi.Secret("refresh");
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "a", refreshToken = refresh, accessTokenExpiry = 0 });

        var token = await api.Fetch("app/user/token/latest", $$$"""{"appId":"{{{app}}}","userId":"u1","options":{"withRefreshToken":true,"forceRefresh":false}}""");
        token["refreshToken"]!.GetValue<string>().Should().Be(refresh);
        token["accessTokenExpiry"]!.GetValue<string>().Should().Be("0");
        token["accessTokenType"]!.GetValue<string>().Should().Be("Bearer", "the type defaults to Bearer");
        token["scopes"]!.AsArray().Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Latest_is_the_most_recently_stored_and_by_scopes_the_most_recent_covering_all_scopes()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "wide", scopes = new[] { "a", "b" }, accessTokenExpiry = Expiry });
        await Task.Delay(20);
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "narrow", scopes = new[] { "a" }, accessTokenExpiry = Expiry });

        (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1" }))["accessToken"]!.GetValue<string>().Should().Be("narrow");
        (await api.Fetch("app/user/token", new { appId = app, userId = "u1", scopes = new[] { "b", "a" } }))["accessToken"]!.GetValue<string>().Should().Be("wide");
        (await api.Fetch("app/user/token", new { appId = app, userId = "u1", scopes = new[] { "a" } }))["accessToken"]!.GetValue<string>().Should().Be("narrow");
        var missing = await (await api.Post("app/user/token", new { appId = app, userId = "u1", scopes = new[] { "a", "c" } })).ShouldBeError(404, "E081404");
        missing["errorMessage"]!.GetValue<string>().Should().Contain("connect first");
    }

    [SkippableFact]
    public async Task A_user_fetch_sees_only_tokens_of_the_given_tenant_or_of_no_tenant()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "no-tenant", accessTokenExpiry = Expiry });
        await api.UploadUserToken(new { appId = app, userId = "u1", tenantId = "t1", accessToken = "in-t1", accessTokenExpiry = Expiry });

        (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1" }))["accessToken"]!.GetValue<string>().Should().Be("no-tenant");
        var inTenant = await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1", tenantId = "t1" });
        inTenant["accessToken"]!.GetValue<string>().Should().Be("in-t1");
        inTenant["tenantId"]!.GetValue<string>().Should().Be("t1");
        (await api.Fetch("app/user/token", new { appId = app, userId = "u1", tenantId = "t1", scopes = Array.Empty<string>() }))["accessToken"]!.GetValue<string>().Should().Be("in-t1");
        await (await api.Post("app/user/token/latest", new { appId = app, userId = "u1", tenantId = "t2" })).ShouldBeError(404, "E081404");
        await (await api.Post("app/tenant/token/latest", new { appId = app, tenantId = "t1" })).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task Tenant_fetches_return_tenant_tokens_without_a_user_id()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadTenantToken(new { appId = app, tenantId = "t1", accessToken = "tenant-read", scopes = new[] { "read" }, accessTokenExpiry = Expiry });
        await Task.Delay(20);
        await api.UploadTenantToken(new { appId = app, tenantId = "t1", accessToken = "tenant-admin", scopes = new[] { "admin" }, accessTokenExpiry = Expiry });

        var latest = (await api.Fetch("app/tenant/token/latest", new { appId = app, tenantId = "t1" })).AsObject();
        latest["accessToken"]!.GetValue<string>().Should().Be("tenant-admin");
        latest["tenantId"]!.GetValue<string>().Should().Be("t1");
        latest.ContainsKey("userId").Should().BeFalse();
        (await api.Fetch("app/tenant/token", new { appId = app, tenantId = "t1", scopes = new[] { "read" } }))["accessToken"]!.GetValue<string>().Should().Be("tenant-read");
        await (await api.Post("app/user/token/latest", new { appId = app, userId = "", tenantId = "t1" })).ShouldBeError(400, "E011002");
    }

    [SkippableFact]
    public async Task Go_and_python_dialects_with_nulls_are_accepted()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "go-py", scopes = new[] { "s" }, accessTokenExpiry = Expiry });
        await api.UploadTenantToken(new { appId = app, tenantId = "t9", accessToken = "tenant-go-py", accessTokenExpiry = Expiry });

        // go: "scopes": null when the slice is nil, options omitted or {} (omitempty booleans).
        (await api.Fetch("app/user/token", $$$"""{"appId":"{{{app}}}","userId":"u1","scopes":null,"options":{}}"""))["accessToken"]!.GetValue<string>().Should().Be("go-py");
        (await api.Fetch("app/tenant/token", $$"""{"appId":"{{app}}","tenantId":"t9","scopes":null}"""))["accessToken"]!.GetValue<string>().Should().Be("tenant-go-py");
        // python: explicit nulls.
        (await api.Fetch("app/user/token", $$"""{"appId":"{{app}}","userId":"u1","scopes":["s"],"options":null,"tenantId":null}"""))["accessToken"]!.GetValue<string>().Should().Be("go-py");
        (await api.Fetch("app/user/token/latest", $$"""{"appId":"{{app}}","userId":"u1","tenantId":null,"options":null}"""))["accessToken"]!.GetValue<string>().Should().Be("go-py");
        (await api.Fetch("app/tenant/token/latest", $$"""{"appId":"{{app}}","tenantId":"t9","options":null}"""))["accessToken"]!.GetValue<string>().Should().Be("tenant-go-py");
        // node: options with both flags, tenantId omitted.
        (await api.Fetch("app/user/token", $$$"""{"appId":"{{{app}}}","userId":"u1","scopes":["s"],"options":{"withRefreshToken":false,"forceRefresh":false}}"""))["accessToken"]!.GetValue<string>().Should().Be("go-py");
    }

    [SkippableTheory]
    [InlineData("app/user/token/latest", """{"userId":"u1"}""", "appId")]
    [InlineData("app/user/token/latest", """{"appId":"a"}""", "userId")]
    [InlineData("app/user/token", """{"appId":"a","userId":null,"scopes":["s"],"options":null,"tenantId":null}""", "userId")]
    [InlineData("app/tenant/token/latest", """{"appId":"a","options":null}""", "tenantId")]
    [InlineData("app/tenant/token", """{"appId":"","tenantId":"t","scopes":null}""", "appId")]
    public async Task Missing_arguments_answer_E011002_naming_the_field(string route, string json, string field)
    {
        var error = await (await api.Post(route, json)).ShouldBeError(400, "E011002");
        error["errorMessage"]!.GetValue<string>().Should().Contain(field);
    }

    [SkippableFact]
    public async Task Bad_input_answers_400_naming_the_field()
    {
        (await (await api.Post("app/user/token/latest", """{"appId":"a b","userId":"u"}""")).ShouldBeError(400, "E011003"))["errorMessage"]!.GetValue<string>().Should().Contain("appId");
        (await (await api.Post("app/user/token/latest", """{"appId":"a","userId":"u","options":{"forceRefresh":"yes"}}""")).ShouldBeError(400, "E011001"))["errorMessage"]!.GetValue<string>().Should().Contain("forceRefresh");
        (await (await api.Post("app/user/token", """{"appId":"a","userId":"u","scopes":"s"}""")).ShouldBeError(400, "E011001"))["errorMessage"]!.GetValue<string>().Should().Contain("scopes");
    }

    [SkippableFact]
    public async Task An_unknown_app_and_a_missing_connection_both_answer_404_with_different_messages()
    {
        var unknown = await (await api.Post("app/user/token/latest", new { appId = "no-such-app", userId = "u1" })).ShouldBeError(404, "E081404");
        unknown["errorMessage"]!.GetValue<string>().Should().Contain("No outbound app");
        var app = await api.CreateOAuthApp();
        var none = await (await api.Post("app/tenant/token/latest", new { appId = app, tenantId = "t1" })).ShouldBeError(404, "E081404");
        none["errorMessage"]!.GetValue<string>().Should().Contain("connect first").And.Contain("tenant 't1'");
    }

    [SkippableFact]
    public async Task A_token_that_needs_a_reconnect_is_not_returned_once_its_access_token_has_expired()
    {
        const long expired = 1600000000;
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "older-valid", scopes = new[] { "a" }, accessTokenExpiry = expired });
        await Task.Delay(20);
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "newer-dead", scopes = new[] { "a", "b" }, accessTokenExpiry = expired });
        await SetStatus(app, "u1", "a b", TokenStatuses.NeedsReconnect);

        (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1" }))["accessToken"]!.GetValue<string>().Should().Be("older-valid");
        var dead = await (await api.Post("app/user/token", new { appId = app, userId = "u1", scopes = new[] { "b" } })).ShouldBeError(404, "E081410");
        dead["errorMessage"]!.GetValue<string>().Should().Contain("connect again");
        dead.ToJsonString().Should().NotContain("newer-dead");

        await SetStatus(app, "u1", "a", TokenStatuses.NeedsReconnect);
        await (await api.Post("app/user/token/latest", new { appId = app, userId = "u1" })).ShouldBeError(404, "E081410");
    }

    [SkippableFact]
    public async Task A_token_that_needs_a_reconnect_is_handed_out_while_its_access_token_works()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "still-working", scopes = new[] { "a" }, accessTokenExpiry = Expiry });
        await SetStatus(app, "u1", "a", TokenStatuses.NeedsReconnect);

        var token = await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1" });

        token["accessToken"]!.GetValue<string>().Should().Be("still-working");
    }

    [SkippableFact]
    public async Task An_api_key_app_hands_out_the_key_as_the_access_token()
    {
        var app = await api.CreateApiKeyApp();
        var key = TokenApi.Secret("apikey");
        await (await api.Post("app/user/apikey/upload", new { appId = app, userId = "u1", apiKey = key })).ShouldBeOk();
        await (await api.Post("app/tenant/apikey/upload", new { appId = app, tenantId = "t1", apiKey = key + "-tenant" })).ShouldBeOk();

        var token = (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1", options = new { withRefreshToken = true } })).AsObject();
        token["accessToken"]!.GetValue<string>().Should().Be(key);
        token["hasRefreshToken"]!.GetValue<bool>().Should().BeFalse();
        token.ContainsKey("refreshToken").Should().BeFalse();
        token["accessTokenExpiry"]!.GetValue<string>().Should().Be("0");
        (await api.Fetch("app/tenant/token/latest", new { appId = app, tenantId = "t1" }))["accessToken"]!.GetValue<string>().Should().Be(key + "-tenant");
    }

    [SkippableFact]
    public async Task Fetches_go_through_the_refresh_engine_and_answer_with_what_it_returns()
    {
        var probe = new RefreshProbe { Fresh = (token, force) => Refreshed(token, force) };
        await using var vault = probe.Start(fixture);
        var refreshing = new TokenApi(vault.CreateManagementClient());
        var app = await refreshing.CreateOAuthApp();
        await refreshing.UploadUserToken(new { appId = app, userId = "u1", accessToken = "stored", refreshToken = "r", accessTokenExpiry = Expiry });

        var plain = await refreshing.Fetch("app/user/token/latest", new { appId = app, userId = "u1" });
        plain["lastRefreshTime"]!.GetValue<string>().Should().Be("0", "nothing was refreshed");
        var forced = await refreshing.Fetch("app/user/token/latest", new { appId = app, userId = "u1", options = new { forceRefresh = true } });
        forced["lastRefreshTime"]!.GetValue<string>().Should().Be("1800000000");
        forced["accessTokenExpiry"]!.GetValue<string>().Should().Be("1800003600");
        probe.Fetches.Select(f => f.Force).Should().Equal(false, true);
        probe.Fetches.Select(f => f.TokenId).Distinct().Should().ContainSingle().Which.Should().Be(plain["id"]!.GetValue<string>());
    }

    /// <summary>What a refresh engine might answer: the same row with new bookkeeping (secrets untouched here).</summary>
    static OutboundToken Refreshed(OutboundToken token, bool force)
    {
        if (!force) return token;
        token.LastRefreshAt = DateTimeOffset.FromUnixTimeSeconds(1800000000).UtcDateTime;
        token.AccessTokenExpiresAt = DateTimeOffset.FromUnixTimeSeconds(1800003600).UtcDateTime;
        return token;
    }

    [SkippableFact]
    public async Task Force_refresh_of_a_token_without_a_refresh_token_is_a_400_that_says_what_is_missing()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "stored", accessTokenExpiry = Expiry });

        var response = await api.Post("app/user/token/latest", new { appId = app, userId = "u1", options = new { forceRefresh = true } });

        (await response.ShouldBeError(400, "E011003"))["errorMessage"]!.GetValue<string>().Should().StartWith("forceRefresh needs a refresh token");
    }
}

public sealed class TokenFetchTests_Sqlite(SqliteVault fixture) : TokenFetchTests(fixture), IClassFixture<SqliteVault>;

public sealed class TokenFetchTests_Postgres(PostgresVault fixture) : TokenFetchTests(fixture), IClassFixture<PostgresVault>;
