using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Connect;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Apps;

/// <summary>Descope's outbound app CRUD: contract routes 1, 3, 4, 5 and 6.</summary>
public static class OutboundAppEndpoints
{
    public static IServiceCollection AddOutboundApps(this IServiceCollection services) => services
        .AddValidator<AppRequest, AppRequestValidator>()
        .AddValidator<UpdateAppRequest, UpdateAppRequestValidator>()
        .AddValidator<AppIdRequest, AppIdRequestValidator>()
        .AddScoped<AppResponses>();

    public static RouteGroupBuilder MapOutboundApps(this RouteGroupBuilder outbound)
    {
        outbound.MapPost("/app/create", CreateApp).Validate<AppRequest>()
            .WithName("CreateApp").WithSummary("Create an outbound app (fields at the top level)");
        outbound.MapPost("/app/update", UpdateApp).Validate<UpdateAppRequest>()
            .WithName("UpdateApp").WithSummary("Replace an outbound app's fields; a missing clientSecret keeps the stored one");
        outbound.MapPost("/app/delete", DeleteApp).Validate<AppIdRequest>()
            .WithName("DeleteApp").WithSummary("Delete an outbound app and every token held for it");
        outbound.MapGet("/app/{id}", LoadApp).WithName("LoadApp").WithSummary("Load an outbound app by id");
        outbound.MapGet("/apps", LoadAllApps).WithName("LoadAllApps").WithSummary("Load every outbound app");
        return outbound;
    }

    static async Task<Results<Ok<AppEnvelope>, JsonHttpResult<DescopeError>>> CreateApp(
        AppRequest request, VaultDbContext db, SecretProtector protector, AppResponses responses, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var app = new OutboundApp { Id = string.IsNullOrEmpty(request.Id) ? AppWriter.NewId() : request.Id, CreatedAt = now, UpdatedAt = now };
        if (await db.Apps.AnyAsync(a => a.Id == app.Id, ct)) throw DuplicateId(app.Id);
        AppWriter.Apply(request, app, protector, isCreate: true);
        db.Apps.Add(app);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two creates with the same id raced past the check above: the loser is told, not overwritten.
            db.ChangeTracker.Clear();
            if (await db.Apps.AnyAsync(a => a.Id == app.Id, ct)) throw DuplicateId(app.Id);
            throw;
        }
        return TypedResults.Ok(new AppEnvelope(responses.For(app)));
    }

    static async Task<Ok<AppEnvelope>> UpdateApp(
        UpdateAppRequest request, VaultDbContext db, SecretProtector protector, AppResponses responses, TimeProvider clock, CancellationToken ct)
    {
        var app = await Find(db, request.App!.Id!, ct);
        AppWriter.Apply(request.App, app, protector, isCreate: false);
        app.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AppEnvelope(responses.For(app)));
    }

    static async Task<Ok<EmptyResponse>> DeleteApp(AppIdRequest request, VaultDbContext db, CancellationToken ct)
    {
        var deleted = await db.Apps.Where(a => a.Id == request.Id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? throw NotFound(request.Id!) : TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<AppEnvelope>> LoadApp(string id, VaultDbContext db, AppResponses responses, CancellationToken ct) =>
        TypedResults.Ok(new AppEnvelope(responses.For(await Find(db, id, ct, tracked: false))));

    static async Task<Ok<AppsEnvelope>> LoadAllApps(VaultDbContext db, AppResponses responses, CancellationToken ct)
    {
        var apps = await db.Apps.AsNoTracking().OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(new AppsEnvelope(apps.Select(responses.For).ToList()));
    }

    /// <summary>Loads an app or answers 404; shared by every feature that names an app.</summary>
    public static async Task<OutboundApp> Find(VaultDbContext db, string id, CancellationToken ct, bool tracked = true)
    {
        var query = tracked ? db.Apps : db.Apps.AsNoTracking();
        return await query.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw NotFound(id);
    }

    static VaultException NotFound(string id) => VaultException.NotFound($"No outbound app with id '{Shorten(id)}'");

    static VaultException DuplicateId(string id) => VaultException.Conflict($"An outbound app with id '{id}' already exists");

    static string Shorten(string id) => id.Length <= 100 ? id : id[..100] + "...";
}
