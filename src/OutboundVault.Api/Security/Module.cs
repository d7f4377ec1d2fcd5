using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OutboundVault.Data;
using OutboundVault.Hosting;
using OutboundVault.Validation;

namespace OutboundVault.Security;

/// <summary>
/// Who may call what (docs/architecture.md, "Authorization"): management keys with roles, inbound access tokens,
/// the one authorization layer both go through, and the encryption of every secret at rest.
/// </summary>
static class SecurityModule
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ManagementOptions>();
        services.AddSettings<EncryptionOptions>();
        services.AddSettings<AccessOptions>();
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

    public static RouteGroupBuilder MapSecurity(this RouteGroupBuilder routes)
    {
        routes.MapGroup("/v1/mgmt").WithTags("Management keys").RequireAuthorization(VaultAccess.Admin).MapManagementKeys();
        return routes;
    }
}
