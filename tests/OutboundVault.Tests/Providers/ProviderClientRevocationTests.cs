using OutboundVault.FakeProvider;
using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

public class ProviderClientRevocationTests
{
    [SkippableFact]
    public async Task Revoking_a_refresh_token_is_recorded_and_kills_it()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var token = host.Fake.IssueRefreshToken();

        await host.Client.RevokeAsync(host.App(), token, "refresh_token");
        var refresh = () => host.Client.RefreshAsync(host.App(), token, null);

        host.Fake.RevokedTokens.Should().Equal(token);
        host.Fake.Revocations.Should().Be(1);
        (await refresh.Should().ThrowAsync<ProviderException>()).Which.Kind.Should().Be(ProviderFailureKind.InvalidGrant);
    }

    [SkippableFact]
    public async Task Revocation_uses_the_app_client_authentication()
    {
        await using var host = await ProviderTestHost.StartAsync(
            new FakeProviderOptions { ExpectedClientAuth = FakeClientAuth.ClientSecretBasic });

        await host.Client.RevokeAsync(host.App(ProviderApp.ClientSecretBasic), "at-123", "access_token");

        host.Fake.RevokedTokens.Should().Equal("at-123");
    }

    [SkippableFact]
    public async Task Without_a_revocation_endpoint_revocation_is_a_no_op()
    {
        await using var host = await ProviderTestHost.StartAsync();

        await host.Client.RevokeAsync(host.App() with { RevocationUrl = null }, "at-123", "access_token");

        host.Fake.TotalRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_failing_revocation_endpoint_throws_without_the_token_in_the_message()
    {
        await using var host = await ProviderTestHost.StartAsync(new FakeProviderOptions { FailRevocation = true });

        var revoke = () => host.Client.RevokeAsync(host.App(), "rt-secret-value", "refresh_token");

        var thrown = (await revoke.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.Should().Be(ProviderFailureKind.Transient);
        thrown.Message.Should().Contain("Token revocation").And.Contain("500").And.NotContain("rt-secret-value");
    }
}
