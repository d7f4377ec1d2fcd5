namespace OutboundVault.Hosting;

/// <summary>What every route shares: JSON, proxies, rate limits, metrics, the API docs, health and the SDKs' license handshake.</summary>
static class HostingModule
{
    public static IServiceCollection AddHosting(this IServiceCollection services, IConfiguration configuration) => services
        .AddVaultJson()
        .AddVaultForwardedHeaders()
        .AddVaultApiDocs()
        .AddVaultRateLimits()
        .AddVaultMetrics(configuration)
        .AddHttpContextAccessor()
        .AddSingleton(TimeProvider.System);

    public static RouteGroupBuilder MapHosting(this RouteGroupBuilder routes)
    {
        routes.MapHealth().MapVaultMetrics().MapVaultApiDocs();
        routes.MapGroup("/v1/mgmt").WithTags("Operations").RequireAuthorization(Security.VaultAccess.Connect).MapLicense();
        return routes;
    }
}
