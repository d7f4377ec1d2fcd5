using Microsoft.EntityFrameworkCore;
using OutboundVault.Apps;
using OutboundVault.Data;

namespace OutboundVault.Connect;

/// <summary>
/// Pending connections in the database, so a callback can land on any instance. Consuming is a
/// conditional delete (hash matches and not expired): of two callbacks with the same state, on one
/// instance or several, exactly one deletes the row and proceeds.
/// </summary>
sealed class PendingConnections(VaultDbContext db, TimeProvider clock)
{
    /// <summary>The row every kind of connect stores: who connects which app, and where the browser goes next.</summary>
    public static PendingConnection For(string state, OutboundApp app, ConnectOwner owner, ConnectRequest request, string? redirectUrl, string callbackUri) => new()
    {
        StateHash = ConnectSecrets.HashState(state),
        AppId = app.Id,
        UserId = owner.Owner.UserId,
        TenantId = owner.Owner.TenantId,
        RedirectUrl = redirectUrl,
        CallbackUri = callbackUri,
        ExternalIdentifier = string.IsNullOrWhiteSpace(request.Options?.ExternalIdentifier) ? null : request.Options.ExternalIdentifier.Trim(),
        GrantedBy = owner.GrantedBy,
    };

    /// <summary>Stores a pending connection that expires after <see cref="ConnectOptions.PendingLifetime"/>.</summary>
    public async Task AddAsync(PendingConnection connection, CancellationToken ct)
    {
        // Opportunistic clean-up: flows abandoned at the provider leave rows behind; the delete is one
        // indexed range on ExpiresAt and connects are rare, interactive events.
        var now = clock.GetUtcNow().UtcDateTime;
        await db.PendingConnections.Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        connection.CreatedAt = now;
        connection.ExpiresAt = now + ConnectOptions.PendingLifetime;
        db.PendingConnections.Add(connection);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Reads the pending connection for a state hash and leaves it in place: a page shown before the flow
    /// completes (browsers prefetch, users reload) must not spend the state.
    /// </summary>
    public async Task<(PendingState State, PendingConnection? Connection)> PeekAsync(string stateHash, CancellationToken ct)
    {
        var row = await db.PendingConnections.AsNoTracking().SingleOrDefaultAsync(p => p.StateHash == stateHash, ct);
        if (row is null) return (PendingState.Unknown, null);
        return (row.ExpiresAt > clock.GetUtcNow().UtcDateTime ? PendingState.Open : PendingState.Expired, row);
    }

    /// <summary>Takes the pending connection for a state hash out of the database, once.</summary>
    public async Task<(PendingState State, PendingConnection? Connection)> ConsumeAsync(string stateHash, CancellationToken ct)
    {
        var row = await db.PendingConnections.AsNoTracking().SingleOrDefaultAsync(p => p.StateHash == stateHash, ct);
        if (row is null) return (PendingState.Unknown, null);
        var now = clock.GetUtcNow().UtcDateTime;
        var taken = await db.PendingConnections.Where(p => p.StateHash == stateHash && p.ExpiresAt > now).ExecuteDeleteAsync(ct);
        if (taken == 1) return (PendingState.Taken, row);
        if (row.ExpiresAt > now) return (PendingState.Unknown, null); // another callback consumed it first
        await db.PendingConnections.Where(p => p.StateHash == stateHash).ExecuteDeleteAsync(ct);
        return (PendingState.Expired, row);
    }
}

enum PendingState
{
    /// <summary>Never issued, or already used (a replay).</summary>
    Unknown,
    Expired,
    /// <summary>Usable and still in the database (<see cref="PendingConnections.PeekAsync"/>).</summary>
    Open,
    /// <summary>Usable, and now deleted by this caller (<see cref="PendingConnections.ConsumeAsync"/>).</summary>
    Taken,
}
