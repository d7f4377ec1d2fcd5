using Microsoft.EntityFrameworkCore;

namespace OutboundVault.Tokens;

/// <summary>
/// Deletes token rows and hands exactly the deleted rows (ciphertext included) to the revoker after the
/// commit. Rows are removed by id and <see cref="OutboundToken.Version"/>: when a refresh rotated a row
/// between the read and the delete, the delete is retried with the fresh row, so the revoker sees the
/// refresh token that was actually live.
/// </summary>
sealed class TokenDeleter(
    Data.VaultDbContext db, ITokenRevoker revoker, Audit.AuditLog audit, Webhooks.WebhookOutbox webhooks, ILogger<TokenDeleter> logger)
{
    const int Attempts = 5;

    /// <returns>The number of rows deleted.</returns>
    public async Task<int> DeleteAsync(Func<IQueryable<OutboundToken>, IQueryable<OutboundToken>> filter, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var rows = await filter(db.Tokens).ToListAsync(ct);
            if (rows.Count == 0) return 0;
            db.Tokens.RemoveRange(rows);
            foreach (var row in rows) webhooks.Stage(db, Webhooks.WebhookEvents.TokenDeleted, Webhooks.WebhookData.Of(row));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                logger.LogInformation("Token rows changed while being deleted (attempt {Attempt}); deleting the current rows", attempt);
                db.ChangeTracker.Clear();
                continue;
            }
            revoker.RevokeDeleted(rows);
            foreach (var row in rows) audit.Record(Audit.AuditActions.TokenDelete, row.AppId, new TokenOwner(row.UserId, row.TenantId), row.Id);
            return rows.Count;
        }
    }
}
