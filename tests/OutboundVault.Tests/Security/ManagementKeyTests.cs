using System.Net;
using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Tokens;

namespace OutboundVault.Tests.Security;

/// <summary>Keys with roles: admin keys do everything, fetch keys what an MCP server needs, limited to their apps if given.</summary>
public abstract class ManagementKeyTests(KeysVault fixture)
{
    readonly TokenApi api = new(fixture.Management);

    HttpClient With(string key)
    {
        var client = fixture.Vault.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{key}");
        return client;
    }

    async Task<(string Id, string Cleartext)> CreateKey(string role, params string[] appIds)
    {
        var body = await (await fixture.Management.PostJson("/v1/mgmt/keys/create", new { role, appIds })).ShouldBeOk();
        return (body["key"]!["id"]!.GetValue<string>(), body["cleartext"]!.GetValue<string>());
    }

    async Task<string> AppWithToken(string userId)
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId, accessToken = "a-" + app });
        return app;
    }

    [SkippableFact]
    public async Task A_fetch_key_limited_to_an_app_fetches_its_tokens_and_is_refused_the_others()
    {
        var (allowed, other) = (await AppWithToken("u1"), await AppWithToken("u1"));
        var (_, key) = await CreateKey("fetch", allowed);
        var client = With(key);

        var fetched = await client.PostJson("/v1/mgmt/outbound/app/user/token/latest", new { appId = allowed, userId = "u1" });
        var refused = await client.PostJson("/v1/mgmt/outbound/app/user/token/latest", new { appId = other, userId = "u1" });

        ((int)fetched.StatusCode, (await refused.ShouldBeError(403, "E081403"))["errorMessage"]!.GetValue<string>()).Should().Be((200, $"This fetch key may not use app '{other}'"));
    }

    [SkippableTheory]
    [InlineData("POST", "/v1/mgmt/outbound/app/create")]
    [InlineData("GET", "/v1/mgmt/outbound/apps")]
    [InlineData("POST", "/v1/mgmt/outbound/app/user/oauthtoken/upload")]
    [InlineData("DELETE", "/v1/mgmt/outbound/token?id=x")]
    [InlineData("GET", "/v1/mgmt/keys")]
    [InlineData("GET", "/v1/mgmt/audit")]
    public async Task A_fetch_key_on_an_admin_route_is_a_403(string method, string path)
    {
        var (_, key) = await CreateKey("fetch");
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent(new { }) : null };

        await (await With(key).SendAsync(request)).ShouldBeError(403, "E081403");
    }

    [SkippableFact]
    public async Task A_fetch_key_reads_the_license_and_lists_only_its_apps_a_user_is_connected_to()
    {
        var (allowed, other) = (await AppWithToken("u2"), await AppWithToken("u2"));
        var (_, key) = await CreateKey("fetch", allowed);
        var client = With(key);

        var license = await client.GetAsync("/v1/mgmt/license");
        var apps = await (await client.GetAsync("/v1/mgmt/outbound/apps-with-user-token?userId=u2")).ShouldBeOk();

        ((int)license.StatusCode, apps["appIds"]!.AsArray().Select(a => a!.GetValue<string>()).ToList()).Should().BeEquivalentTo((200, new[] { allowed }));
        _ = other;
    }

    [SkippableFact]
    public async Task A_configured_fetch_key_is_limited_to_the_apps_after_its_at_sign()
    {
        await api.CreateOAuthApp(KeysVault.ConfiguredApp);
        var other = await AppWithToken("u3");
        await api.UploadUserToken(new { appId = KeysVault.ConfiguredApp, userId = "u3", accessToken = "c" });
        var client = With(KeysVault.ConfiguredFetchKey);

        var statuses = new[]
        {
            (await client.PostJson("/v1/mgmt/outbound/app/user/token/latest", new { appId = KeysVault.ConfiguredApp, userId = "u3" })).StatusCode,
            (await client.PostJson("/v1/mgmt/outbound/app/user/token/latest", new { appId = other, userId = "u3" })).StatusCode,
        };

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.Forbidden);
    }

    [SkippableFact]
    public async Task Listing_keys_shows_roles_and_apps_but_never_a_secret()
    {
        var (id, key) = await CreateKey("fetch", "app-a", "app-b");

        var response = await fixture.Management.GetAsync("/v1/mgmt/keys");
        var text = await response.Content.ReadAsStringAsync();
        var listed = (await response.ShouldBeOk())["keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;

        (listed["role"]!.GetValue<string>(), listed["appIds"]!.AsArray().Count, text.Contains(key, StringComparison.Ordinal), text.Contains("hash", StringComparison.OrdinalIgnoreCase))
            .Should().Be(("fetch", 2, false, false));
    }

    [SkippableFact]
    public async Task A_revoked_key_is_refused_by_every_instance_within_the_refresh()
    {
        var (id, key) = await CreateKey("fetch");
        await using var other = fixture.Start();
        using var elsewhere = other.CreateClient();
        elsewhere.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{key}");
        (await elsewhere.GetAsync("/v1/mgmt/license")).StatusCode.Should().Be(HttpStatusCode.OK);

        await (await fixture.Management.PostJson("/v1/mgmt/keys/revoke", new { id })).ShouldBeOk();

        await Eventually.TrueAsync(() => elsewhere.GetAsync("/v1/mgmt/license").GetAwaiter().GetResult().StatusCode == HttpStatusCode.Unauthorized,
            "the other instance reloads its keys every second here", attempts: 400);
    }

    [SkippableFact]
    public async Task A_keys_last_use_is_recorded()
    {
        var (id, key) = await CreateKey("fetch");
        await With(key).GetAsync("/v1/mgmt/license");

        await Eventually.TrueAsync(() => LastUsed(id) > 0, "the use is written with the next key reload", attempts: 400);
    }

    long LastUsed(string id) => fixture.Management.GetAsync("/v1/mgmt/keys").GetAwaiter().GetResult().Json().GetAwaiter().GetResult()
        ["keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!["lastUsedTime"]!.GetValue<long>();

    [SkippableTheory]
    [InlineData("""{"role":"root"}""", "E011003")]
    [InlineData("""{}""", "E011002")]
    [InlineData("""{"role":"admin","appIds":["a"]}""", "E011003")]
    [InlineData("""{"role":"fetch","appIds":["bad id!"]}""", "E011003")]
    public async Task Bad_key_requests_are_400(string json, string code)
    {
        await (await fixture.Management.PostJson("/v1/mgmt/keys/create", json)).ShouldBeError(400, code);
    }

    [SkippableFact]
    public async Task Revoking_an_unknown_key_is_a_404()
    {
        await (await fixture.Management.PostJson("/v1/mgmt/keys/revoke", new { id = "KYnosuchkey" })).ShouldBeError(404, "E081404");
    }

    static StringContent JsonContent(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

/// <summary>A vault with a configured fetch key limited to one app, reloading stored keys every second.</summary>
public abstract class KeysVault(DatabaseKind kind) : VaultFixture(kind)
{
    public const string ConfiguredFetchKey = "configured-fetch-key-0123456789abcdef";
    public const string ConfiguredApp = "configured-app";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Management:FetchKeys:0"] = $"{ConfiguredFetchKey}@{ConfiguredApp}",
        ["Management:KeyRefresh"] = "00:00:01",
    };
}

public sealed class SqliteKeysVault() : KeysVault(DatabaseKind.Sqlite);

public sealed class PostgresKeysVault() : KeysVault(DatabaseKind.Postgres);

public sealed class ManagementKeyTests_Sqlite(SqliteKeysVault fixture) : ManagementKeyTests(fixture), IClassFixture<SqliteKeysVault>;

public sealed class ManagementKeyTests_Postgres(PostgresKeysVault fixture) : ManagementKeyTests(fixture), IClassFixture<PostgresKeysVault>;
