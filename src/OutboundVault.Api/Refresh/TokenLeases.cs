using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>
/// The database claim that makes one refresh the only one, across instances: single conditional UPDATEs
/// (no transaction is held across the provider call). A claim string is unique per refresh, so even two
/// refreshes in one process can tell whose lease a row carries. Every write after the claim is
/// conditional on still holding it.
/// </summary>
static class TokenLeases
{
    /// <summary>Claims the row when its lease is free or expired and it is still at <paramref name="version"/>.</summary>
    public static async Task<bool> TryClaimAsync(VaultDbContext db, string id, Guid version, string claim, DateTime now, TimeSpan duration, CancellationToken ct)
    {
        var until = now + duration;
        return await db.Tokens
            .Where(t => t.Id == id && t.Version == version).Where(Leases.FreeAt<OutboundToken>(now))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, claim).SetProperty(t => t.LeaseExpiresAt, until), ct) == 1;
    }

    /// <summary>
    /// The worker's batch claim. The eligibility test sits on the UPDATE itself (not in a sub-select), so on
    /// PostgreSQL a row another instance claimed a moment earlier is re-checked and skipped, never shared; and a
    /// row another instance refreshed (and released) since the batch was read is no longer refreshed since
    /// <paramref name="refreshedSince"/>, so it is skipped too instead of refreshed a second time.
    /// </summary>
    public static Task<int> ClaimBatchAsync(
        VaultDbContext db, IReadOnlyList<string> ids, string claim, DateTime now, DateTime refreshedSince, TimeSpan duration, CancellationToken ct)
    {
        var until = now + duration;
        return db.Tokens
            .Where(t => ids.Contains(t.Id) && t.Status == TokenStatuses.Valid && t.RefreshTokenCipher != null
                && (t.LastRefreshAt == null || t.LastRefreshAt <= refreshedSince))
            .Where(Leases.FreeAt<OutboundToken>(now))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, claim).SetProperty(t => t.LeaseExpiresAt, until), ct);
    }

    /// <summary>
    /// Moves one row from the batch claim to a refresh's own claim, renewing the lease for the provider
    /// call; only while the row is still at the <paramref name="version"/> the batch read.
    /// </summary>
    public static async Task<bool> TransferAsync(VaultDbContext db, string id, Guid version, string from, string to, DateTime now, TimeSpan duration, CancellationToken ct)
    {
        var until = now + duration;
        return await db.Tokens.Where(t => t.Id == id && t.Version == version && t.LeaseOwner == from)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, to).SetProperty(t => t.LeaseExpiresAt, until), ct) == 1;
    }

    /// <summary>Extends a lease this refresh still holds (the heartbeat while its provider call runs).</summary>
    public static async Task<bool> RenewAsync(VaultDbContext db, string id, string claim, DateTime now, TimeSpan duration, CancellationToken ct)
    {
        var until = now + duration;
        return await db.Tokens.Where(t => t.Id == id && t.LeaseOwner == claim)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseExpiresAt, until), ct) == 1;
    }

    public static Task<int> ReleaseAsync(VaultDbContext db, IReadOnlyList<string> ids, string claim, CancellationToken ct) =>
        db.Tokens.Where(t => ids.Contains(t.Id) && t.LeaseOwner == claim)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, (string?)null).SetProperty(t => t.LeaseExpiresAt, (DateTime?)null), ct);

    /// <summary>A failed attempt: the error (never a secret), one more attempt, the back-off, and the lease released.</summary>
    public static Task<int> RecordFailureAsync(VaultDbContext db, string id, string claim, string error, DateTime now, DateTime notBefore, CancellationToken ct) =>
        db.Tokens.Where(t => t.Id == id && t.LeaseOwner == claim)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.LastRefreshError, error)
                .SetProperty(t => t.LastRefreshErrorAt, now)
                .SetProperty(t => t.RefreshAttempts, t => t.RefreshAttempts + 1)
                .SetProperty(t => t.RefreshNotBefore, notBefore)
                .SetProperty(t => t.LeaseOwner, (string?)null)
                .SetProperty(t => t.LeaseExpiresAt, (DateTime?)null), ct);

    /// <summary>The provider refused the refresh token for good, and the row still holds that token.</summary>
    public static Task<int> MarkNeedsReconnectAsync(VaultDbContext db, string id, Guid version, string claim, string error, DateTime now, CancellationToken ct) =>
        db.Tokens.Where(t => t.Id == id && t.Version == version && t.LeaseOwner == claim)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, TokenStatuses.NeedsReconnect)
                .SetProperty(t => t.LastRefreshError, error)
                .SetProperty(t => t.LastRefreshErrorAt, now)
                .SetProperty(t => t.RefreshAttempts, t => t.RefreshAttempts + 1)
                .SetProperty(t => t.LeaseOwner, (string?)null)
                .SetProperty(t => t.LeaseExpiresAt, (DateTime?)null), ct);

    /// <summary>
    /// Commits a refreshed row (new secrets, version and cleared bookkeeping already set on <paramref name="refreshed"/>) only
    /// if the row is still at <paramref name="previousVersion"/> under our claim: a stale writer cannot
    /// overwrite a newer grant.
    /// </summary>
    public static async Task<bool> CompleteAsync(VaultDbContext db, OutboundToken refreshed, Guid previousVersion, string claim, CancellationToken ct) =>
        await db.Tokens.Where(t => t.Id == refreshed.Id && t.Version == previousVersion && t.LeaseOwner == claim)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.AccessTokenCipher, refreshed.AccessTokenCipher)
                .SetProperty(t => t.RefreshTokenCipher, refreshed.RefreshTokenCipher)
                .SetProperty(t => t.KeyId, refreshed.KeyId)
                .SetProperty(t => t.Version, refreshed.Version)
                .SetProperty(t => t.TokenType, refreshed.TokenType)
                .SetProperty(t => t.TokenSub, refreshed.TokenSub)
                .SetProperty(t => t.AccessTokenExpiresAt, refreshed.AccessTokenExpiresAt)
                .SetProperty(t => t.Status, refreshed.Status)
                .SetProperty(t => t.LastRefreshAt, refreshed.LastRefreshAt)
                .SetProperty(t => t.LastRefreshError, refreshed.LastRefreshError)
                .SetProperty(t => t.LastRefreshErrorAt, refreshed.LastRefreshErrorAt)
                .SetProperty(t => t.RefreshAttempts, refreshed.RefreshAttempts)
                .SetProperty(t => t.RefreshNotBefore, refreshed.RefreshNotBefore)
                .SetProperty(t => t.LeaseOwner, refreshed.LeaseOwner)
                .SetProperty(t => t.LeaseExpiresAt, refreshed.LeaseExpiresAt)
                .SetProperty(t => t.UpdatedAt, refreshed.UpdatedAt), ct) == 1;
}
