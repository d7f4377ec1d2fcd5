using Microsoft.AspNetCore.HttpOverrides;

namespace OutboundVault.Hosting;

/// <summary>
/// Without OAuth:PublicBaseUrl the OAuth callback URI is built from the request's scheme and host, so behind
/// a reverse proxy its X-Forwarded-Proto and X-Forwarded-Host must be applied first. ASP.NET Core's defaults
/// trust them only from a loopback proxy; ASPNETCORE_FORWARDEDHEADERS_ENABLED=true trusts any.
/// </summary>
static class ForwardedHeadersSetup
{
    public static IServiceCollection AddVaultForwardedHeaders(this IServiceCollection services) =>
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders |= ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);
}
