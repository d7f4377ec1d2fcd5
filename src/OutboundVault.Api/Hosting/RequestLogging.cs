using System.Diagnostics;

namespace OutboundVault.Hosting;

/// <summary>
/// One line per request: method, route template, status and elapsed time. The route template rather
/// than the path, and never headers, query strings or bodies: those carry keys, codes and tokens.
/// </summary>
internal static class RequestLogging
{
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OutboundVault.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                logger.LogInformation("HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        return app;
    }
}
