using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Apps.Templates;
using OutboundVault.Audit;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Tokens;
using OutboundVault.Validation;

namespace OutboundVault.Apps;

/// <summary>Outbound app CRUD: docs/contract.md rows 1 and 3–6 (row 5 also by query, as Java loads).</summary>
static class OutboundAppEndpoints
{
    public static RouteGroupBuilder MapOutboundApps(this RouteGroupBuilder outbound)
    {
        outbound.MapPost("/app/create", CreateApp).Validate<AppRequest>()
            .WithName("CreateApp").WithSummary("Create an outbound app (fields at the top level)");
        outbound.MapPost("/app/update", UpdateApp).Validate<UpdateAppRequest>()
            .WithName("UpdateApp")
            .WithSummary("{app}: replace an outbound app's fields (a missing clientSecret keeps the stored one); {id, ...} without app: change only the fields given");
        outbound.MapPost("/app/delete", DeleteApp).Validate<AppIdRequest>()
            .WithName("DeleteApp").WithSummary("Delete an outbound app and every token held for it");
        outbound.MapGet("/app/{id}", LoadApp).WithName("LoadApp").WithSummary("Load an outbound app by id");
        outbound.MapGet("/app", LoadAppByQuery).Validate<AppIdQuery>()
            .WithName("LoadAppByQuery").WithSummary("Load an outbound app by ?id= (the Java SDK's form)");
        outbound.MapGet("/apps", LoadAllApps).WithName("LoadAllApps").WithSummary("Load every outbound app");
        return outbound;
    }

    static async Task<Ok<AppEnvelope>> CreateApp(AppRequest request, AppCreator creator, CancellationToken ct) =>
        TypedResults.Ok(new AppEnvelope(await creator.CreateAsync(request, ct)));

    static async Task<Ok<AppEnvelope>> UpdateApp(UpdateAppRequest request, VaultDbContext db, OutboundApps apps, SecretProtector protector,
        AppResponses responses, IValidator<AppRequest> validator, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var app = await apps.GetAsync(request.App?.Id ?? request.Id!, ct, tracked: true);
        var replacement = request.App;
        if (replacement is null)
        {
            replacement = AppWriter.Patched(app, request);
            await validator.EnsureValidAsync(replacement, "the app with the given fields changed", ct);
        }
        AppWriter.Apply(replacement, app, protector, isCreate: false);
        if (db.ChangeTracker.HasChanges())
        {
            app.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Deleted between the load and the write: the update finds no app, as if it came after.
                if (!await apps.ExistsAsync(app.Id, ct)) throw OutboundApps.NotFound(app.Id);
                throw;
            }
            audit.Record(AuditActions.AppUpdate, app.Id);
        }
        return TypedResults.Ok(new AppEnvelope(responses.For(app)));
    }

    /// <summary>
    /// Tokens go with the app by cascade; they are read first (with their ciphertext) so the revoker can
    /// revoke them at the provider once the delete is committed.
    /// </summary>
    static async Task<Ok<EmptyResponse>> DeleteApp(
        AppIdRequest request, VaultDbContext db, OutboundApps apps, ITokenRevoker revoker, AuditLog audit, Webhooks.WebhookOutbox webhooks, CancellationToken ct)
    {
        List<OutboundToken> tokens;
        OutboundApp app;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await LockAsync(db, request.Id!, ct);
            app = await apps.GetAsync(request.Id!, ct);
            tokens = await db.Tokens.AsNoTracking().Where(t => t.AppId == request.Id).ToListAsync(ct);
            var deleted = await db.Apps.Where(a => a.Id == request.Id).ExecuteDeleteAsync(ct);
            if (deleted == 0) throw OutboundApps.NotFound(request.Id!);
            webhooks.Stage(db, Webhooks.WebhookEvents.AppDeleted, new Webhooks.WebhookData(app.Id));
            foreach (var token in tokens) webhooks.Stage(db, Webhooks.WebhookEvents.TokenDeleted, Webhooks.WebhookData.Of(token));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        // The app goes along: its revocation URL and client credentials are gone from the database now.
        if (tokens.Count > 0) revoker.RevokeDeleted(tokens, app);
        audit.Record(AuditActions.AppDelete, app.Id);
        foreach (var token in tokens) audit.Record(AuditActions.TokenDelete, token.AppId, new TokenOwner(token.UserId, token.TenantId), token.Id);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    /// <summary>
    /// Holds the app row until the delete commits. A token insert holds a key-share lock on its app row, so on
    /// PostgreSQL an upload either commits before this returns (and its token is read below and revoked) or fails
    /// its foreign key after the delete (404). SQLite's transactions take the write lock at BEGIN: nothing interleaves.
    /// </summary>
    static async Task LockAsync(VaultDbContext db, string id, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM outbound_apps WHERE "Id" = {id} FOR UPDATE""", ct);
    }

    static async Task<Ok<AppEnvelope>> LoadApp(string id, OutboundApps apps, AppResponses responses, CancellationToken ct) =>
        TypedResults.Ok(new AppEnvelope(responses.For(await apps.GetAsync(id, ct))));

    static Task<Ok<AppEnvelope>> LoadAppByQuery([AsParameters] AppIdQuery query, OutboundApps apps, AppResponses responses, CancellationToken ct) =>
        LoadApp(query.GivenId!, apps, responses, ct);

    static async Task<Ok<AppsEnvelope>> LoadAllApps(VaultDbContext db, AppResponses responses, CancellationToken ct)
    {
        var apps = await db.Apps.AsNoTracking().OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(new AppsEnvelope(apps.Select(responses.For).ToList()));
    }
}
