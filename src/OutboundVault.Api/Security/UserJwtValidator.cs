using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OutboundVault.Apps;
using OutboundVault.Errors;

namespace OutboundVault.Security;

/// <summary>
/// Validates user tokens from the identity provider named by <c>Connect:Jwt</c>: signature against the
/// provider's JWKS (found through OIDC discovery, cached and refreshed by the ConfigurationManager),
/// issuer, audience and lifetime. The authority is operator configuration, not caller input, so it is
/// fetched without the SSRF guard (an IdP inside the private network is normal).
/// </summary>
internal sealed class UserJwtValidator : IDisposable
{
    static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);
    readonly UserJwtOptions options;
    readonly ILogger<UserJwtValidator> logger;
    readonly HttpClient? http;
    readonly ConfigurationManager<OpenIdConnectConfiguration>? configurations;
    readonly JsonWebTokenHandler handler = new();

    public UserJwtValidator(IOptions<UserJwtOptions> options, ILogger<UserJwtValidator> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        if (!this.options.IsConfigured) return;
        http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = FetchTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = FetchTimeout,
            MaxResponseContentBufferSize = 1024 * 1024,
        };
        configurations = new ConfigurationManager<OpenIdConnectConfiguration>(
            this.options.MetadataAddress, new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = this.options.RequireHttpsMetadata });
    }

    /// <summary>The token's <c>sub</c>, or a VaultException saying what is wrong (never quoting the token).</summary>
    public async Task<string> ValidateAsync(string jwt, CancellationToken ct)
    {
        if (configurations is null)
            throw new VaultException(VaultError.NotConfigured,
                "Connecting with a user token is not configured: set Connect:Jwt:Authority and Connect:Jwt:Audience");
        var result = await handler.ValidateTokenAsync(jwt, await ParametersAsync(ct));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The provider may have rotated its keys since the JWKS was cached.
            configurations.RequestRefresh();
            result = await handler.ValidateTokenAsync(jwt, await ParametersAsync(ct));
        }
        if (!result.IsValid)
        {
            // The exception type only: IdentityModel messages can quote the token.
            logger.LogInformation("A user token was rejected ({Failure})", result.Exception?.GetType().Name);
            throw Rejected(Describe(result.Exception));
        }
        var subject = (result.SecurityToken as JsonWebToken)?.Subject;
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > AppLimits.OwnerIdLength)
            throw Rejected($"the user token needs a sub claim of 1 to {AppLimits.OwnerIdLength} characters");
        return subject;
    }

    async Task<TokenValidationParameters> ParametersAsync(CancellationToken ct)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await configurations!.GetConfigurationAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning("The identity provider metadata at {MetadataAddress} could not be read ({ExceptionType})",
                options.MetadataAddress, ex.GetType().Name);
            throw new VaultException(VaultError.ProviderFailure,
                "The identity provider configured in Connect:Jwt:Authority could not be reached to validate the user token");
        }
        return new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKeys = configuration.SigningKeys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        };
    }

    static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "the user token has expired",
        SecurityTokenNotYetValidException => "the user token is not valid yet",
        SecurityTokenNoExpirationException => "the user token has no expiry",
        SecurityTokenInvalidAudienceException => "the user token's audience is not the one in Connect:Jwt:Audience",
        SecurityTokenInvalidIssuerException => "the user token was not issued by the identity provider in Connect:Jwt:Authority",
        SecurityTokenSignatureKeyNotFoundException => "the user token is signed with a key the identity provider does not publish",
        SecurityTokenInvalidSignatureException => "the user token's signature is not valid",
        SecurityTokenMalformedException or ArgumentException => "the user token is not a well-formed JWT",
        _ => "the user token is not valid",
    };

    static VaultException Rejected(string reason) => new(VaultError.Unauthorized, "Invalid user token: " + reason);

    public void Dispose() => http?.Dispose();
}
