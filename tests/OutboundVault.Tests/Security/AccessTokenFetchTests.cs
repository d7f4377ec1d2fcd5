using System.Net.Http.Json;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Connect;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Tokens;

namespace OutboundVault.Tests.Security;

/// <summary>
/// The four fetch routes (docs/contract.md rows 7–10) called with an inbound access token instead of the management
/// key, as python's <c>outbound_application_by_token</c> (<c>Bearer pid:jwt</c>) and Java's
/// <c>OutboundAppsByTokenService</c> (<c>Bearer jwt</c>) send them. The tokens are signed by the fixture's
/// identity provider (OIDC discovery and JWKS on loopback).
/// </summary>
public abstract class AccessTokenFetchTests(ConnectFixture fixture)
{
    const string Fetch = "outbound.token.fetch";
    readonly TokenApi api = new(fixture.Vault.CreateManagementClient());
    FakeOAuthProvider Idp => fixture.IdentityProvider;

    string Jwt(string sub, object? scope = null, object? tenants = null, string? dct = null, string? azp = null, DateTime? expires = null, string? issuer = null)
    {
        var claims = new Dictionary<string, object>();
        if (scope is not null) claims[scope is string ? "scope" : "scp"] = scope;
        if (tenants is not null) claims["tenants"] = tenants;
        if (dct is not null) claims["dct"] = dct;
        if (azp is not null) claims["azp"] = azp;
        return Idp.CreateUserJwt(sub, ConnectFixture.Audience, expires, issuer, claims);
    }

