using OutboundVault.Validation;

namespace OutboundVault.Connect;

public static class ConnectServiceCollectionExtensions
{
    /// <summary>
    /// The connect flow: section "Connect" (allowed redirect hosts) and the flow's services. The user-JWT
    /// scheme is registered by AddVaultSecurity.
    /// </summary>
    public static IServiceCollection AddConnectFlow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConnectOptions>().Bind(configuration.GetSection(ConnectOptions.SectionName));
        services.AddSingleton<CallbackUris>()
            .AddSingleton<RedirectUrlPolicy>()
            .AddSingleton<AuthorizationEndpointGuard>()
            .AddScoped<PendingConnections>()
            .AddScoped<ConnectStarter>()
            .AddScoped<DynamicClientRegistration>()
            .AddScoped<ConnectCallback>()
            .AddScoped<BrowserBinding>()
            .AddScoped<ApiKeyConnectStarter>()
            .AddScoped<ApiKeyEntry>()
            .AddValidator<ConnectRequest, ConnectRequestValidator>();
        // The callback's URL carries the authorization code and state: the host's "Request starting" line
        // would log it in full, so that category only logs warnings and up. RequestLogging logs the route.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        return services;
    }

    /// <summary>The connect routes (contract rows 20 and 21), the OAuth callback and the hosted API-key page.</summary>
    public static WebApplication MapConnect(this WebApplication app)
    {
        ConnectEndpoints.Map(app);
        ApiKeyPageEndpoints.Map(app);
        return app;
    }
}
