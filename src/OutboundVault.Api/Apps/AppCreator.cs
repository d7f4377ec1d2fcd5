using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Security;

namespace OutboundVault.Apps;

/// <summary>Creates an app from a validated request: by hand or from a template.</summary>
internal sealed class AppCreator(VaultDbContext db, SecretProtector protector, AppResponses responses, TimeProvider clock)
{
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
        return responses.For(app);
    }

    static VaultException DuplicateId(string id) => VaultException.Conflict($"An outbound app with id '{id}' already exists");
}
