using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OutboundVault.Hosting;

/// <summary>The OpenAPI document at /openapi/v1.json and Swagger UI at /swagger, with the bearer scheme.</summary>
internal static class ApiDocs
{
    const string SchemeId = "ManagementKey";

    public static IServiceCollection AddVaultApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "OutboundVault",
                Version = "v1",
                Description = "Descope-compatible outbound app and token vault. Authorize with `<ProjectId>:<ManagementKey>`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Enter `<ProjectId>:<ManagementKey>` (without the word Bearer).",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });
            return Task.CompletedTask;
        }));

    public static WebApplication MapVaultApiDocs(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "OutboundVault v1");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "OutboundVault API";
        });
        return app;
    }
}
