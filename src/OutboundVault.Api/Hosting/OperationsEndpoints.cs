using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using OutboundVault.Errors;

namespace OutboundVault.Hosting;

/// <summary>Health probes and the license handshake the SDKs make when they start.</summary>
static class OperationsEndpoints
{
    public sealed record LicenseResponse(string RateLimitTier);

    public static RouteGroupBuilder MapHealth(this RouteGroupBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth })
            .ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth })
            .ExcludeFromDescription();
        return app;
    }

    public static RouteGroupBuilder MapLicense(this RouteGroupBuilder mgmt)
    {
        mgmt.MapGet("/license", Ok<LicenseResponse> () => TypedResults.Ok(new LicenseResponse("selfhosted")))
            .WithName("License").WithSummary("License handshake the Descope SDKs make on start");
        return mgmt;
    }

    static Task WriteHealth(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report) =>
        context.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });
}
