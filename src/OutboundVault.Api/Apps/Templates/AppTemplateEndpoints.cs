using System.Reflection;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Apps.Templates;

/// <summary>
/// <c>{templateId, id?, clientId?, clientSecret?, tenantId?, overrides?}</c> (node's createApplicationByTemplate).
/// </summary>
sealed record CreateFromTemplateRequest(
    string? TemplateId, string? Id, string? ClientId, string? ClientSecret, string? TenantId, AppRequest? Overrides);

sealed record TemplatesEnvelope(IReadOnlyList<AppTemplate> Templates);

sealed class CreateFromTemplateRequestValidator : AbstractValidator<CreateFromTemplateRequest>
{
    public CreateFromTemplateRequestValidator()
    {
        RuleFor(r => r.TemplateId).NotEmptyArgument("templateId")
            .Must(id => AppTemplateCatalog.Find(id) is not null)
            .WithMessage($"templateId must be one of: {string.Join(", ", AppTemplateCatalog.All.Select(t => t.Id))}");
        RuleFor(r => r.Id).ValidId("id");
        RuleFor(r => r.TenantId).OwnerId("tenantId");
    }
}

static class AppTemplateEndpoints
{
    /// <summary>The app fields an override may set: every writable field but the ones given at the top level.</summary>
    static readonly PropertyInfo[] OverridableFields = typeof(AppRequest).GetProperties()
        .Where(p => p.CanWrite && p.Name is not (nameof(AppRequest.Id) or nameof(AppRequest.ClientSecret) or nameof(AppRequest.TemplateId)))
        .ToArray();

    public static RouteGroupBuilder MapAppTemplates(this RouteGroupBuilder outbound)
    {
        outbound.MapPost("/app/create/bytemplate", CreateFromTemplate).Validate<CreateFromTemplateRequest>()
            .WithName("CreateAppFromTemplate")
            .WithSummary("Create an outbound app from a provider template; fields in overrides take precedence");
        outbound.MapGet("/templates", () => TypedResults.Ok(new TemplatesEnvelope(AppTemplateCatalog.All)))
            .WithName("ListAppTemplates").WithSummary("The provider templates create/bytemplate accepts (vault extension)");
        return outbound;
    }

    static async Task<Ok<AppEnvelope>> CreateFromTemplate(
        CreateFromTemplateRequest request, AppCreator creator, CancellationToken ct)
    {
        var app = AppTemplateCatalog.Find(request.TemplateId)!.ToRequest();
        if (request.Overrides is { } overrides)
        {
            foreach (var field in OverridableFields)
                if (field.GetValue(overrides) is { } value) field.SetValue(app, value);
        }
        app.Id = request.Id;
        app.ClientId = request.ClientId ?? app.ClientId;
        app.ClientSecret = request.ClientSecret;
        app.TenantId = request.TenantId ?? app.TenantId;

        // Overrides are app fields like any other: the same rules apply to the merged result.
        return TypedResults.Ok(new AppEnvelope(await creator.CreateAssembledAsync(app, "overrides", ct)));
    }
}
