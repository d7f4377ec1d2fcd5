using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

public class ProviderResponseReaderTests
{
    [SkippableTheory]
    [InlineData("""{"access_token":"a","expires_in":3600}""", 3600L)]
    [InlineData("""{"access_token":"a","expires_in":"3600"}""", 3600L)]
    [InlineData("""{"access_token":"a","expires_in":3599.9}""", 3599L)]
    [InlineData("""{"access_token":"a","expires_in":"soon"}""", null)]
    [InlineData("""{"access_token":"a","expires_in":-5}""", null)]
    [InlineData("""{"access_token":"a"}""", null)]
    public void Expires_in_is_read_from_numbers_and_numeric_strings(string json, long? expected) =>
        Read(json)!.ExpiresIn.Should().Be(expected);

    [SkippableTheory]
    [InlineData("""{"access_token":"a","scope":"repo,user gist"}""", new[] { "repo", "user", "gist" })]
    [InlineData("""{"access_token":"a","scope":["x","y"]}""", new[] { "x", "y" })]
    [InlineData("""{"access_token":"a"}""", new string[0])]
    public void Scopes_split_on_spaces_and_commas(string json, string[] expected) =>
        Read(json)!.Scopes.Should().Equal(expected);

    [SkippableFact]
    public void Defaults_and_missing_fields()
    {
        var token = Read("""{"access_token":"a","refresh_token":"","id_token":"not-a-jwt"}""")!;

        token.TokenType.Should().Be("Bearer");
        token.RefreshToken.Should().BeNull("an empty refresh_token means the provider did not rotate");
        token.IdTokenSubject.Should().BeNull();
        Read("""{"token_type":"Bearer"}""").Should().BeNull();
        Read("""{"access_token":""}""").Should().BeNull();
    }

    [SkippableTheory]
    [InlineData("""{"error":"invalid_grant"}""", "invalid_grant")]
    [InlineData("""{"error":"rt_leaked_value with spaces and = signs"}""", null)]
    [InlineData("""{"error":42}""", null)]
    public void Only_well_formed_error_codes_are_kept(string json, string? expected)
    {
        using var document = JsonDocument.Parse(json);
        ProviderResponseReader.ReadErrorCode(document.RootElement).Should().Be(expected);
    }

    [SkippableTheory]
    [InlineData(400, "invalid_grant", nameof(ProviderFailureKind.InvalidGrant))]
    [InlineData(401, "invalid_grant", nameof(ProviderFailureKind.InvalidGrant))]
    [InlineData(200, "bad_refresh_token", nameof(ProviderFailureKind.InvalidGrant))]
    [InlineData(400, "invalid_client", nameof(ProviderFailureKind.Rejected))]
    [InlineData(400, "unauthorized_client", nameof(ProviderFailureKind.Rejected))]
    [InlineData(403, null, nameof(ProviderFailureKind.Rejected))]
    [InlineData(400, "temporarily_unavailable", nameof(ProviderFailureKind.Transient))]
    [InlineData(429, null, nameof(ProviderFailureKind.Transient))]
    [InlineData(503, "invalid_grant", nameof(ProviderFailureKind.Transient))]
    [InlineData(302, null, nameof(ProviderFailureKind.Configuration))]
    public void Failures_are_classified_by_status_and_error(int status, string? error, string expected) =>
        ProviderFailureClassifier.Classify(status, error).ToString().Should().Be(expected);

    [SkippableFact]
    public void ToString_never_prints_tokens_or_secrets()
    {
        var token = new ProviderTokenResponse { AccessToken = "at-secret", RefreshToken = "rt-secret", IdToken = "id-secret" };
        var app = new ProviderApp("app-1", "client", "client-secret-value", null, "https://p.example/token", null, null, [],
            ProviderApp.ClientSecretPost);

        token.ToString().Should().NotContain("at-secret").And.NotContain("rt-secret").And.NotContain("id-secret");
        app.ToString().Should().Contain("app-1").And.NotContain("client-secret-value");
    }

    [SkippableFact]
    public void Options_bind_from_the_OAuth_section_with_defaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OAuth:PublicBaseUrl"] = "https://vault.example" })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddProviders(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<OAuthOptions>>().Value;

        options.PublicBaseUrl.Should().Be("https://vault.example");
        options.AllowPrivateNetworkTargets.Should().BeFalse();
        services.GetRequiredService<ProviderClient>().Should().NotBeNull();
        options.ProviderTimeout.Should().Be(TimeSpan.FromSeconds(15));
        options.DiscoveryCacheLifetime.Should().Be(TimeSpan.FromHours(1));
    }

    [SkippableFact]
    public void Invalid_options_are_refused()
    {
        using var services = ProviderTestHost.BuildServices(new Dictionary<string, string?> { ["OAuth:ProviderTimeout"] = "00:00:00" });

        var read = () => services.GetRequiredService<IOptions<OAuthOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*ProviderTimeout*");
    }

    static ProviderTokenResponse? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ProviderResponseReader.ReadToken(document.RootElement);
    }
}
