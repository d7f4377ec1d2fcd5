using FluentValidation;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Apps;

/// <summary>Creates an app: by hand, from a template or from a remote MCP server's metadata.</summary>
sealed class AppCreator(
    VaultDbContext db, SecretProtector protector, AppResponses responses, TimeProvider clock, IValidator<AppRequest> validator, Audit.AuditLog audit)
{
    /// <summary>
    /// Creates an app whose fields the vault assembled (a template with overrides, discovered metadata): the rules
    /// of a hand-written app apply to the result, failures named with <paramref name="context"/>.
    /// </summary>
    public async Task<AppResponse> CreateAssembledAsync(AppRequest request, string context, CancellationToken ct)
    {
        await validator.EnsureValidAsync(request, context, ct);
        return await CreateAsync(request, ct);
    }

    /// <summary>Creates an app from a request the endpoint's validation filter has checked.</summary>
    public async Task<AppResponse> CreateAsync(AppRequest request, CancellationToken ct)
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
        audit.Record(Audit.AuditActions.AppCreate, app.Id);
        return responses.For(app);
    }

    static VaultException DuplicateId(string id) => VaultException.Conflict($"An outbound app with id '{id}' already exists");
}
