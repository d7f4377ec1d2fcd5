using Serilog;
using Serilog.Events;

namespace OutboundVault.Hosting;

static class LoggingSetup
{
    /// <summary>
    /// Serilog behind ILogger, configured from the "Serilog" section over defaults that hold without any
    /// configuration: a console sink and quiet framework categories. It is one logger provider among the host's
    /// (the tests add theirs), and <see cref="LogScrubber"/> runs on every event, whatever the configuration says.
    /// Requests are logged by <see cref="RequestLogging"/>.
    /// </summary>
    /// <param name="toStandardError">For commands: every line to stderr, so stdout carries their result alone.</param>
    public static WebApplicationBuilder AddVaultLogging(this WebApplicationBuilder builder, bool toStandardError)
    {
        if (toStandardError)
            builder.Configuration.AddInMemoryCollection([new("Serilog:WriteTo:0:Args:standardErrorFromLevel", "Verbose")]);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With<LogScrubber>();
        if (!builder.Configuration.GetSection("Serilog:WriteTo").Exists())
        {
            logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: toStandardError ? LogEventLevel.Verbose : null);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger.CreateLogger(), dispose: true);
        return builder;
    }
}
