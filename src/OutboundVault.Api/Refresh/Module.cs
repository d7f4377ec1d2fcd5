using OutboundVault.Hosting;
using OutboundVault.Security;
using OutboundVault.Tokens;
using OutboundVault.Validation;

namespace OutboundVault.Refresh;

/// <summary>
/// The refresh engine (docs/architecture.md, "The refresh engine"): on-demand refresh behind
/// <see cref="ITokenRefresher"/>, the background worker, revocation of deleted tokens behind <see cref="ITokenRevoker"/>,
/// and the console's "refresh now".
/// </summary>
static class RefreshModule
{
    public static IServiceCollection AddRefresh(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RefreshOptions>();

        services.AddScoped<RefreshAttempt>();
        services.AddSingleton<RefreshCoordinator>();
        services.AddScoped<ITokenRefresher, TokenRefresher>();
        services.AddSingleton<RefreshSweep>();
        services.AddSingleton<RefreshWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RefreshWorker>());

        services.AddSingleton<TokenRevocationQueue>();
        services.AddSingleton<ITokenRevoker>(sp => sp.GetRequiredService<TokenRevocationQueue>());
        services.AddScoped<TokenRevocation>();
        services.AddSingleton<RevocationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RevocationWorker>());

        services.AddValidator<TokenRefreshRequest, TokenRefreshRequestValidator>();
        return services;
    }

    public static RouteGroupBuilder MapRefresh(this RouteGroupBuilder routes)
    {
        routes.MapGroup("/v1/mgmt/outbound").WithTags("Tokens").RequireAuthorization(VaultAccess.Admin).MapRefreshRoutes();
        return routes;
    }
}
