using OutboundVault.Errors;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

public static class RefreshServiceCollectionExtensions
{
    // INTERIM: the refresh engine replaces these two registrations (see the refresh issue).
    public static IServiceCollection AddTokenRefresh(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddScoped<ITokenRefresher, InterimRefresher>();
        services.AddSingleton<ITokenRevoker, InterimRevoker>();
        return services;
    }

    sealed class InterimRefresher : ITokenRefresher
    {
        public Task<OutboundToken> EnsureFreshAsync(OutboundToken token, bool force, CancellationToken ct) => force
            ? throw new VaultException(VaultError.NotConfigured, "Refreshing tokens is not available yet")
            : Task.FromResult(token);

        public Task<Grant> VerifyGrantAsync(Grant grant, CancellationToken ct) =>
            throw new VaultException(VaultError.NotConfigured, "Verifying refresh tokens is not available yet");
    }

    sealed class InterimRevoker : ITokenRevoker
    {
        public void RevokeDeleted(IReadOnlyList<OutboundToken> deletedRows) { }
    }

    /// <summary>The console's manual refresh: POST /v1/mgmt/outbound/token/refresh.</summary>
    public static RouteGroupBuilder MapTokenRefresh(this RouteGroupBuilder outbound) => outbound;
}
