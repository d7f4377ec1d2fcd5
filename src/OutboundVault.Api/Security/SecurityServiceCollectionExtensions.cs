using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OutboundVault.Data;

namespace OutboundVault.Security;

public static class SecurityServiceCollectionExtensions
{
    public const string ManagementPolicy = "Management";
    /// <summary>The connect routes: a management key or a user JWT (Connect:Jwt).</summary>
    public const string ConnectPolicy = "Connect";

    public static IServiceCollection AddVaultSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.SectionName);
        services.AddOptions<EncryptionOptions>().BindConfiguration(EncryptionOptions.SectionName);
        services.AddSingleton<ManagementCredentials>();
        services.AddScoped<ManagementKeyBootstrap>();
        services.AddSingleton(sp => KeyRingLoader.Load(
            sp.GetRequiredService<IOptions<EncryptionOptions>>().Value,
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingLoader))));
        services.AddSingleton<SecretProtector>();

        services.AddAuthentication(ManagementKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ManagementKeyAuthenticationHandler>(ManagementKeyAuthenticationHandler.SchemeName, null)
            .AddUserJwt();
        services.AddAuthorizationBuilder()
            .AddPolicy(ManagementPolicy, p => p
                .AddAuthenticationSchemes(ManagementKeyAuthenticationHandler.SchemeName)
                .RequireClaim(ManagementKeyAuthenticationHandler.ManagementClaim))
            .AddPolicy(ConnectPolicy, p => p
                .AddAuthenticationSchemes(UserJwtServiceCollectionExtensions.ConnectScheme)
                .RequireAssertion(c => c.User.HasClaim(x => x.Type is ManagementKeyAuthenticationHandler.ManagementClaim or UserJwtAuthenticationHandler.UserClaim)));
        return services;
    }
}
