using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OutboundVault.Data;

namespace OutboundVault.Security;

public static class SecurityServiceCollectionExtensions
{
    public const string ManagementPolicy = "Management";

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
            .AddScheme<AuthenticationSchemeOptions, ManagementKeyAuthenticationHandler>(ManagementKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ManagementPolicy, p => p
                .AddAuthenticationSchemes(ManagementKeyAuthenticationHandler.SchemeName)
                .RequireClaim(ManagementKeyAuthenticationHandler.ManagementClaim));
        return services;
    }
}
