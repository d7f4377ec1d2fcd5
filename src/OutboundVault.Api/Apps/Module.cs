using OutboundVault.Apps.Templates;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Apps;

/// <summary>Outbound apps: CRUD, templates and apps made from an MCP server's metadata (docs/contract.md rows 1–6).</summary>
static class AppsModule
{
    public static IServiceCollection AddApps(this IServiceCollection services, IConfiguration configuration) => services
        .AddValidator<AppRequest, AppRequestValidator>()
        .AddValidator<UpdateAppRequest, UpdateAppRequestValidator>()
        .AddValidator<AppIdRequest, AppIdRequestValidator>()
        .AddValidator<AppIdQuery, AppIdQueryValidator>()
        .AddValidator<CreateFromTemplateRequest, CreateFromTemplateRequestValidator>()
        .AddValidator<CreateFromMcpServerRequest, CreateFromMcpServerRequestValidator>()
        .AddScoped<OutboundApps>()
        .AddScoped<AppResponses>()
        .AddScoped<AppCreator>();

    public static RouteGroupBuilder MapApps(this RouteGroupBuilder routes)
    {
        var outbound = routes.MapGroup("/v1/mgmt/outbound").WithTags("Outbound apps").RequireAuthorization(VaultAccess.Admin);
        outbound.MapOutboundApps().MapAppTemplates().MapMcpServerApps();
        return routes;
    }
}
