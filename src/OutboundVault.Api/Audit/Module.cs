using OutboundVault.Hosting;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Audit;

/// <summary>The audit trail: token reads and secret changes, written in batches, read at <c>GET /v1/mgmt/audit</c>.</summary>
static class AuditModule
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AuditOptions>();
        services.AddValidator<AuditQuery, AuditQueryValidator>();
        return services.AddSingleton<AuditLog>().AddHostedService<AuditWriter>();
    }

    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder routes)
    {
        routes.MapGroup("/v1/mgmt").WithTags("Audit").RequireAuthorization(VaultAccess.Admin).MapAuditRecords();
        return routes;
    }
}
