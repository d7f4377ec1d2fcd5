using System.Diagnostics;
using OutboundVault.FakeProvider;
using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

public class ProviderClientFailureTests
{
    static readonly Dictionary<string, string?> OneSecondTimeout = new() { ["OAuth:ProviderTimeout"] = "00:00:01" };

    [SkippableTheory]
    [InlineData(FakeFailure.ServerError, nameof(ProviderFailureKind.Transient), 500)]
    [InlineData(FakeFailure.MalformedJson, nameof(ProviderFailureKind.Transient), 200)]
    [InlineData(FakeFailure.InvalidGrant, nameof(ProviderFailureKind.InvalidGrant), 400)]
    [InlineData(FakeFailure.InvalidClient, nameof(ProviderFailureKind.Rejected), 401)]
    public async Task Provider_failures_map_to_their_kind_without_retrying_or_leaking_secrets(
        FakeFailure failure, string expectedKind, int expectedStatus)
    {
        await using var host = await ProviderTestHost.StartAsync(settings: OneSecondTimeout);
        var token = host.Fake.IssueRefreshToken();
        host.Fake.FailNext(1, failure);

        var refresh = () => host.Client.RefreshAsync(host.App(), token, null);

        var thrown = (await refresh.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.ToString().Should().Be(expectedKind);
        thrown.StatusCode.Should().Be(expectedStatus);
        thrown.Message.Should().Contain("app-1").And.Contain("Token refresh")
            .And.NotContain(token).And.NotContain("fake-secret").And.NotContain("not json");
        host.Fake.RefreshCalls.Should().Be(1, "a refresh is never resent: the provider may already have rotated");
    }

    [SkippableFact]
    public async Task Invalid_client_carries_the_provider_error_code()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var app = host.App() with { ClientSecret = "wrong-secret" };

        var refresh = () => host.Client.RefreshAsync(app, host.Fake.IssueRefreshToken(), null);

        var thrown = (await refresh.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.Should().Be(ProviderFailureKind.Rejected);
        thrown.ProviderError.Should().Be("invalid_client");
        thrown.Message.Should().Contain("invalid_client").And.NotContain("wrong-secret");
    }

    [SkippableFact]
    public async Task A_provider_that_hangs_past_the_timeout_is_a_transient_failure()
    {
        await using var host = await ProviderTestHost.StartAsync(settings: OneSecondTimeout);
        var token = host.Fake.IssueRefreshToken();
        host.Fake.FailNext(1, FakeFailure.Timeout);
        var clock = Stopwatch.StartNew();

        var refresh = () => host.Client.RefreshAsync(host.App(), token, null);

        var thrown = (await refresh.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.Should().Be(ProviderFailureKind.Transient);
        thrown.Message.Should().Contain("did not answer within 1 s");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
    }

    [SkippableFact]
    public async Task Injected_failures_leave_the_refresh_token_usable()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var token = host.Fake.IssueRefreshToken();
        host.Fake.FailNext(1, FakeFailure.ServerError);

        await FluentActions.Awaiting(() => host.Client.RefreshAsync(host.App(), token, null))
            .Should().ThrowAsync<ProviderException>();
        var refreshed = await host.Client.RefreshAsync(host.App(), token, null);

        refreshed.AccessToken.Should().NotBeNullOrEmpty();
    }

    [SkippableFact]
    public async Task Configuration_problems_fail_before_any_request()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var noTokenUrl = host.App() with { TokenUrl = null };
        var notHttp = host.App() with { TokenUrl = "file:///etc/passwd" };
        var unknownAuth = host.App("private_key_jwt");

        foreach (var app in new[] { noTokenUrl, notHttp, unknownAuth })
        {
            var refresh = () => host.Client.RefreshAsync(app, "rt-value", null);
            (await refresh.Should().ThrowAsync<ProviderException>()).Which.Kind.Should().Be(ProviderFailureKind.Configuration);
        }

        host.Fake.TotalRequests.Should().Be(0);
    }
}
