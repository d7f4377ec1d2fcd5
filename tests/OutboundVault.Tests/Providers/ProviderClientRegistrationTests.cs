using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using OutboundVault.FakeProvider;
using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

/// <summary>RegisterClientAsync (RFC 7591) against the fake provider's /register.</summary>
public class ProviderClientRegistrationTests
{
    const string Callback = "https://vault.example.test/v1/outbound/oauth/callback";
    static readonly Dictionary<string, string?> GuardOn = new() { ["OAuth:AllowPrivateNetworkTargets"] = "false" };

    static ClientRegistrationRequest Registration(string authMethod = ProviderApp.ClientSecretPost, params string[] scopes) =>
        new("OutboundVault: Fake", [Callback], authMethod, scopes);

    /// <summary>A useDcr app before registration: no client id or secret, only where to find the provider.</summary>
    static ProviderApp UnregisteredApp(FakeOAuthProvider fake, string authMethod = ProviderApp.ClientSecretPost) =>
        new("app-1", null, null, null, null, null, fake.DiscoveryUrl, [], authMethod);

    [SkippableFact]
    public async Task Registers_at_the_discovered_endpoint_with_the_vault_client_metadata()
    {
        await using var host = await ProviderTestHost.StartAsync();

        var registered = await host.Client.RegisterClientAsync(UnregisteredApp(host.Fake), Registration(scopes: ["openid", "email"]));

        var created = host.Fake.RegisteredClients.Should().ContainSingle().Subject;
        registered.ClientId.Should().Be(created.ClientId);
        registered.ClientSecret.Should().Be(created.ClientSecret).And.NotBeNullOrEmpty();
        registered.TokenEndpointAuthMethod.Should().Be("client_secret_post");
        registered.ClientSecretExpiresAt.Should().BeNull("the fake answers client_secret_expires_at 0: never");
        registered.ToString().Should().Contain(created.ClientId).And.NotContain(created.ClientSecret!);

        var sent = JsonNode.Parse(host.Fake.RegistrationRequests.Single())!;
        sent["redirect_uris"]!.AsArray().Select(u => u!.GetValue<string>()).Should().Equal(Callback);
        sent["client_name"]!.GetValue<string>().Should().Be("OutboundVault: Fake");
        sent["grant_types"]!.AsArray().Select(g => g!.GetValue<string>()).Should().Equal("authorization_code", "refresh_token");
        sent["response_types"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("code");
        sent["token_endpoint_auth_method"]!.GetValue<string>().Should().Be("client_secret_post");
        sent["scope"]!.GetValue<string>().Should().Be("openid email");
    }

    [SkippableFact]
    public async Task An_explicit_registration_url_needs_no_discovery_and_wins_over_a_discovered_one()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var explicitOnly = UnregisteredApp(host.Fake) with { DiscoveryUrl = null, RegistrationUrl = host.Fake.RegistrationUrl };

        await host.Client.RegisterClientAsync(explicitOnly, Registration());
        var resolved = await host.Client.ResolveEndpointsAsync(
            UnregisteredApp(host.Fake) with { RegistrationUrl = "https://override.invalid/register" });

        host.Fake.Registrations.Should().Be(1);
        host.Fake.DiscoveryRequests.Should().Be(1, "only the ResolveEndpointsAsync call read discovery");
        resolved.RegistrationUrl.Should().Be("https://override.invalid/register");
        resolved.TokenUrl.Should().Be(host.Fake.TokenUrl);
    }

    [SkippableFact]
    public async Task A_public_client_gets_no_secret_and_sends_no_scope_when_there_is_none()
    {
        await using var host = await ProviderTestHost.StartAsync();

        var registered = await host.Client.RegisterClientAsync(
            UnregisteredApp(host.Fake, ProviderApp.NoClientAuthentication), Registration(ProviderApp.NoClientAuthentication));

        registered.ClientSecret.Should().BeNull();
        registered.TokenEndpointAuthMethod.Should().Be("none");
        var sent = JsonNode.Parse(host.Fake.RegistrationRequests.Single())!.AsObject();
        sent["token_endpoint_auth_method"]!.GetValue<string>().Should().Be("none");
        sent.ContainsKey("scope").Should().BeFalse();
    }

    [SkippableTheory]
    [InlineData(ProviderApp.ClientSecretPost)]
    [InlineData(ProviderApp.ClientSecretBasic)]
    [InlineData(ProviderApp.NoClientAuthentication)]
    public async Task The_registered_credentials_redeem_a_code_at_the_token_endpoint(string authMethod)
    {
        await using var host = await ProviderTestHost.StartAsync();
        var registered = await host.Client.RegisterClientAsync(UnregisteredApp(host.Fake, authMethod), Registration(authMethod));
        var app = host.App(registered.TokenEndpointAuthMethod) with { ClientId = registered.ClientId, ClientSecret = registered.ClientSecret };

        var answer = await host.Client.ExchangeCodeAsync(app, await AuthorizeAsync(host.Fake, registered.ClientId), Callback, null);

        answer.AccessToken.Should().StartWith("at_");
        var sent = host.Fake.LastTokenRequest!;
        if (authMethod == ProviderApp.ClientSecretBasic) sent.Authorization.Should().StartWith("Basic ");
        else sent.Form["client_id"].Should().Be(registered.ClientId);
    }

