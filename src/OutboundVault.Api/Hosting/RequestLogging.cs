using System.Diagnostics;

namespace OutboundVault.Hosting;

/// <summary>
/// One line per request: method, route template, status and elapsed time. It runs outermost, so the status it
/// logs is the one the caller got, after the error handler wrote it. The route template rather
/// than the path, and never headers, query strings or bodies: those carry keys, codes and tokens.
/// Failed and slow requests are warnings; the others are information, which the shipped settings leave out of the
/// console: a line per fetch cost a third of the server's CPU at full load (bench/README.md, "Fetch latest"),
/// and the audit trail already records every token read.
/// </summary>
static class RequestLogging
{
    static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OutboundVault.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            // Read before the pipeline runs: routing has matched by now, and the error handler clears the endpoint.
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
            try
            {
                await next(context);
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                var level = context.Response.StatusCode >= 400 || elapsed > Slow ? LogLevel.Warning : LogLevel.Information;
                logger.Log(level, "HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method, route, context.Response.StatusCode, elapsed.TotalMilliseconds);
            }
        });
        return app;
    }
}
