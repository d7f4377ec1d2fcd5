using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Tokens;

/// <summary>docs/contract.md row 13 and the token management view (metadata only, paged, documented).</summary>
public abstract class TokenListTests(VaultFixture fixture)
{
    readonly TokenApi api = new(fixture.Management);

    async Task<List<string>> AppsWithUserToken(string query) =>
        (await (await api.Client.GetAsync($"{TokenApi.Outbound}/apps-with-user-token?{query}")).ShouldBeOk())["appIds"]!
            .AsArray().Select(a => a!.GetValue<string>()).ToList();

    [SkippableFact]
    public async Task Apps_with_user_token_lists_apps_where_the_matching_fetch_finds_a_valid_token()
    {
        var user = TestApps.NewId("user");
        var (a, b, c, keys) = (await api.CreateOAuthApp(), await api.CreateOAuthApp(), await api.CreateOAuthApp(), await api.CreateApiKeyApp());
        await api.UploadUserToken(new { appId = b, userId = user, accessToken = "x" });
        await api.UploadUserToken(new { appId = a, userId = user, accessToken = "x" });
        await api.UploadUserToken(new { appId = c, userId = user, tenantId = "t1", accessToken = "x" });
        await (await api.Post("app/user/apikey/upload", new { appId = keys, userId = user, apiKey = "k" })).ShouldBeOk();
        await api.UploadTenantToken(new { appId = c, tenantId = user, accessToken = "x" });

        (await AppsWithUserToken($"userId={user}")).Should().Equal(new[] { a, b, keys }.Order(StringComparer.Ordinal));
        (await AppsWithUserToken($"userId={user}&tenantId=t1")).Should().Equal(c);
        (await AppsWithUserToken($"userId={user}&tenantId=undefined")).Should().HaveCount(3);
        (await AppsWithUserToken("userId=nobody")).Should().BeEmpty();

        await using (var scope = fixture.Vault.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.Where(t => t.AppId == a && t.UserId == user)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TokenStatuses.NeedsReconnect));
        }
        (await AppsWithUserToken($"userId={user}")).Should().Equal(new[] { b, keys }.Order(StringComparer.Ordinal), "a token that needs a reconnect is not a usable connection");
        await (await api.Client.GetAsync($"{TokenApi.Outbound}/apps-with-user-token")).ShouldBeError(400, "E011002");
        await (await api.Client.GetAsync($"{TokenApi.Outbound}/apps-with-user-token?tenantId=t1")).ShouldBeError(400, "E011002");
    }

    [SkippableFact]
    public async Task The_management_view_pages_token_metadata_and_never_secrets()
    {
        var app = await api.CreateOAuthApp();
        var secrets = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (access, refresh) = (TokenApi.Secret("access"), TokenApi.Secret("refresh"));
            secrets.AddRange([access, refresh]);
            await api.UploadUserToken(new { appId = app, userId = $"u{i}", tenantId = i % 2 == 0 ? "t1" : null, accessToken = access, refreshToken = refresh, accessTokenExpiry = 1900000000 + i, scopes = new[] { "s" } });
            await Task.Delay(5);
        }
        await api.UploadTenantToken(new { appId = app, tenantId = "t1", accessToken = "tenant-access-secret" });
        secrets.Add("tenant-access-secret");

        var response = await api.Client.GetAsync($"{TokenApi.Outbound}/app/{app}/tokens?pageSize=4");
        var raw = await response.Content.ReadAsStringAsync();
        var first = await response.ShouldBeOk();
        first["total"]!.GetValue<int>().Should().Be(6);
        first["page"]!.GetValue<int>().Should().Be(0);
        first["pageSize"]!.GetValue<int>().Should().Be(4);
        var tokens = first["tokens"]!.AsArray();
        tokens.Should().HaveCount(4);
        tokens[0]!["tenantId"]!.GetValue<string>().Should().Be("t1");
        tokens[0]!.AsObject().ContainsKey("userId").Should().BeFalse("the tenant token was stored last");
        var u4 = tokens[1]!;
        u4["userId"]!.GetValue<string>().Should().Be("u4");
        u4["kind"]!.GetValue<string>().Should().Be("oauth");
        u4["status"]!.GetValue<string>().Should().Be("valid");
        u4["hasAccessToken"]!.GetValue<bool>().Should().BeTrue();
        u4["hasRefreshToken"]!.GetValue<bool>().Should().BeTrue();
        u4["accessTokenExpiry"]!.GetValue<long>().Should().Be(1900000004);
        u4["keyId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        u4.AsObject().ContainsKey("accessToken").Should().BeFalse();
        u4.AsObject().ContainsKey("refreshToken").Should().BeFalse();
        foreach (var secret in secrets) raw.Should().NotContain(secret);

        var second = await (await api.Client.GetAsync($"{TokenApi.Outbound}/app/{app}/tokens?pageSize=4&page=1")).ShouldBeOk();
        second["tokens"]!.AsArray().Select(t => t!["userId"]!.GetValue<string>()).Should().Equal("u1", "u0");

        var filtered = await (await api.Client.GetAsync($"{TokenApi.Outbound}/app/{app}/tokens?tenantId=t1")).ShouldBeOk();
        filtered["total"]!.GetValue<int>().Should().Be(4);
        var one = await (await api.Client.GetAsync($"{TokenApi.Outbound}/app/{app}/tokens?userId=u2&tenantId=t1")).ShouldBeOk();
        one["tokens"]!.AsArray().Should().ContainSingle().Which!["userId"]!.GetValue<string>().Should().Be("u2");
    }

    [SkippableTheory]
    [InlineData("page=-1", "page")]
    [InlineData("page=x", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    public async Task The_management_view_names_bad_paging_arguments(string query, string field)
    {
        var app = await api.CreateOAuthApp();
        var error = await (await api.Client.GetAsync($"{TokenApi.Outbound}/app/{app}/tokens?{query}")).ShouldBeError(400, "E011003");
        error["errorMessage"]!.GetValue<string>().Should().StartWith(field);
    }

    [SkippableFact]
    public async Task The_management_view_of_an_unknown_app_is_a_404_and_it_is_documented()
    {
        await (await api.Client.GetAsync($"{TokenApi.Outbound}/app/no-such-app/tokens")).ShouldBeError(404, "E081404");
        var document = await (await fixture.Vault.CreateClient().GetAsync("/openapi/v1.json")).ShouldBeOk();
        var operation = document["paths"]!["/v1/mgmt/outbound/app/{appId}/tokens"]!["get"]!;
        operation["summary"]!.GetValue<string>().Should().Contain("metadata");
        operation["description"]!.GetValue<string>().Should().Contain("never returned");
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Contain("Tokens");
        operation["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Should().Contain(["appId", "userId", "tenantId", "page", "pageSize"]);
        operation["responses"]!.AsObject().Select(r => r.Key).Should().Contain(["200", "404"]);
    }
}

public sealed class TokenListTests_Sqlite(SqliteVault fixture) : TokenListTests(fixture), IClassFixture<SqliteVault>;

public sealed class TokenListTests_Postgres(PostgresVault fixture) : TokenListTests(fixture), IClassFixture<PostgresVault>;