    [SkippableFact]
    public async Task A_registered_client_with_a_wrong_secret_is_refused_by_the_fake()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var registered = await host.Client.RegisterClientAsync(UnregisteredApp(host.Fake), Registration());
        var app = host.App() with { ClientId = registered.ClientId, ClientSecret = "not-the-registered-secret" };

        var exchange = async () => await host.Client.ExchangeCodeAsync(app, await AuthorizeAsync(host.Fake, registered.ClientId), Callback, null);

        (await exchange.Should().ThrowAsync<ProviderException>()).Which.ProviderError.Should().Be("invalid_client");
    }

    [SkippableTheory]
    [InlineData(FakeRegistrationFailure.Rejected, nameof(ProviderFailureKind.Rejected), 400, "invalid_client_metadata")]
    [InlineData(FakeRegistrationFailure.ServerError, nameof(ProviderFailureKind.Transient), 500, "server_error")]
    [InlineData(FakeRegistrationFailure.MalformedJson, nameof(ProviderFailureKind.Transient), 201, "not a JSON object")]
    [InlineData(FakeRegistrationFailure.MissingClientId, nameof(ProviderFailureKind.Transient), 201, "without a client_id")]
    [InlineData(FakeRegistrationFailure.UnsupportedAuthMethod, nameof(ProviderFailureKind.Rejected), 201, "'private_key_jwt' the vault does not support")]
    public async Task Registration_failures_map_to_their_kind_are_sent_once_and_quote_no_body(
        FakeRegistrationFailure failure, string kind, int status, string reason)
    {
        await using var host = await ProviderTestHost.StartAsync(new FakeProviderOptions { RegistrationFailure = failure });

        var register = () => host.Client.RegisterClientAsync(UnregisteredApp(host.Fake), Registration());

        var thrown = (await register.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.ToString().Should().Be(kind);
        thrown.StatusCode.Should().Be(status);
        thrown.Message.Should().StartWith("Client registration for app 'app-1' failed:").And.Contain(reason)
            .And.NotContain(FakeOAuthProvider.RegistrationRefusalText).And.NotContain("orphan-secret").And.NotContain("not json");
        host.Fake.Registrations.Should().Be(1, "a registration is never resent: the first may have created a client");
    }

    [SkippableFact]
    public async Task A_provider_that_hangs_is_a_transient_failure_and_is_not_asked_again()
    {
        await using var host = await ProviderTestHost.StartAsync(
            new FakeProviderOptions { RegistrationLatency = TimeSpan.FromSeconds(5) },
            new Dictionary<string, string?> { ["OAuth:ProviderTimeout"] = "00:00:01" });

        var register = () => host.Client.RegisterClientAsync(UnregisteredApp(host.Fake), Registration());

        (await register.Should().ThrowAsync<ProviderException>()).Which.Kind.Should().Be(ProviderFailureKind.Transient);
        host.Fake.Registrations.Should().Be(1);
    }

    [SkippableFact]
    public async Task Without_any_registration_endpoint_it_is_a_configuration_failure_and_nothing_is_registered()
    {
        await using var host = await ProviderTestHost.StartAsync(new FakeProviderOptions { PublishRegistrationEndpoint = false });

        var viaDiscovery = () => host.Client.RegisterClientAsync(UnregisteredApp(host.Fake), Registration());
        var withNoUrls = () => host.Client.RegisterClientAsync(UnregisteredApp(host.Fake) with { DiscoveryUrl = null }, Registration());

        foreach (var register in new[] { viaDiscovery, withNoUrls })
        {
            var thrown = (await register.Should().ThrowAsync<ProviderException>()).Which;
            thrown.Kind.Should().Be(ProviderFailureKind.Configuration);
            thrown.Message.Should().Contain("no registration endpoint").And.Contain("dcrUrl");
        }

        host.Fake.Registrations.Should().Be(0);
    }

    [SkippableFact]
    public async Task An_unknown_auth_method_is_refused_before_any_request()
    {
        await using var host = await ProviderTestHost.StartAsync();

        var register = () => host.Client.RegisterClientAsync(UnregisteredApp(host.Fake), Registration("private_key_jwt"));

        (await register.Should().ThrowAsync<ProviderException>()).Which.Kind.Should().Be(ProviderFailureKind.Configuration);
        host.Fake.TotalRequests.Should().Be(0);
    }

    [SkippableTheory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_loopback_registration_endpoint_is_blocked_before_any_request(string host)
    {
        await using var test = await ProviderTestHost.StartAsync(settings: GuardOn);
        var port = new Uri(test.Fake.BaseUrl).Port;
        var app = UnregisteredApp(test.Fake) with { DiscoveryUrl = null, RegistrationUrl = $"http://{host}:{port}/register" };

        var register = () => test.Client.RegisterClientAsync(app, Registration());

        var thrown = (await register.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Kind.Should().Be(ProviderFailureKind.Blocked);
        thrown.Message.Should().Contain("private or loopback");
        test.Fake.TotalRequests.Should().Be(0);
        test.Fake.Registrations.Should().Be(0);
    }

    /// <summary>What a browser gets from the fake's /authorize for a registered client: the code in the redirect.</summary>
    static async Task<string> AuthorizeAsync(FakeOAuthProvider fake, string clientId)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        var url = QueryHelpers.AddQueryString(fake.AuthorizationUrl,
            new Dictionary<string, string?> { ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = Callback });
        using var response = await browser.GetAsync(new Uri(url));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return QueryHelpers.ParseQuery(response.Headers.Location!.Query)["code"].ToString();
    }
}