    static HttpClient Caller(VaultFactory vault, string bearer)
    {
        var client = vault.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    HttpClient Python(string jwt) => Caller(fixture.Vault, $"{VaultFactory.ProjectId}:{jwt}");
    HttpClient Java(string jwt) => Caller(fixture.Vault, jwt);

    async Task<string> AppWithUserToken(string userId, string accessToken, string? tenantId = null)
    {
        var appId = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId, userId, tenantId, accessToken, scopes = new[] { "read" } });
        return appId;
    }

    async Task<string> AppWithTenantToken(string tenantId, string accessToken)
    {
        var appId = await api.CreateOAuthApp();
        await api.UploadTenantToken(new { appId, tenantId, accessToken, scopes = new[] { "read" } });
        return appId;
    }

    public static TheoryData<string, bool> UserRoutes => new()
    {
        { "app/user/token/latest", true }, { "app/user/token/latest", false },
        { "app/user/token", true }, { "app/user/token", false },
    };

    [SkippableTheory]
    [MemberData(nameof(UserRoutes))]
    public async Task A_user_fetches_their_own_token_with_their_access_token(string route, bool withProjectId)
    {
        var secret = TokenApi.Secret("by-token-user");
        var appId = await AppWithUserToken("bt-user-1", secret);
        var jwt = Jwt("bt-user-1", Fetch);

        var token = (await (await (withProjectId ? Python(jwt) : Java(jwt)).PostJson($"{TokenApi.Outbound}/{route}",
            new { appId, userId = "bt-user-1", scopes = new[] { "read" } })).ShouldBeOk())["token"]!;

        token["accessToken"]!.GetValue<string>().Should().Be(secret);
    }

    public static TheoryData<string, bool> TenantRoutes => new()
    {
        { "app/tenant/token/latest", true }, { "app/tenant/token/latest", false },
        { "app/tenant/token", true }, { "app/tenant/token", false },
    };

    [SkippableTheory]
    [MemberData(nameof(TenantRoutes))]
    public async Task A_member_fetches_their_tenants_token_with_their_access_token(string route, bool withProjectId)
    {
        var secret = TokenApi.Secret("by-token-tenant");
        var appId = await AppWithTenantToken("bt-tenant-1", secret);
        var jwt = Jwt("bt-member", Fetch, tenants: new Dictionary<string, object> { ["bt-tenant-1"] = new Dictionary<string, object> { ["roles"] = new List<object> { "admin" } } });

        var token = (await (await (withProjectId ? Python(jwt) : Java(jwt)).PostJson($"{TokenApi.Outbound}/{route}",
            new { appId, tenantId = "bt-tenant-1", scopes = new[] { "read" } })).ShouldBeOk())["token"]!;

        token["accessToken"]!.GetValue<string>().Should().Be(secret);
    }

    [SkippableFact]
    public async Task The_fetch_scope_may_come_as_an_scp_array()
    {
        var secret = TokenApi.Secret("by-token-scp");
        var appId = await AppWithUserToken("bt-user-scp", secret);

        var token = await new TokenApi(Java(Jwt("bt-user-scp", new[] { "openid", Fetch }))).Fetch("app/user/token/latest", new { appId, userId = "bt-user-scp" });

        token["accessToken"]!.GetValue<string>().Should().Be(secret);
    }

    [SkippableFact]
    public async Task A_user_token_in_a_tenant_named_by_dct_is_fetched()
    {
        var secret = TokenApi.Secret("by-token-dct");
        var appId = await AppWithUserToken("bt-user-dct", secret, tenantId: "bt-dct");

        var token = await new TokenApi(Java(Jwt("bt-user-dct", Fetch, dct: "bt-dct"))).Fetch("app/user/token/latest", new { appId, userId = "bt-user-dct", tenantId = "bt-dct" });

        token["accessToken"]!.GetValue<string>().Should().Be(secret);
    }

    public static TheoryData<string> Forgeries => ["expired", "issuer", "signature", "unsigned", "project"];

    [SkippableTheory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_stale_access_token_is_unauthorized_and_never_logged(string flaw)
    {
        var secret = TokenApi.Secret("by-token-forged");
        var appId = await AppWithUserToken("bt-user-2", secret);
        await using var stranger = await FakeOAuthProvider.StartAsync();
        var (jwt, client) = flaw switch
        {
            "expired" => Only(Jwt("bt-user-2", Fetch, expires: DateTime.UtcNow.AddMinutes(-5))),
            "issuer" => Only(Jwt("bt-user-2", Fetch, issuer: "https://idp.example.test")),
            "signature" => Only(stranger.CreateUserJwt("bt-user-2", ConnectFixture.Audience, issuer: Idp.Issuer,
                claims: new Dictionary<string, object> { ["scope"] = Fetch })),
            "unsigned" => Only(Unsigned("bt-user-2")),
            _ => (Jwt("bt-user-2", Fetch), Caller(fixture.Vault, $"P2someoneelse000000000000000:{Jwt("bt-user-2", Fetch)}")),
        };

        var response = await client.PostJson($"{TokenApi.Outbound}/app/user/token/latest", new { appId, userId = "bt-user-2" });

        var body = await response.ShouldBeError(401, "E081401");
        body.ToJsonString().Should().NotContain(secret).And.NotContain(jwt);
        fixture.Vault.Logs.All.Should().NotContain(jwt);
    }

    (string, HttpClient) Only(string jwt) => (jwt, Java(jwt));

    /// <summary>An <c>alg: none</c> token with every claim a valid one has.</summary>
    static string Unsigned(string sub)
    {
        static string Part(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"sub":"{{sub}}","aud":"{{ConnectFixture.Audience}}","exp":{{exp}},"scope":"{{Fetch}}"}""")}.";
    }

    [SkippableFact]
    public async Task An_access_token_without_the_fetch_scope_is_forbidden()
    {
        var appId = await AppWithUserToken("bt-user-3", TokenApi.Secret("by-token-noscope"));

        var error = await (await Java(Jwt("bt-user-3", "openid profile")).PostJson($"{TokenApi.Outbound}/app/user/token/latest",
            new { appId, userId = "bt-user-3" })).ShouldBeError(403, "E081403");

        error["errorMessage"]!.GetValue<string>().Should().Contain(Fetch);
    }

    [SkippableFact]
    public async Task An_access_token_cannot_fetch_another_users_token()
    {
        var secret = TokenApi.Secret("by-token-other");
        var appId = await AppWithUserToken("bt-victim", secret);

        var error = await (await Java(Jwt("bt-attacker", Fetch)).PostJson($"{TokenApi.Outbound}/app/user/token/latest",
            new { appId, userId = "bt-victim" })).ShouldBeError(403, "E081403");

        error.ToJsonString().Should().NotContain(secret);
    }

    [SkippableFact]
    public async Task An_access_token_cannot_fetch_the_token_of_a_tenant_it_does_not_belong_to()
    {
        var secret = TokenApi.Secret("by-token-tenant-other");
        var appId = await AppWithTenantToken("bt-tenant-victim", secret);
        var jwt = Jwt("bt-member-2", Fetch, tenants: new Dictionary<string, object> { ["bt-tenant-mine"] = new Dictionary<string, object>() }, dct: "bt-tenant-mine");

        var error = await (await Java(jwt).PostJson($"{TokenApi.Outbound}/app/tenant/token/latest",
            new { appId, tenantId = "bt-tenant-victim" })).ShouldBeError(403, "E081403");

        error.ToJsonString().Should().NotContain(secret);
    }

    [SkippableFact]
    public async Task A_user_fetch_naming_a_foreign_tenant_is_forbidden()
    {
        var appId = await AppWithUserToken("bt-user-4", TokenApi.Secret("by-token-user-tenant"), tenantId: "bt-tenant-x");

        await (await Java(Jwt("bt-user-4", Fetch)).PostJson($"{TokenApi.Outbound}/app/user/token/latest",
            new { appId, userId = "bt-user-4", tenantId = "bt-tenant-x" })).ShouldBeError(403, "E081403");
    }

    public static TheoryData<string, string> ManagementRoutes => new()
    {
        { "GET", "apps" },
        { "POST", "app/user/oauthtoken/upload" },
        { "DELETE", "user/tokens?appId=any&userId=bt-user-5" },
    };

    [SkippableTheory]
    [MemberData(nameof(ManagementRoutes))]
    public async Task A_valid_access_token_on_a_management_route_is_forbidden(string method, string route)
    {
        var client = Java(Jwt("bt-user-5", Fetch));
        var request = new HttpRequestMessage(new HttpMethod(method), $"{TokenApi.Outbound}/{route}");
        if (method == "POST") request.Content = JsonContent.Create(new { appId = "any", userId = "bt-user-5", token = new { accessToken = "x" } });

        await (await client.SendAsync(request)).ShouldBeError(403, "E081403");
    }

    [SkippableFact]
    public async Task A_by_token_fetch_is_logged_with_subject_and_app_but_not_the_token()
    {
        var secret = TokenApi.Secret("by-token-logged");
        var appId = await AppWithUserToken("bt-user-log", secret);
        var jwt = Jwt("bt-user-log", Fetch);

        await new TokenApi(Java(jwt)).Fetch("app/user/token/latest", new { appId, userId = "bt-user-log" });

        fixture.Vault.Logs.All.Should().Contain($"Access token of bt-user-log uses app {appId}").And.NotContain(jwt).And.NotContain(secret);
    }

    [SkippableFact]
    public async Task An_access_policy_limits_an_app_to_tokens_with_a_named_scope_or_client()
    {
        var vault = fixture.Start(new Dictionary<string, string?>
        {
            ["Access:Apps:guarded:Scopes:0"] = "calendar.read",
            ["Access:Apps:guarded:ClientIds:0"] = "mcp-calendar",
        });
        var admin = new TokenApi(vault.CreateManagementClient());
        await admin.CreateOAuthApp("guarded");
        var secret = TokenApi.Secret("guarded");
        await admin.UploadUserToken(new { appId = "guarded", userId = "bt-user-6", accessToken = secret });
        var body = new { appId = "guarded", userId = "bt-user-6" };
        const string route = $"{TokenApi.Outbound}/app/user/token/latest";

        await (await Caller(vault, Jwt("bt-user-6", Fetch)).PostJson(route, body)).ShouldBeError(403, "E081403");
        (await (await Caller(vault, Jwt("bt-user-6", $"{Fetch} calendar.read")).PostJson(route, body)).ShouldBeOk())["token"]!["accessToken"]!
            .GetValue<string>().Should().Be(secret);
        (await (await Caller(vault, Jwt("bt-user-6", Fetch, azp: "mcp-calendar")).PostJson(route, body)).ShouldBeOk())["token"]!["accessToken"]!
            .GetValue<string>().Should().Be(secret);
    }
}

public sealed class AccessTokenFetchTests_Sqlite(SqliteConnectVault fixture) : AccessTokenFetchTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class AccessTokenFetchTests_Postgres(PostgresConnectVault fixture) : AccessTokenFetchTests(fixture), IClassFixture<PostgresConnectVault>;
