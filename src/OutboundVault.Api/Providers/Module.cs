using Microsoft.Extensions.DependencyInjection.Extensions;
using OutboundVault.Hosting;

namespace OutboundVault.Providers;

/// <summary>Talking to OAuth providers: discovery, code exchange, refresh, revocation, registration, behind the private-network guard.</summary>
static class ProvidersModule
{
    // Token and discovery answers are small; a hostile provider must not make the vault buffer gigabytes.
    const long MaxResponseBytes = 1024 * 1024;

    public static IServiceCollection AddProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics().AddSingleton<ProviderMetrics>();
        services.AddSettings<OAuthOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProviderDiscoveryCache>();
        services.AddHttpClient<ProviderClient>(ProviderClient.HttpClientName, client => client.MaxResponseContentBufferSize = MaxResponseBytes)
            .Guarded();
        return services;
    }
}
