using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>What a connect refuses before anyone is sent to a provider: bad input, open redirects, unusable apps.</summary>
public abstract class ConnectStartTests(ConnectFixture fixture)
{
    readonly ConnectDriver driver = new(fixture.Vault);

    [SkippableTheory]
    [InlineData("https://evil.example/steal")]
    [InlineData("https://app.example.test.evil.example/")]
    [InlineData("https://evil.app.example.test/")]
    [InlineData("https://app.example.test@evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://app.example.test/")]
    [InlineData("http://app.example.test/connected")]
    [InlineData("https://app.example.test:8443/connected")]
    [InlineData("http://allowed.example.test/done")]
    public async Task A_redirect_url_outside_the_allowed_hosts_is_refused_and_nothing_is_pending(string redirectUrl)
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);

        var response = await driver.PostConnectAsync(new { appId, userId = "u-open", options = new { redirectUrl } });

        var error = await response.ShouldBeError(400, "E011003");
        error["errorMessage"]!.GetValue<string>().Should().Contain("options.redirectUrl");
        (await driver.PendingCountAsync(appId)).Should().Be(0);
        fake.TotalRequests.Should().Be(0);
    }

    [SkippableTheory]
    [InlineData("https://app.example.test/other/path?x=1")]
    [InlineData("https://APP.example.test/")]
    [InlineData("https://allowed.example.test:8443/done")]
    public async Task A_redirect_url_on_the_default_redirect_host_or_a_configured_host_is_accepted(string redirectUrl)
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);

        var callback = await driver.RunAsync(new { appId, userId = "u-ok", options = new { redirectUrl } });

        callback.Headers.Location!.GetLeftPart(UriPartial.Path).Should().Be(new Uri(redirectUrl).GetLeftPart(UriPartial.Path));
        ConnectDriver.Query(callback.Headers.Location)["outbound_status"].Should().Be("success");
    }

    [SkippableFact]
    public async Task Without_a_default_redirect_url_only_configured_hosts_are_accepted()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app => app.Remove("defaultRedirectUrl"));

        await (await driver.PostConnectAsync(new { appId, userId = "u", options = new { redirectUrl = ConnectDriver.RedirectUrl } })).ShouldBeError(400, "E011003");
        await (await driver.PostConnectAsync(new { appId, userId = "u", options = new { redirectUrl = "https://allowed.example.test/x" } })).ShouldBeOk();
    }

    [SkippableFact]
    public async Task A_management_key_caller_must_name_a_user_or_a_tenant()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);

        (await (await driver.PostConnectAsync(new { appId, options = new { } })).ShouldBeError(400, "E011002"))["errorMessage"]!
            .GetValue<string>().Should().Contain("userId or tenantId");
        (await (await driver.PostConnectAsync(new { appId, tenantLevel = true })).ShouldBeError(400, "E011002"))["errorMessage"]!
            .GetValue<string>().Should().Contain("tenantId");
    }

    [SkippableTheory]
    [InlineData("""{"userId":"u"}""", 400, "E011002", "appId")]
    [InlineData("""{"appId":"bad id!","userId":"u"}""", 400, "E011003", "appId")]
    [InlineData("""{"appId":"no-such-app","userId":"u"}""", 404, "E081404", "no-such-app")]
    [InlineData("""{"appId":"x","userId":"u","options":{"scopes":"not-a-list"}}""", 400, "E011001", "options.scopes")]
    [InlineData("""{"appId":"x","userId":"victim\r\n[00:00:00 INF] forged"}""", 400, "E011003", "control characters")]
    [InlineData("""{"appId":"x","userId":"u","tenantId":"t\u0000"}""", 400, "E011003", "tenantId")]
    public async Task Bad_connect_bodies_get_errors_naming_the_field(string body, int status, string code, string mentioned)
    {
        var error = await (await driver.Management.PostJson(ConnectDriver.UserConnect, body)).ShouldBeError(status, code);
        error["errorMessage"]!.GetValue<string>().Should().Contain(mentioned);
    }

    [SkippableFact]
    public async Task Connect_needs_credentials()
    {
        var anonymous = fixture.Vault.CreateClient();
        await (await anonymous.PostJson(ConnectDriver.UserConnect, new { appId = "a", userId = "u" })).ShouldBeError(401, "E081401");
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:wrong-key");
        await (await anonymous.PostJson(ConnectDriver.ManagementConnect, new { appId = "a", userId = "u" })).ShouldBeError(401, "E081401");
    }

    [SkippableFact]
    public async Task An_app_without_an_authorization_url_is_a_clear_error()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app => app.Remove("authorizationUrl"));

        (await (await driver.PostConnectAsync(new { appId, userId = "u" })).ShouldBeError(400, "E011003"))["errorMessage"]!
            .GetValue<string>().Should().Contain("authorizationUrl or discoveryUrl");
    }

    [SkippableFact]
    public async Task A_discovery_document_that_cannot_be_fetched_is_a_provider_failure_at_connect_time()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app =>
        {
            app.Remove("authorizationUrl");
            app.Remove("tokenUrl");
            app["discoveryUrl"] = fake.BaseUrl + "/.well-known/openid-configuration?unique=" + Guid.NewGuid().ToString("N");
        });
        fake.FailNextDiscovery(2);

        var error = await (await driver.PostConnectAsync(new { appId, userId = "u" })).ShouldBeError(502, "E081502");

        error["errorMessage"]!.GetValue<string>().Should().Contain("Discovery").And.Contain("HTTP 500");
        (await driver.PendingCountAsync(appId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task A_discovery_url_that_answers_404_is_an_app_error_at_connect_time()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake, app =>
        {
            app.Remove("authorizationUrl");
            app["discoveryUrl"] = fake.BaseUrl + "/no-metadata-here";
        });

        var error = await (await driver.PostConnectAsync(new { appId, userId = "u" })).ShouldBeError(400, "E011003");

        error["errorMessage"]!.GetValue<string>().Should().Contain("HTTP 404");
    }
}

public sealed class ConnectStartTests_Sqlite(SqliteConnectVault fixture) : ConnectStartTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class ConnectStartTests_Postgres(PostgresConnectVault fixture) : ConnectStartTests(fixture), IClassFixture<PostgresConnectVault>;
