using Microsoft.AspNetCore.Authentication;

namespace OutboundVault.Security;

public static class UserJwtServiceCollectionExtensions
{
    /// <summary>The scheme the connect routes authenticate with: a user JWT or a management key, chosen by the bearer's shape.</summary>
    public const string ConnectScheme = "ConnectBearer";

    /// <summary>Registers the user-JWT scheme (section "Connect:Jwt") and the connect routes' forwarding scheme.</summary>
    internal static AuthenticationBuilder AddUserJwt(this AuthenticationBuilder builder)
    {
        builder.Services.AddOptions<UserJwtOptions>().BindConfiguration(UserJwtOptions.SectionName)
            .Validate(o => string.IsNullOrWhiteSpace(o.Authority) || PrivateNetworkGuard.TryParseHttpUrl(o.Authority, out _),
                "Connect:Jwt:Authority must be an absolute http(s) URL.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Authority) == string.IsNullOrWhiteSpace(o.Audience),
                "Connect:Jwt:Authority and Connect:Jwt:Audience must be set together.")
            .ValidateOnStart();
        builder.Services.AddSingleton<UserJwtValidator>();
        return builder
            .AddScheme<AuthenticationSchemeOptions, UserJwtAuthenticationHandler>(UserJwtAuthenticationHandler.SchemeName, null)
            // One scheme per request, so exactly one handler answers the challenge with its own message.
            .AddPolicyScheme(ConnectScheme, null, o => o.ForwardDefaultSelector = context =>
                UserJwtAuthenticationHandler.ReadJwt(context.Request) is null
                    ? ManagementKeyAuthenticationHandler.SchemeName
                    : UserJwtAuthenticationHandler.SchemeName);
    }
}
