using OutboundVault.Apps;

namespace OutboundVault.Hosting;

/// <summary>
/// Bounds request bodies. Kestrel enforces the limit while reading (also for chunked bodies); a declared
/// Content-Length over it is refused up front so the caller gets the Descope 413 body at once.
/// </summary>
static class BodySizeLimit
{
    public static WebApplicationBuilder LimitRequestBodies(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = AppLimits.MaxBodyBytes);
        return builder;
    }

    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        app.Use((context, next) => context.Request.ContentLength > AppLimits.MaxBodyBytes
            ? throw new BadHttpRequestException("Request body too large", StatusCodes.Status413PayloadTooLarge)
            : next(context));
        return app;
    }
}
