using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// With OAuth:AllowPrivateNetworkTargets=false, loopback providers are refused before any request is
/// sent: the fake provider counts every request it receives and must count none.
/// </summary>
public abstract class ConnectSsrfTests(ConnectFixture fixture)
{
    static readonly Dictionary<string, string?> GuardOn = new() { ["OAuth:AllowPrivateNetworkTargets"] = "false" };
    readonly ConnectDriver open = new(fixture.Vault);

    [SkippableTheory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task A_loopback_authorization_url_is_refused_at_connect_time(string host)
    {
        var guarded = new ConnectDriver(fixture.Start(GuardOn));
        await using var fake = await FakeOAuthProvider.StartAsync();
        var port = new Uri(fake.BaseUrl).Port;
        var appId = await guarded.CreateAppAsync(fake, app =>
        {
            app["authorizationUrl"] = $"http://{host}:{port}/authorize";
            app["tokenUrl"] = $"http://{host}:{port}/token";
        });

        var error = await (await guarded.PostConnectAsync(new { appId, userId = "u-ssrf" })).ShouldBeError(400, "E011003");

        error["errorMessage"]!.GetValue<string>().Should().Contain("private or loopback").And.Contain("OAuth:AllowPrivateNetworkTargets");
        (await guarded.PendingCountAsync(appId)).Should().Be(0);
        fake.TotalRequests.Should().Be(0);
    }

    [SkippableTheory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task A_loopback_discovery_url_is_refused_without_a_request(string host)
    {
        var guarded = new ConnectDriver(fixture.Start(GuardOn));
        await using var fake = await FakeOAuthProvider.StartAsync();
        var port = new Uri(fake.BaseUrl).Port;
        var appId = await guarded.CreateAppAsync(fake, app =>
        {
            app.Remove("authorizationUrl");
            app.Remove("tokenUrl");
            app["discoveryUrl"] = $"http://{host}:{port}/.well-known/openid-configuration";
        });

        var error = await (await guarded.PostConnectAsync(new { appId, userId = "u-ssrf" })).ShouldBeError(400, "E011003");

        error["errorMessage"]!.GetValue<string>().Should().Contain("private or loopback");
        fake.TotalRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_loopback_token_endpoint_is_refused_at_the_callback_and_nothing_is_stored()
    {
        // The connect starts on an instance that allows private targets; the callback lands on one that does not.
        var guarded = new ConnectDriver(fixture.Start(GuardOn));
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await open.CreateAppAsync(fake, app => app["pkce"] = false);
        var state = ConnectDriver.Query(await open.ConnectAsync(new { appId, userId = "u-ssrf" }))["state"];
        var code = fake.IssueAuthorizationCode(ConnectFixture.CallbackUri);

        var markers = ConnectDriver.Markers(await guarded.CallbackAsync(new Uri(ConnectFixture.CallbackUri + $"?code={code}&state={state}")));

        markers.Should().Contain("outbound_error", "provider_blocked");
        markers["outbound_error_description"].Should().Contain("private or loopback");
        fake.TotalRequests.Should().Be(0);
        (await open.TokensAsync(appId)).Should().BeEmpty();
    }
}

public sealed class ConnectSsrfTests_Sqlite(SqliteConnectVault fixture) : ConnectSsrfTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class ConnectSsrfTests_Postgres(PostgresConnectVault fixture) : ConnectSsrfTests(fixture), IClassFixture<PostgresConnectVault>;
