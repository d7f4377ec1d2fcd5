using OutboundVault.Hosting;
using OutboundVault.Validation;

namespace OutboundVault.Connect;

/// <summary>
/// The connect flow (docs/contract.md rows 20 and 21): OAuth authorization code with PKCE, the callback, the hosted
/// API-key page. The user-JWT scheme that may start a connect is the security module's.
/// </summary>
static class ConnectModule
{
    public static IServiceCollection AddConnect(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ConnectOptions>();
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

    public static RouteGroupBuilder MapConnect(this RouteGroupBuilder routes)
    {
        var connect = routes.MapGroup("").WithTags("Connect");
        connect.MapConnectRoutes().MapApiKeyPage();
        return routes;
    }
}
