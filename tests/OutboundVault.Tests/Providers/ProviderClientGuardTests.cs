using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

// Every target here is loopback: the guard refuses before a socket opens, and the fake proves it.
public class ProviderClientGuardTests
{
    static readonly Dictionary<string, string?> GuardOn = new() { ["OAuth:AllowPrivateNetworkTargets"] = "false" };

    [SkippableTheory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    [InlineData("[::127.0.0.1]")]
    [InlineData("[::ffff:0:127.0.0.1]")]
    [InlineData("[64:ff9b::7f00:1]")]
    [InlineData("[2002:7f00:1::1]")]
    public async Task Token_calls_to_loopback_are_blocked_before_any_request(string host)
    {
        await using var test = await ProviderTestHost.StartAsync(settings: GuardOn);
        var port = new Uri(test.Fake.BaseUrl).Port;
        var app = test.App() with { TokenUrl = $"http://{host}:{port}/token" };

        var refresh = () => test.Client.RefreshAsync(app, "rt-value", null);

        var thrown = (await refresh.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.Should().Be(ProviderFailureKind.Blocked);
        thrown.Message.Should().Contain("private or loopback").And.Contain("OAuth:AllowPrivateNetworkTargets=true")
            .And.NotContain("rt-value").And.NotContain("fake-secret");
        test.Fake.TotalRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task Discovery_of_a_loopback_provider_is_blocked_and_not_retried()
    {
        await using var test = await ProviderTestHost.StartAsync(settings: GuardOn);

        var resolve = () => test.Client.ResolveEndpointsAsync(test.DiscoveryApp());

        (await resolve.Should().ThrowAsync<ProviderException>()).Which.Kind.Should().Be(ProviderFailureKind.Blocked);
        test.Fake.TotalRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task Allowing_private_targets_lets_the_same_call_through()
    {
        await using var test = await ProviderTestHost.StartAsync();
        var port = new Uri(test.Fake.BaseUrl).Port;
        var app = test.App() with { TokenUrl = $"http://localhost:{port}/token" };

        var refreshed = await test.Client.RefreshAsync(app, test.Fake.IssueRefreshToken(), null);

        refreshed.AccessToken.Should().NotBeNullOrEmpty();
    }
}
