using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

public class ProviderClientDiscoveryTests
{
    [SkippableFact]
    public async Task Discovery_resolves_the_provider_endpoints()
    {
        await using var host = await ProviderTestHost.StartAsync();

        var endpoints = await host.Client.ResolveEndpointsAsync(host.DiscoveryApp());

        endpoints.Should().Be(new ProviderEndpoints(
            host.Fake.AuthorizationUrl, host.Fake.TokenUrl, host.Fake.RevocationUrl, host.Fake.RegistrationUrl));
    }

    [SkippableFact]
    public async Task Explicit_app_fields_override_discovered_ones()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var app = host.DiscoveryApp() with { TokenUrl = "https://override.invalid/token" };

        var endpoints = await host.Client.ResolveEndpointsAsync(app);

        endpoints.TokenUrl.Should().Be("https://override.invalid/token");
        endpoints.AuthorizationUrl.Should().Be(host.Fake.AuthorizationUrl);
    }

    [SkippableFact]
    public async Task Without_a_discovery_url_the_app_fields_are_returned_without_any_request()
    {
        await using var host = await ProviderTestHost.StartAsync();

        var endpoints = await host.Client.ResolveEndpointsAsync(host.App());

        endpoints.TokenUrl.Should().Be(host.Fake.TokenUrl);
        host.Fake.TotalRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task Discovery_is_cached_until_its_lifetime_ends()
    {
        var clock = new ManualTimeProvider();
        await using var host = await ProviderTestHost.StartAsync(
            settings: new Dictionary<string, string?> { ["OAuth:DiscoveryCacheLifetime"] = "00:10:00" }, time: clock);

        await host.Client.ResolveEndpointsAsync(host.DiscoveryApp());
        await host.Client.ResolveEndpointsAsync(host.DiscoveryApp());
        host.Fake.DiscoveryRequests.Should().Be(1);

        clock.Advance(TimeSpan.FromMinutes(11));
        await host.Client.ResolveEndpointsAsync(host.DiscoveryApp());
        host.Fake.DiscoveryRequests.Should().Be(2);
    }

    [SkippableFact]
    public async Task Token_calls_use_discovered_endpoints()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var token = host.Fake.IssueRefreshToken();

        var refreshed = await host.Client.RefreshAsync(host.DiscoveryApp(), token, null);

        refreshed.AccessToken.Should().NotBeNullOrEmpty();
        host.Fake.RefreshCalls.Should().Be(1);
    }

    [SkippableFact]
    public async Task One_transient_discovery_failure_is_retried()
    {
        await using var host = await ProviderTestHost.StartAsync();
        host.Fake.FailNextDiscovery(1);

        var endpoints = await host.Client.ResolveEndpointsAsync(host.DiscoveryApp());

        endpoints.TokenUrl.Should().Be(host.Fake.TokenUrl);
        host.Fake.DiscoveryRequests.Should().Be(2);
    }

    [SkippableFact]
    public async Task Discovery_failures_are_not_cached()
    {
        await using var host = await ProviderTestHost.StartAsync();
        host.Fake.FailNextDiscovery(2);

        var resolve = () => host.Client.ResolveEndpointsAsync(host.DiscoveryApp());

        (await resolve.Should().ThrowAsync<ProviderException>()).Which.Kind.Should().Be(ProviderFailureKind.Transient);
        (await resolve()).TokenUrl.Should().Be(host.Fake.TokenUrl);
        host.Fake.DiscoveryRequests.Should().Be(3);
    }

    [SkippableFact]
    public async Task A_missing_discovery_document_is_a_clear_configuration_failure()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var app = host.DiscoveryApp() with { DiscoveryUrl = host.Fake.BaseUrl + "/nowhere/.well-known/openid-configuration" };

        var resolve = () => host.Client.ResolveEndpointsAsync(app);

        var thrown = (await resolve.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.Should().Be(ProviderFailureKind.Configuration);
        thrown.StatusCode.Should().Be(404);
        thrown.Message.Should().Contain("Discovery for app 'app-1' failed").And.Contain("HTTP 404")
            .And.Contain("/nowhere/.well-known/openid-configuration");
    }
}
