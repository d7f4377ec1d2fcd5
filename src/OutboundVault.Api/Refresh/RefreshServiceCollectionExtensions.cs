using Microsoft.Extensions.Options;
using OutboundVault.Tokens;
using OutboundVault.Validation;

namespace OutboundVault.Refresh;

public static class RefreshServiceCollectionExtensions
{
    /// <summary>
    /// The refresh engine: <see cref="RefreshOptions"/> (section "Refresh", validated on start), the
    /// coordinator behind <see cref="ITokenRefresher"/>, the background worker, and revocation of deleted
    /// tokens behind <see cref="ITokenRevoker"/>.
    /// </summary>
    public static IServiceCollection AddTokenRefresh(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RefreshOptions>().Bind(configuration.GetSection(RefreshOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RefreshOptions>, RefreshOptionsValidator>();

        services.AddSingleton<LeasedRefresh>();
        services.AddSingleton<RefreshCoordinator>();
        services.AddSingleton<ITokenRefresher, TokenRefresher>();
        services.AddSingleton<RefreshSweep>();
        services.AddSingleton<RefreshWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RefreshWorker>());

        services.AddSingleton<TokenRevocationQueue>();
        services.AddSingleton<ITokenRevoker>(sp => sp.GetRequiredService<TokenRevocationQueue>());
        services.AddSingleton<RevocationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RevocationWorker>());

        services.AddValidator<TokenRefreshRequest, TokenRefreshRequestValidator>();
        return services;
    }

    /// <summary>The console's manual refresh: POST /v1/mgmt/outbound/token/refresh.</summary>
    public static RouteGroupBuilder MapTokenRefresh(this RouteGroupBuilder outbound) => outbound.MapRefreshRoutes();
}
