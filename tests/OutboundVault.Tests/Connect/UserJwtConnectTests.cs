using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// Connect with <c>Bearer &lt;ProjectId&gt;:&lt;user JWT&gt;</c>, the JWT minted with the key the fixture's
/// identity provider publishes at /jwks (Connect:Jwt:Authority).
/// </summary>
public abstract class UserJwtConnectTests(ConnectFixture fixture)
{
    readonly ConnectDriver driver = new(fixture.Vault);
    FakeOAuthProvider Idp => fixture.IdentityProvider;

    HttpClient UserClient(string jwt, string projectId = VaultFactory.ProjectId)
    {
        var client = fixture.Vault.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", $"{projectId}:{jwt}");
        return client;
    }

    [SkippableTheory]
    [InlineData(ConnectDriver.UserConnect)]
    [InlineData(ConnectDriver.ManagementConnect)]
    public async Task A_valid_user_token_connects_its_sub(string path)
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var jwt = Idp.CreateUserJwt("jwt-user-1", ConnectFixture.Audience, claims: new Dictionary<string, object> { ["dct"] = "tenant-j" });

        // core-js moves tenantId to the top level; the user's token then belongs to that tenant (one the JWT names).
        var callback = await driver.RunAsync(new { appId, tenantId = "tenant-j", options = new { scopes = new[] { "s" } } }, UserClient(jwt), path);

        ConnectDriver.Markers(callback)["outbound_status"].Should().Be("success");
        var token = (await driver.TokensAsync(appId)).Should().ContainSingle().Subject;
        (token.UserId, token.TenantId, token.GrantedBy).Should().Be(("jwt-user-1", "tenant-j", "jwt-user-1"));
        fixture.Vault.Logs.All.Should().NotContain(jwt);
    }

    [SkippableFact]
    public async Task Nodes_bearer_with_a_trailing_management_key_is_read_as_the_user_token()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var jwt = Idp.CreateUserJwt("jwt-user-node", ConnectFixture.Audience);

        await driver.RunAsync(new { appId }, UserClient($"{jwt}:{VaultFactory.ManagementKey}"));

        (await driver.TokensAsync(appId)).Should().ContainSingle().Which.UserId.Should().Be("jwt-user-node");
    }

    [SkippableFact]
    public async Task A_user_token_caller_cannot_connect_someone_else_or_a_whole_tenant()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var client = UserClient(Idp.CreateUserJwt("jwt-user-2", ConnectFixture.Audience));

        await (await client.PostJson(ConnectDriver.UserConnect, new { appId, userId = "someone-else" })).ShouldBeError(403, "E081403");
        await (await client.PostJson(ConnectDriver.UserConnect, new { appId, tenantId = "t", tenantLevel = true })).ShouldBeError(403, "E081403");
        await (await client.PostJson(ConnectDriver.UserConnect, new { appId, userId = "jwt-user-2" })).ShouldBeOk();
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { "expired", "has expired" },
        { "audience", "audience" },
        { "issuer", "not issued by" },
        { "signature", "signature" },
        { "project", "project id" },
        { "malformed", "not a well-formed JWT" },
    };

    [SkippableTheory]
    [MemberData(nameof(Rejections))]
    public async Task An_invalid_user_token_is_refused_with_the_reason(string flaw, string reason)
    {
        await using var stranger = await FakeOAuthProvider.StartAsync(); // same key id, different key
        var good = Idp.CreateUserJwt("jwt-user-3", ConnectFixture.Audience);
        var (jwt, projectId) = flaw switch
        {
            "expired" => (Idp.CreateUserJwt("jwt-user-3", ConnectFixture.Audience, expires: DateTime.UtcNow.AddMinutes(-5)), VaultFactory.ProjectId),
            "audience" => (Idp.CreateUserJwt("jwt-user-3", "another-service"), VaultFactory.ProjectId),
            "issuer" => (Idp.CreateUserJwt("jwt-user-3", ConnectFixture.Audience, issuer: "https://idp.example.test"), VaultFactory.ProjectId),
            "signature" => (stranger.CreateUserJwt("jwt-user-3", ConnectFixture.Audience, issuer: Idp.Issuer), VaultFactory.ProjectId),
            "project" => (good, "P2someoneelse000000000000000"),
            _ => ("eyJhbGciOiJSUzI1NiJ9.not-base64.sig", VaultFactory.ProjectId),
        };

        var error = await (await UserClient(jwt, projectId).PostJson(ConnectDriver.UserConnect, new { appId = "any", userId = "x" }))
            .ShouldBeError(401, "E081401");

        error["errorMessage"]!.GetValue<string>().Should().Contain(reason).And.NotContain(jwt);
        fixture.Vault.Logs.All.Should().NotContain(jwt);
    }

    [SkippableFact]
    public async Task Without_connect_jwt_configuration_a_user_token_gets_not_configured()
    {
        var unconfigured = fixture.Start(new Dictionary<string, string?> { ["Connect:Jwt:Authority"] = null, ["Connect:Jwt:Audience"] = null });
        var client = unconfigured.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{Idp.CreateUserJwt("u", ConnectFixture.Audience)}");

        var error = await (await client.PostJson(ConnectDriver.UserConnect, new { appId = "any" })).ShouldBeError(501, "E081501");

        error["errorMessage"]!.GetValue<string>().Should().Contain("Connect:Jwt:Authority");
        await (await unconfigured.CreateManagementClient().PostJson(ConnectDriver.UserConnect, new { appId = "no-such-app", userId = "u" }))
            .ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task An_unreachable_identity_provider_is_a_provider_failure_not_a_bad_token()
    {
        // The discard port on loopback: nothing listens there.
        var vault = fixture.Start(new Dictionary<string, string?> { ["Connect:Jwt:Authority"] = "http://127.0.0.1:9" });
        var client = vault.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{Idp.CreateUserJwt("u", ConnectFixture.Audience)}");

        var error = await (await client.PostJson(ConnectDriver.UserConnect, new { appId = "any" })).ShouldBeError(502, "E081502");

        error["errorMessage"]!.GetValue<string>().Should().Contain("Connect:Jwt:Authority");
    }

    [SkippableFact]
    public async Task A_valid_user_token_on_a_management_route_is_forbidden_not_unauthenticated()
    {
        var client = UserClient(Idp.CreateUserJwt("jwt-user-4", ConnectFixture.Audience));

        await (await client.GetAsync("/v1/mgmt/outbound/apps")).ShouldBeError(403, "E081403");
    }
}

public sealed class UserJwtConnectTests_Sqlite(SqliteConnectVault fixture) : UserJwtConnectTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class UserJwtConnectTests_Postgres(PostgresConnectVault fixture) : UserJwtConnectTests(fixture), IClassFixture<PostgresConnectVault>;
