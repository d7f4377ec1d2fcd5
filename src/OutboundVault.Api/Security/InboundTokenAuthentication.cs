using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OutboundVault.Apps;
using OutboundVault.Errors;
using OutboundVault.Hosting;

namespace OutboundVault.Security;

/// <summary>
/// Inbound access tokens (an MCP server forwarding its caller's token, or a user's session token) from the
/// identity provider in <c>Connect:Jwt</c>, validated by ASP.NET Core's JwtBearer: signature by the JWKS found
/// through OIDC discovery, issuer, audience, lifetime with a minute of clock skew; unsigned tokens are refused.
/// The authority is operator configuration, not caller input, so it is fetched without the SSRF guard.
/// </summary>
static class InboundTokenAuthentication
{
    public const string SchemeName = "InboundToken";
    /// <summary>The scheme every vault route authenticates with: an access token or a management key, by the bearer's shape.</summary>
    public const string CallerScheme = "Caller";

    internal static AuthenticationBuilder AddInboundTokens(this AuthenticationBuilder builder)
    {
        builder.Services.AddSettings<UserJwtOptions>();
        builder.Services.AddOptions<JwtBearerOptions>(SchemeName).Configure<IOptions<UserJwtOptions>>((o, jwt) => Configure(o, jwt.Value));
        // JwtBearer logs rejected tokens with IdentityModel's messages; the vault logs the failure type itself.
        builder.Services.Configure<LoggerFilterOptions>(o => o.AddFilter("Microsoft.AspNetCore.Authentication.JwtBearer", LogLevel.Warning));
        return builder
            .AddJwtBearer(SchemeName, _ => { })
            // One scheme per request, so exactly one handler answers.
            .AddPolicyScheme(CallerScheme, null, o => o.ForwardDefaultSelector = context =>
                InboundBearer.Read(context.Request) is null ? ManagementKeyAuthenticationHandler.SchemeName : SchemeName);
    }

    static void Configure(JwtBearerOptions options, UserJwtOptions jwt)
    {
        options.MapInboundClaims = false;
        if (jwt.IsConfigured)
        {
            options.Authority = jwt.Authority;
            options.Audience = jwt.Audience;
            options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            options.MetadataAddress = jwt.MetadataAddress;
        }
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = jwt.Audience,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromMinutes(1),
            NameClaimType = "sub",
            AuthenticationType = SchemeName,
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (InboundBearer.Read(context.Request) is not { } bearer) return Task.CompletedTask;
                var credentials = context.HttpContext.RequestServices.GetRequiredService<ManagementCredentials>();
                if (!jwt.IsConfigured)
                {
                    context.Fail(new VaultException(VaultError.NotConfigured,
                        "Access tokens are not configured: set Connect:Jwt:Authority and Connect:Jwt:Audience"));
                }
                else if (bearer.ProjectId is { } projectId && !credentials.IsProject(projectId))
                {
                    context.Fail(Rejected("the project id before the token is not this vault's Management:ProjectId"));
                }
                else
                {
                    context.Token = bearer.Jwt;
                }

                return Task.CompletedTask;
            },
            OnAuthenticationFailed = async context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InboundTokenAuthentication))
                    .LogInformation("An access token was rejected ({Failure})", context.Exception.GetType().Name);
                context.Fail(context.Exception is VaultException known ? known
                    : await MetadataReadableAsync(context.Options, context.HttpContext.RequestAborted) ? Translate(context.Exception)
                    : Unreachable);
            },
            OnTokenValidated = context =>
            {
                if (context.Principal?.FindFirst("sub")?.Value is not { Length: > 0 and <= AppLimits.OwnerIdLength })
                    context.Fail(Rejected($"the token needs a sub claim of 1 to {AppLimits.OwnerIdLength} characters"));
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Whether the identity provider's metadata can be read (cached once it was): a token refused because the
    /// issuer or keys could not be fetched is the provider's failure, not the caller's.
    /// </summary>
    static async Task<bool> MetadataReadableAsync(JwtBearerOptions options, CancellationToken ct)
    {
        if (options.ConfigurationManager is null) return true;
        try
        {
            await options.ConfigurationManager.GetConfigurationAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    static VaultException Unreachable => new(VaultError.ProviderFailure,
        "The identity provider configured in Connect:Jwt:Authority could not be reached to validate the token");

    /// <summary>What is wrong with a token, never quoting it (IdentityModel messages can).</summary>
    static VaultException Translate(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => Rejected("the token has expired"),
        SecurityTokenNotYetValidException => Rejected("the token is not valid yet"),
        SecurityTokenNoExpirationException => Rejected("the token has no expiry"),
        SecurityTokenInvalidAudienceException => Rejected("the token's audience is not the one in Connect:Jwt:Audience"),
        SecurityTokenInvalidIssuerException => Rejected("the token was not issued by the identity provider in Connect:Jwt:Authority"),
        SecurityTokenSignatureKeyNotFoundException => Rejected("the token is signed with a key the identity provider does not publish"),
        SecurityTokenInvalidSignatureException => Rejected("the token's signature is not valid"),
        SecurityTokenMalformedException or ArgumentException => Rejected("the token is not a well-formed JWT"),
        _ => Rejected("the token is not valid"),
    };

    static VaultException Rejected(string reason) => new(VaultError.Unauthorized, "Invalid access token: " + reason);
}
