using Serilog;

namespace OutboundVault.Hosting;

internal static class LoggingSetup
{
    /// <summary>
    /// Serilog behind ILogger, configured from the "Serilog" section. Serilog.AspNetCore is not
    /// available here, so the pieces are wired by hand and requests are logged by <see cref="RequestLogging"/>.
    /// </summary>
    public static WebApplicationBuilder AddVaultLogging(this WebApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With<LogScrubber>()
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}
