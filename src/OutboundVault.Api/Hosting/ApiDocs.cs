using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OutboundVault.Hosting;

/// <summary>The OpenAPI document at /openapi/v1.json and Swagger UI at /swagger, with the bearer scheme.</summary>
static class ApiDocs
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

    public static RouteGroupBuilder MapVaultApiDocs(this RouteGroupBuilder routes)
    {
        routes.MapOpenApi().AllowAnonymous();
        return routes;
    }

    /// <summary>Swagger UI at /swagger, over the document at /openapi/v1.json.</summary>
    public static WebApplication UseApiDocsPage(this WebApplication app)
    {
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "OutboundVault v1");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "OutboundVault API";
        });
        return app;
    }
}
