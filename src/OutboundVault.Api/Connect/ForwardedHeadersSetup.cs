using Microsoft.AspNetCore.HttpOverrides;

namespace OutboundVault.Connect;

/// <summary>
/// Without OAuth:PublicBaseUrl the callback URI is built from the request's scheme and host, so behind a
/// reverse proxy the X-Forwarded-Proto and X-Forwarded-Host it sends must be applied first. ASP.NET
/// Core's defaults trust them only from a loopback proxy; ASPNETCORE_FORWARDEDHEADERS_ENABLED=true trusts
/// any. Registered as a startup filter so it runs before everything in Program's pipeline.
/// </summary>
internal sealed class ForwardedHeadersSetup : IStartupFilter
{
    public static void Register(IServiceCollection services)
    {
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders |= ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);
        services.AddTransient<IStartupFilter, ForwardedHeadersSetup>();
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseForwardedHeaders();
        next(app);
    };
}
