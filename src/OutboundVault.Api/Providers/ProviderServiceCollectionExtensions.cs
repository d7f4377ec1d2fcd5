using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OutboundVault.Security;

namespace OutboundVault.Providers;

public static class ProviderServiceCollectionExtensions
{
    // Token and discovery answers are small; a hostile provider must not make the vault buffer gigabytes.
    private const long MaxResponseBytes = 1024 * 1024;

    /// <summary>
    /// Registers <see cref="OAuthOptions"/> (section "OAuth", validated on start), the discovery cache,
    /// and <see cref="ProviderClient"/> as the typed client "providers" over the SSRF-guarded handler.
    /// </summary>
    public static IServiceCollection AddProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics().AddSingleton<ProviderMetrics>();

        services.AddOptions<OAuthOptions>()
            .Bind(configuration.GetSection(OAuthOptions.SectionName))
            .Validate(o => o.ProviderTimeout > TimeSpan.Zero, "OAuth:ProviderTimeout must be positive.")
            .Validate(o => o.DiscoveryCacheLifetime >= TimeSpan.Zero, "OAuth:DiscoveryCacheLifetime must not be negative.")
            .Validate(o => o.PublicBaseUrl is null || PrivateNetworkGuard.TryParseHttpUrl(o.PublicBaseUrl, out _),
                "OAuth:PublicBaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProviderDiscoveryCache>();

        services.AddHttpClient<ProviderClient>(ProviderClient.HttpClientName, client => client.MaxResponseContentBufferSize = MaxResponseBytes)
            .Guarded();

        return services;
    }

    /// <summary>
    /// A client for URLs that callers chose (providers, webhook receivers): the OAuth:ProviderTimeout, the vault's
    /// User-Agent, and the private-network guard on every connection.
    /// </summary>
    internal static IHttpClientBuilder Guarded(this IHttpClientBuilder builder) => builder
        .ConfigureHttpClient((provider, client) =>
        {
            client.Timeout = provider.GetRequiredService<IOptions<OAuthOptions>>().Value.ProviderTimeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("OutboundVault");
        })
        .ConfigurePrimaryHttpMessageHandler(provider =>
        {
            var options = provider.GetRequiredService<IOptions<OAuthOptions>>().Value;
            return PrivateNetworkGuard.CreateHandler(options.AllowPrivateNetworkTargets, options.ProviderTimeout);
        });
}
