using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using OutboundVault.FakeProvider;
using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

public class ProviderClientCodeExchangeTests
{
    const string RedirectUri = "http://localhost/callback";

    [SkippableFact]
    public async Task Exchange_with_pkce_and_client_secret_post_returns_tokens_and_id_token_subject()
    {
        await using var host = await ProviderTestHost.StartAsync(
            new FakeProviderOptions { ExpectedClientAuth = FakeClientAuth.ClientSecretPost });
        var verifier = NewVerifier();
        var code = host.Fake.IssueAuthorizationCode(RedirectUri, verifier, "openid email");

        var tokens = await host.Client.ExchangeCodeAsync(host.App(), code, RedirectUri, verifier);

        tokens.AccessToken.Should().NotBeNullOrEmpty();
        tokens.RefreshToken.Should().NotBeNullOrEmpty();
        tokens.TokenType.Should().Be("Bearer");
        tokens.ExpiresIn.Should().Be(3600);
        tokens.Scopes.Should().Equal("openid", "email");
        tokens.IdTokenSubject.Should().Be("provider-user-1");
        var request = host.Fake.LastTokenRequest!;
        request.Form.Should().Contain("grant_type", "authorization_code")
            .And.Contain("code", code).And.Contain("redirect_uri", RedirectUri).And.Contain("code_verifier", verifier)
            .And.Contain("client_id", "fake-client").And.Contain("client_secret", "fake-secret");
        request.Authorization.Should().BeNull();
        host.Fake.CodeExchanges.Should().Be(1);
    }

    [SkippableFact]
    public async Task Exchange_with_client_secret_basic_form_encodes_credentials_and_keeps_them_out_of_the_body()
    {
        await using var host = await ProviderTestHost.StartAsync(new FakeProviderOptions
        {
            ClientId = "client:with space",
            ClientSecret = "s3cr3t:+/&%=",
            ExpectedClientAuth = FakeClientAuth.ClientSecretBasic,
        });
        var code = host.Fake.IssueAuthorizationCode(RedirectUri);

        var tokens = await host.Client.ExchangeCodeAsync(host.App(ProviderApp.ClientSecretBasic), code, RedirectUri, null);

        tokens.AccessToken.Should().NotBeNullOrEmpty();
        var request = host.Fake.LastTokenRequest!;
        request.Authorization.Should().StartWith("Basic ");
        request.Form.Should().NotContainKey("client_id").And.NotContainKey("client_secret").And.NotContainKey("code_verifier");
    }

    [SkippableFact]
    public async Task Exchange_for_a_public_client_sends_only_the_client_id()
    {
        await using var host = await ProviderTestHost.StartAsync(
            new FakeProviderOptions { ClientSecret = null, ExpectedClientAuth = FakeClientAuth.None });
        var verifier = NewVerifier();
        var code = host.Fake.IssueAuthorizationCode(RedirectUri, verifier);

        await host.Client.ExchangeCodeAsync(host.App(ProviderApp.NoClientAuthentication), code, RedirectUri, verifier);

        host.Fake.LastTokenRequest!.Form.Should().Contain("client_id", "fake-client").And.NotContainKey("client_secret");
    }

    [SkippableFact]
    public async Task Token_url_params_are_forwarded_but_cannot_replace_protocol_fields()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var code = host.Fake.IssueAuthorizationCode(RedirectUri);
        var app = host.App(ProviderApp.ClientSecretPost, new("audience", "api://orders"), new("grant_type", "password"));

        await host.Client.ExchangeCodeAsync(app, code, RedirectUri, null);

        host.Fake.LastTokenRequest!.Form.Should().Contain("audience", "api://orders")
            .And.Contain("grant_type", "authorization_code");
    }

    [SkippableFact]
    public async Task Code_from_the_authorize_redirect_can_be_exchanged_once()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var verifier = NewVerifier();
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var location = await AuthorizeAsync(host.Fake, new()
        {
            ["response_type"] = "code", ["client_id"] = "fake-client", ["redirect_uri"] = RedirectUri,
            ["state"] = "st-1", ["scope"] = "read", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        var query = QueryHelpers.ParseQuery(location.Query);
        query["state"].ToString().Should().Be("st-1");
        var code = query["code"].ToString();

        var tokens = await host.Client.ExchangeCodeAsync(host.App(), code, RedirectUri, verifier);
        var reuse = () => host.Client.ExchangeCodeAsync(host.App(), code, RedirectUri, verifier);

        tokens.Scope.Should().Be("read");
        (await reuse.Should().ThrowAsync<ProviderException>()).Which.Kind.Should().Be(ProviderFailureKind.InvalidGrant);
    }

    [SkippableFact]
    public async Task Denied_authorization_redirects_back_with_access_denied()
    {
        await using var host = await ProviderTestHost.StartAsync(new FakeProviderOptions { DenyAuthorization = true });

        var location = await AuthorizeAsync(host.Fake, new()
        {
            ["response_type"] = "code", ["client_id"] = "fake-client", ["redirect_uri"] = RedirectUri, ["state"] = "st-2",
        });

        var query = QueryHelpers.ParseQuery(location.Query);
        query["error"].ToString().Should().Be("access_denied");
        query["state"].ToString().Should().Be("st-2");
        query.Should().NotContainKey("code");
    }

    [SkippableFact]
    public async Task Wrong_verifier_is_invalid_grant_and_the_message_holds_no_secret_code_or_verifier()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var code = host.Fake.IssueAuthorizationCode(RedirectUri, NewVerifier());
        var wrongVerifier = NewVerifier();

        var exchange = () => host.Client.ExchangeCodeAsync(host.App(), code, RedirectUri, wrongVerifier);

        var failure = (await exchange.Should().ThrowAsync<ProviderException>()).Which;
        failure.Kind.Should().Be(ProviderFailureKind.InvalidGrant);
        failure.ProviderError.Should().Be("invalid_grant");
        failure.StatusCode.Should().Be(400);
        failure.Message.Should().Contain("app-1").And.Contain("Code exchange").And.Contain("invalid_grant")
            .And.NotContain(code).And.NotContain(wrongVerifier).And.NotContain("fake-secret");
    }

    static string NewVerifier() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    static async Task<Uri> AuthorizeAsync(FakeOAuthProvider fake, Dictionary<string, string?> query)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(new Uri(QueryHelpers.AddQueryString(fake.AuthorizationUrl, query)));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return response.Headers.Location!;
    }
}
