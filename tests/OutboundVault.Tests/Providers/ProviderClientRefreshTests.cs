using OutboundVault.FakeProvider;
using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

public class ProviderClientRefreshTests
{
    [SkippableFact]
    public async Task Refresh_rotates_the_refresh_token_and_the_old_one_dies()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var first = host.Fake.IssueRefreshToken("read write");

        var refreshed = await host.Client.RefreshAsync(host.App(), first, null);
        var reuse = () => host.Client.RefreshAsync(host.App(), first, null);

        refreshed.AccessToken.Should().NotBeNullOrEmpty();
        refreshed.RefreshToken.Should().NotBeNullOrEmpty().And.NotBe(first);
        refreshed.Scopes.Should().Equal("read", "write");
        host.Fake.LastTokenRequest!.Form.Should().Contain("grant_type", "refresh_token")
            .And.Contain("refresh_token", first).And.NotContainKey("scope");
        var failure = (await reuse.Should().ThrowAsync<ProviderException>()).Which;
        failure.Kind.Should().Be(ProviderFailureKind.InvalidGrant);
        failure.Message.Should().NotContain(first).And.NotContain("fake-secret");
        (await host.Client.RefreshAsync(host.App(), refreshed.RefreshToken!, null)).AccessToken.Should().NotBeNullOrEmpty();
        host.Fake.RefreshCalls.Should().Be(3);
        host.Fake.InvalidGrants.Should().Be(1);
    }

    [SkippableFact]
    public async Task Refresh_without_rotation_returns_no_refresh_token_and_the_old_one_stays_usable()
    {
        await using var host = await ProviderTestHost.StartAsync(new FakeProviderOptions { RotateRefreshTokens = false });
        var token = host.Fake.IssueRefreshToken();

        var first = await host.Client.RefreshAsync(host.App(), token, null);
        var second = await host.Client.RefreshAsync(host.App(), token, null);

        first.RefreshToken.Should().BeNull();
        second.AccessToken.Should().NotBe(first.AccessToken);
    }

    [SkippableFact]
    public async Task Refresh_sends_requested_scopes_space_separated_and_token_url_params()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var token = host.Fake.IssueRefreshToken("a b c");
        var app = host.App(ProviderApp.ClientSecretPost, new KeyValuePair<string, string>("resource", "https://mcp.example"));

        var refreshed = await host.Client.RefreshAsync(app, token, ["a", "b"]);

        host.Fake.LastTokenRequest!.Form.Should().Contain("scope", "a b").And.Contain("resource", "https://mcp.example");
        refreshed.Scopes.Should().Equal("a", "b");
    }

    [SkippableFact]
    public async Task Refresh_with_basic_auth_works()
    {
        await using var host = await ProviderTestHost.StartAsync(
            new FakeProviderOptions { ExpectedClientAuth = FakeClientAuth.ClientSecretBasic });
        var token = host.Fake.IssueRefreshToken();

        var refreshed = await host.Client.RefreshAsync(host.App(ProviderApp.ClientSecretBasic), token, null);

        refreshed.RefreshToken.Should().NotBeNull();
        host.Fake.LastTokenRequest!.Form.Should().NotContainKey("client_secret");
    }

    [SkippableFact]
    public async Task Caller_cancellation_propagates_as_OperationCanceledException()
    {
        await using var host = await ProviderTestHost.StartAsync(new FakeProviderOptions { Latency = TimeSpan.FromSeconds(5) });
        var token = host.Fake.IssueRefreshToken();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var refresh = () => host.Client.RefreshAsync(host.App(), token, null, cancellation.Token);

        await refresh.Should().ThrowAsync<OperationCanceledException>();
    }
}
