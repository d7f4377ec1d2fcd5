using Microsoft.Extensions.Options;
using OutboundVault.Security;

namespace OutboundVault.Providers;

static class GuardedHttpClient
{
    /// <summary>
    /// A client for URLs that callers chose (providers, webhook receivers): the OAuth:ProviderTimeout, the vault's
    /// User-Agent, and the private-network guard on every connection.
    /// </summary>
    public static IHttpClientBuilder Guarded(this IHttpClientBuilder builder) => builder
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
