using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Tokens;

/// <summary>docs/contract.md rows 14–19: API keys, single OAuth uploads with verifyRefresh, all-or-nothing batches.</summary>
public abstract class TokenUploadTests(VaultFixture fixture)
{
    readonly TokenApi api = new(fixture.Management);
    const long Expiry = 1900000000;

    async Task<List<OutboundToken>> Rows(string appId)
    {
        await using var scope = fixture.Vault.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.AsNoTracking().Where(t => t.AppId == appId).ToListAsync();
    }

    [SkippableFact]
    public async Task Api_keys_answer_empty_objects_and_replace_the_owners_previous_key()
    {
        var app = await api.CreateApiKeyApp();
        var body = await (await api.Post("app/user/apikey/upload", new { appId = app, userId = "u1", apiKey = "key-1" })).ShouldBeOk();
        body.AsObject().Should().BeEmpty();
        await (await api.Post("app/user/apikey/upload", new { appId = app, userId = "u1", apiKey = "key-2" })).ShouldBeOk();
        await (await api.Post("app/user/apikey/upload", $$"""{"appId":"{{app}}","userId":"u1","apiKey":"key-t","tenantId":"t1"}""")).ShouldBeOk();
        (await (await api.Post("app/tenant/apikey/upload", new { appId = app, tenantId = "t1", apiKey = "key-tenant" })).ShouldBeOk()).AsObject().Should().BeEmpty();

        var rows = await Rows(app);
        rows.Should().HaveCount(3, "the second user key replaced the first; tenant-scoped and tenant keys are other owners");
        rows.Should().OnlyContain(r => r.Kind == TokenKinds.ApiKey && r.RefreshTokenCipher == null);
        (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1" }))["accessToken"]!.GetValue<string>().Should().Be("key-2");
    }

    [SkippableTheory]
    [InlineData("app/user/apikey/upload", """{"appId":"APP","userId":"u1"}""", "E011002", "apiKey")]
    [InlineData("app/user/apikey/upload", """{"appId":"APP","apiKey":"k"}""", "E011002", "userId")]
    [InlineData("app/tenant/apikey/upload", """{"appId":"APP","apiKey":"k"}""", "E011002", "tenantId")]
    [InlineData("app/tenant/apikey/upload", """{"tenantId":"t","apiKey":"k"}""", "E011002", "appId")]
    [InlineData("app/user/oauthtoken/upload", """{"appId":"APP","userId":"u1"}""", "E011002", "accessToken")]
    [InlineData("app/user/oauthtoken/upload", """{"appId":"APP","accessToken":"a"}""", "E011002", "userId")]
    [InlineData("app/tenant/oauthtoken/upload", """{"appId":"APP","accessToken":"a"}""", "E011002", "tenantId")]
    [InlineData("app/user/oauthtoken/upload", """{"appId":"APP","userId":"u1","accessToken":"a","accessTokenExpiry":-5}""", "E011003", "accessTokenExpiry")]
    [InlineData("app/user/oauthtoken/upload", """{"appId":"APP","userId":"u1","accessToken":"a","accessTokenExpiry":1900000000000}""", "E011003", "accessTokenExpiry")]
    [InlineData("app/user/oauthtoken/upload", """{"appId":"APP","userId":"u1","accessToken":"a","idToken":"not-a-jwt"}""", "E011003", "idToken")]
    [InlineData("app/user/oauthtoken/upload", """{"appId":"APP","userId":"u1","accessToken":"a","verifyRefresh":true}""", "E011002", "refreshToken")]
    [InlineData("app/user/oauthtoken/upload", """{"appId":"APP","userId":"u1","accessToken":"a","accessTokenExpiry":"soon"}""", "E011001", "accessTokenExpiry")]
    public async Task Bad_uploads_answer_400_naming_the_field(string route, string json, string code, string field)
    {
        var app = route.Contains("apikey", StringComparison.Ordinal) ? await api.CreateApiKeyApp() : await api.CreateOAuthApp();
        var error = await (await api.Post(route, json.Replace("APP", app, StringComparison.Ordinal))).ShouldBeError(400, code);
        error["errorMessage"]!.GetValue<string>().Should().Contain(field);
        (await Rows(app)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task The_wrong_kind_of_secret_for_an_app_is_a_clear_400_and_an_unknown_app_a_404()
    {
        var oauth = await api.CreateOAuthApp();
        var keys = await api.CreateApiKeyApp();
        var key = TokenApi.Secret("apikey");
        var toOAuth = await (await api.Post("app/user/apikey/upload", new { appId = oauth, userId = "u1", apiKey = key })).ShouldBeError(400, "E011003");
        toOAuth["errorMessage"]!.GetValue<string>().Should().Contain("OAuth app").And.Contain("oauthtoken/upload").And.NotContain(key);
        var toKeys = await (await api.Post("app/tenant/oauthtoken/upload", new { appId = keys, tenantId = "t1", accessToken = key })).ShouldBeError(400, "E011003");
        toKeys["errorMessage"]!.GetValue<string>().Should().Contain("API-key app").And.Contain("apikey/upload").And.NotContain(key);
        await (await api.Post("app/tenant/apikey/upload", new { appId = "no-such-app", tenantId = "t1", apiKey = key })).ShouldBeError(404, "E081404");
        await (await api.Post("app/user/oauthtoken/upload", new { appId = "no-such-app", userId = "u1", accessToken = key })).ShouldBeError(404, "E081404");
        (await Rows(oauth)).Should().BeEmpty();
        (await Rows(keys)).Should().BeEmpty();
        fixture.Vault.Logs.All.Should().NotContain(key);
    }

    [SkippableFact]
    public async Task Equal_scope_sets_replace_and_different_ones_add_a_row()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "first", scopes = new[] { "b", "a" }, accessTokenExpiry = Expiry });
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "second", scopes = new[] { "a", "b" }, accessTokenExpiry = Expiry });
        await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "third", scopes = new[] { "a" }, accessTokenExpiry = Expiry });
        var rows = await Rows(app);
        rows.Should().HaveCount(2);
        (await api.Fetch("app/user/token", new { appId = app, userId = "u1", scopes = new[] { "b" } }))["accessToken"]!.GetValue<string>().Should().Be("second");
    }

    [SkippableFact]
    public async Task Node_and_python_upload_bodies_are_stored_as_sent()
    {
        var app = await api.CreateOAuthApp();
        await (await api.Post("app/user/oauthtoken/upload",
            $$"""{"appId":"{{app}}","userId":"u1","refreshToken":"r","accessToken":"at","accessTokenExpiry":{{Expiry}},"verifyRefresh":false}""")).ShouldBeOk();
        await (await api.Post("app/tenant/oauthtoken/upload",
            $$"""{"appId":"{{app}}","tenantId":"t1","refreshToken":"r2","accessToken":null,"accessTokenExpiry":null,"accessTokenType":null,"scopes":null,"externalIdentifier":null,"idToken":null,"grantedBy":null}""")).ShouldBeOk();

        var user = await api.Fetch("app/user/token/latest", new { appId = app, userId = "u1", options = new { withRefreshToken = true } });
        user["accessToken"]!.GetValue<string>().Should().Be("at");
        user["refreshToken"]!.GetValue<string>().Should().Be("r");
        user["accessTokenExpiry"]!.GetValue<string>().Should().Be(Expiry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var tenantRow = (await Rows(app)).Single(r => r.TenantId == "t1");
        tenantRow.AccessTokenCipher.Should().BeNull();
        tenantRow.AccessTokenExpiresAt.Should().Be(DateTime.UnixEpoch, "a token without an access token is due for a refresh at once");
    }

    [SkippableFact]
    public async Task Verify_refresh_stores_the_pair_the_provider_handed_back_and_nothing_when_it_refuses()
    {
        var probe = new RefreshProbe
        {
            Verify = grant => grant.RefreshToken == "refused"
                ? throw new VaultException(VaultError.ProviderFailure, "The provider refused the refresh token")
                : grant with { AccessToken = "rotated-access", RefreshToken = "rotated-refresh", ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(Expiry).UtcDateTime },
        };
        await using var vault = probe.Start(fixture);
        var verifying = new TokenApi(vault.CreateManagementClient());
        var app = await verifying.CreateOAuthApp();

        await (await verifying.Post("app/user/oauthtoken/upload", new { appId = app, userId = "u1", refreshToken = "uploaded", verifyRefresh = true })).ShouldBeOk();
        var token = await verifying.Fetch("app/user/token/latest", new { appId = app, userId = "u1", options = new { withRefreshToken = true } });
        token["accessToken"]!.GetValue<string>().Should().Be("rotated-access");
        token["refreshToken"]!.GetValue<string>().Should().Be("rotated-refresh");
        probe.Verified.Should().ContainSingle().Which.RefreshToken.Should().Be("uploaded");

        await (await verifying.Post("app/tenant/oauthtoken/upload", new { appId = app, tenantId = "t1", refreshToken = "refused", verifyRefresh = true })).ShouldBeError(502, "E081502");
        (await Rows(app)).Should().ContainSingle("nothing is stored when verification fails");
        await (await verifying.Post("app/tenant/oauthtoken/upload", new { appId = app, tenantId = "t1", refreshToken = "unverified" })).ShouldBeOk();
        probe.Verified.Should().HaveCount(2, "without verifyRefresh the provider is not asked");
    }

    [SkippableFact]
    public async Task A_successful_batch_answers_an_empty_failure_list_and_stores_every_item()
    {
        var app = await api.CreateOAuthApp();
        var tokens = Enumerable.Range(0, 50).Select(i => new { appId = app, userId = $"u{i}", accessToken = $"a{i}", refreshToken = $"r{i}", accessTokenExpiry = Expiry, scopes = new[] { "s" } });
        var body = await (await api.Post("app/user/oauthtoken/batch/upload", new { tokens })).ShouldBeOk();
        body["failures"]!.AsArray().Should().BeEmpty();
        (await Rows(app)).Should().HaveCount(50);
        (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u7" }))["accessToken"]!.GetValue<string>().Should().Be("a7");

        var tenants = await (await api.Post("app/tenant/oauthtoken/batch/upload",
            $$"""{"tokens":[{"appId":"{{app}}","tenantId":"t1","accessToken":"ta"},{"appId":"{{app}}","tenantId":"t2","refreshToken":"tr"}]}""")).ShouldBeOk();
        tenants["failures"]!.AsArray().Should().BeEmpty();
        (await api.Fetch("app/tenant/token/latest", new { appId = app, tenantId = "t1" }))["accessToken"]!.GetValue<string>().Should().Be("ta");
    }

    [SkippableFact]
    public async Task A_batch_with_any_failing_item_stores_nothing_and_lists_every_failure_without_secrets()
    {
        var app = await api.CreateOAuthApp();
        var keys = await api.CreateApiKeyApp();
        var secret = TokenApi.Secret("batch");
        var json = $$"""
            {"tokens":[
              {"appId":"{{app}}","userId":"ok-1","accessToken":"{{secret}}"},
              {"appId":"{{app}}","userId":"no-token"},
              {"appId":"no-such-app","userId":"u","accessToken":"{{secret}}"},
              {"appId":"{{keys}}","userId":"u","tenantId":"t","accessToken":"{{secret}}"},
              null,
              {"appId":"{{app}}","userId":"u","accessToken":"{{secret}}","verifyRefresh":true}
            ]}
            """;
        var response = await api.Post("app/user/oauthtoken/batch/upload", json);
        var raw = await response.Content.ReadAsStringAsync();
        var failures = (await response.ShouldBeOk())["failures"]!.AsArray();

        failures.Select(f => f!["errorCode"]!.GetValue<string>()).Should().Equal("E011002", "E081404", "E011003", "E011002", "E011003");
        failures.Select(f => f!["appId"]!.GetValue<string>()).Should().Equal(app, "no-such-app", keys, "", app);
        failures[0]!["userId"]!.GetValue<string>().Should().Be("no-token");
        failures[0]!.AsObject().ContainsKey("tenantId").Should().BeFalse("absent, not \"\"");
        failures[2]!["tenantId"]!.GetValue<string>().Should().Be("t");
        failures[0]!["reason"]!.GetValue<string>().Should().StartWith("tokens[1]:");
        failures[3]!["reason"]!.GetValue<string>().Should().Contain("tokens[4]");
        raw.Should().NotContain(secret);
        (await Rows(app)).Should().BeEmpty("a batch is all or nothing");
        fixture.Vault.Logs.All.Should().NotContain(secret);
    }

    [SkippableFact]
    public async Task A_tenant_batch_failure_carries_only_the_tenant_id()
    {
        var app = await api.CreateOAuthApp();
        var failures = (await (await api.Post("app/tenant/oauthtoken/batch/upload",
            $$"""{"tokens":[{"appId":"{{app}}","tenantId":"t1"},{"appId":"{{app}}","tenantId":"t2","accessToken":"fine"}]}""")).ShouldBeOk())["failures"]!.AsArray();
        var failure = failures.Should().ContainSingle().Subject!.AsObject();
        failure["tenantId"]!.GetValue<string>().Should().Be("t1");
        failure.ContainsKey("userId").Should().BeFalse();
        (await Rows(app)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Batches_are_bounded_and_need_a_token_list()
    {
        var app = await api.CreateOAuthApp();
        var tooMany = Enumerable.Range(0, TokenLimits.MaxBatch + 1).Select(i => new { appId = app, tenantId = $"t{i}", accessToken = "a" });
        (await (await api.Post("app/tenant/oauthtoken/batch/upload", new { tokens = tooMany })).ShouldBeError(400, "E011003"))["errorMessage"]!
            .GetValue<string>().Should().Contain("1000");
        (await (await api.Post("app/user/oauthtoken/batch/upload", "{}")).ShouldBeError(400, "E011002"))["errorMessage"]!.GetValue<string>().Should().Contain("tokens");
        var empty = await (await api.Post("app/user/oauthtoken/batch/upload", """{"tokens":[]}""")).ShouldBeOk();
        empty["failures"]!.AsArray().Should().BeEmpty();
        (await Rows(app)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task A_batch_replaces_stored_tokens_with_equal_scopes_like_single_uploads_do()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u", accessToken = "stored", scopes = new[] { "b", "a" } });
        await api.UploadUserToken(new { appId = app, userId = "u", tenantId = "t", accessToken = "other-owner", scopes = new[] { "a", "b" } });
        var body = await (await api.Post("app/user/oauthtoken/batch/upload",
            $$"""{"tokens":[{"appId":"{{app}}","userId":"u","accessToken":"replaced","scopes":["a","b"]},{"appId":"{{app}}","userId":"u","accessToken":"added","scopes":["a"]}]}""")).ShouldBeOk();
        body["failures"]!.AsArray().Should().BeEmpty();

        var rows = await Rows(app);
        rows.Should().HaveCount(3);
        rows.Where(r => r.TenantId == "" && r.ScopeKey == "a b").Should().ContainSingle();
        (await api.Fetch("app/user/token", new { appId = app, userId = "u", scopes = new[] { "b" } }))["accessToken"]!.GetValue<string>().Should().Be("replaced");
        (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u", tenantId = "t" }))["accessToken"]!.GetValue<string>().Should().Be("other-owner");
    }

    [SkippableFact]
    public async Task Duplicate_owners_within_a_batch_keep_the_last_item()
    {
        var app = await api.CreateOAuthApp();
        var body = await (await api.Post("app/user/oauthtoken/batch/upload",
            $$"""{"tokens":[{"appId":"{{app}}","userId":"u","accessToken":"one","scopes":["s"]},{"appId":"{{app}}","userId":"u","accessToken":"two","scopes":["s"]}]}""")).ShouldBeOk();
        body["failures"]!.AsArray().Should().BeEmpty();
        (await Rows(app)).Should().ContainSingle();
        (await api.Fetch("app/user/token/latest", new { appId = app, userId = "u" }))["accessToken"]!.GetValue<string>().Should().Be("two");
    }
}

public sealed class TokenUploadTests_Sqlite(SqliteVault fixture) : TokenUploadTests(fixture), IClassFixture<SqliteVault>;

public sealed class TokenUploadTests_Postgres(PostgresVault fixture) : TokenUploadTests(fixture), IClassFixture<PostgresVault>;
