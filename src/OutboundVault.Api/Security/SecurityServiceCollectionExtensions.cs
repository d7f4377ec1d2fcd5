using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OutboundVault.Data;
using OutboundVault.Validation;

namespace OutboundVault.Security;

public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddVaultSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.SectionName);
        services.AddOptions<EncryptionOptions>().BindConfiguration(EncryptionOptions.SectionName);
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName);
        services.AddSingleton<ManagementCredentials>();
        services.AddScoped<ManagementKeyBootstrap>();
        services.AddScoped<ManagementKeys>();
        services.AddHostedService<ManagementKeyRefresher>();
        services.AddValidator<CreateKeyRequest, CreateKeyRequestValidator>();
        services.AddValidator<KeyIdRequest, KeyIdRequestValidator>();
        services.AddSingleton(sp => KeyRingLoader.Load(
            sp.GetRequiredService<IOptions<EncryptionOptions>>().Value,
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingLoader))));
        services.AddSingleton<SecretProtector>();

        services.AddAuthentication(InboundTokenAuthentication.CallerScheme)
            .AddScheme<AuthenticationSchemeOptions, ManagementKeyAuthenticationHandler>(ManagementKeyAuthenticationHandler.SchemeName, null)
            .AddInboundTokens();
        VaultAccess.AddPolicies(services.AddAuthorizationBuilder());
        services.AddSingleton<IAuthorizationHandler, VaultAccess.RouteHandler>()
            .AddSingleton<IAuthorizationMiddlewareResultHandler, VaultAccess.RefusalWriter>()
            .AddSingleton<VaultAccess>();
        return services;
    }
}
