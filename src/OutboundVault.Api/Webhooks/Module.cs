using OutboundVault.Hosting;
using OutboundVault.Providers;

namespace OutboundVault.Webhooks;

/// <summary>Signed webhooks: events written to an outbox with the change they report, delivered at least once by any instance.</summary>
static class WebhooksModule
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WebhookOptions>();
        services.AddSingleton<WebhookOutbox>();
        services.AddHostedService<WebhookDelivery>();
        services.AddHttpClient(WebhookDelivery.HttpClientName).Guarded();
        return services;
    }
}
