using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>
/// One refresh attempt, in its own scope (<see cref="RefreshCoordinator"/> makes one per flight): take the row's
/// lease or wait for its holder, then exactly one provider call, then exactly one of commit the new pair, record a
/// failure with back-off, or declare the grant dead. The new pair is committed before anyone receives it.
/// </summary>
sealed class RefreshAttempt(
    VaultDbContext db, TokenStore store, OutboundApps apps, ProviderClient providers, IServiceScopeFactory scopes,
    IOptions<RefreshOptions> options, TimeProvider clock, Hosting.VaultMetrics metrics, Webhooks.WebhookOutbox webhooks,
    IHostApplicationLifetime lifetime, ILogger<RefreshAttempt> logger)
{
    static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(250);

    // Losing the commit after the provider rotated would lose the grant, so a database blip gets a few tries.
    static readonly TimeSpan[] CommitRetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    /// <summary>
    /// The worker's path for a row it holds in a batch claim (<paramref name="row"/> as read under that claim):
    /// moves the row to this attempt's own claim, renewing the lease, and refreshes.
    /// </summary>
    public async Task<RefreshResult> RunClaimedAsync(OutboundToken row, string batchClaim, OutboundApp? app, CancellationToken ct)
    {
        var claim = Leases.NewClaim();
        if (!await TokenLeases.TransferAsync(db, row.Id, row.Version, batchClaim, claim, Now(), options.Value.LeaseDuration, ct)) return RefreshResult.Skipped;
        return await RunAsync(row, claim, app, ct);
    }

    /// <summary>
    /// Refreshes the token unless that is no longer needed: without <paramref name="force"/>, when the row is no
    /// longer due; with it, when the row changed since the caller read it at <paramref name="seenVersion"/>. While
    /// another refresh holds the lease, re-reads the row until the holder has committed or given up. Runs on the
    /// host's lifetime, not on a caller's request: the flight is shared.
    /// </summary>
    public async Task<RefreshResult> ClaimOrWaitAsync(string tokenId, Guid seenVersion, bool force)
    {
        var stopping = lifetime.ApplicationStopping;
        var started = Now();
        var waited = false;
        var poll = FirstPoll;
        while (true)
        {
            var row = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tokenId, stopping);
            if (row is null) return RefreshResult.NotFound;
            var now = Now();
            if (row.Status == TokenStatuses.NeedsReconnect) return new RefreshResult(RefreshOutcome.Dead, row, row.LastRefreshError);
            if (force ? row.Version != seenVersion : !RefreshPolicy.IsDue(row, now, options.Value.MinValidity)) return RefreshResult.Current(row);
            if (!row.HasRefreshToken) return new RefreshResult(RefreshOutcome.NoRefreshToken, row);
            // The holder we waited for failed just now: report its failure rather than ask the provider again at once.
            if (waited && row.LastRefreshErrorAt >= started) return new RefreshResult(RefreshOutcome.Failed, row, row.LastRefreshError);

            if (row.IsFreeAt(now))
            {
                var claim = Leases.NewClaim();
                if (await TokenLeases.TryClaimAsync(db, tokenId, row.Version, claim, now, options.Value.LeaseDuration, stopping))
                    return await RunAsync(row, claim, knownApp: null, stopping);
                continue; // someone claimed or changed it between our read and our claim: look again
            }

            // Someone else holds the lease. A plain fetch of a token that still works takes it as it is, rather
            // than wait on a holder that may be slow or dead; only an expired token or a forced refresh waits.
            if (!force && RefreshPolicy.IsUsable(row, now)) return RefreshResult.Current(row);
            waited = true;
            await Task.Delay(poll, clock, stopping);
            poll = poll * 2 < MaxPoll ? poll * 2 : MaxPoll;
        }
    }

    /// <param name="row">The row as read when the claim was taken (same version); this method may modify it.</param>
    /// <param name="knownApp">The row's app when the caller has it at hand (the worker loads a batch's apps at once).</param>
    async Task<RefreshResult> RunAsync(OutboundToken row, string claim, OutboundApp? knownApp, CancellationToken ct)
    {
        string refreshToken;
        ProviderTokenResponse response;
        try
        {
            var app = knownApp ?? await apps.FindAsync(row.AppId, ct);
            if (app is null)
            {
                await ReleaseQuietlyAsync(row.Id, claim);
                return RefreshResult.NotFound; // the app was deleted, and its tokens with it
            }
            refreshToken = store.ReadRefreshToken(row) ?? throw new InvalidOperationException("The claimed row has no refresh token.");
            var providerApp = apps.ToProviderApp(app);
            using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var renewing = RenewWhileRunningAsync(row.Id, claim, heartbeat.Token);
            try
            {
                response = await providers.RefreshAsync(providerApp, refreshToken, scopes: null, ct);
            }
            finally
            {
                await heartbeat.CancelAsync();
                await renewing;
            }
        }
        catch (ProviderException ex) when (ex.Kind == ProviderFailureKind.InvalidGrant)
        {
            return await DeclareDeadAsync(row, claim, ex);
        }
        catch (ProviderException ex)
        {
            return await RecordFailureAsync(row, claim, ex.Message, ex.Kind);
        }
        catch (VaultException ex)
        {
            // An unreadable stored secret: recorded with back-off so the worker does not spin on it.
            await RecordFailureAsync(row, claim, ex.Message, kind: null);
            throw;
        }
        catch
        {
            await ReleaseQuietlyAsync(row.Id, claim);
            throw;
        }
        return await CommitAsync(row, claim, response, refreshToken);
    }

    async Task<RefreshResult> CommitAsync(OutboundToken row, string claim, ProviderTokenResponse response, string oldRefreshToken)
    {
        var previousVersion = row.Version;
        var now = clock.GetUtcNow().UtcDateTime;
        // No refresh_token in the answer means the provider did not rotate: the old one stays valid.
        store.WriteSecrets(row, response.AccessToken, response.RefreshToken ?? oldRefreshToken);
        row.TokenType = response.TokenType;
        row.TokenSub = response.IdTokenSubject ?? row.TokenSub;
        row.AccessTokenExpiresAt = TokenExpiry.FromLifetime(response.ExpiresIn, now);
        row.ClearRefreshState();
        row.LastRefreshAt = now;
        row.UpdatedAt = now;

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Not cancellable: the provider has already rotated, so this write must happen.
                if (await TokenLeases.CompleteAsync(db, row, previousVersion, claim, CancellationToken.None))
                {
                    logger.LogDebug("Refreshed token {TokenId} of app {AppId}", row.Id, row.AppId);
                    metrics.Refreshed("success");
                    return new RefreshResult(RefreshOutcome.Refreshed, row);
                }
                var current = await ReadAsync(row.Id);
                if (current?.Version == row.Version) return new RefreshResult(RefreshOutcome.Refreshed, current); // an earlier try did commit
                logger.LogWarning("Token {TokenId} of app {AppId} was replaced or deleted while it was being refreshed; the newer state wins", row.Id, row.AppId);
                return current is null ? RefreshResult.NotFound : RefreshResult.Current(current);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException && attempt < CommitRetryDelays.Length)
            {
                logger.LogWarning("Storing the refreshed token {TokenId} failed ({ExceptionType}); trying again", row.Id, ex.GetType().Name);
                await Task.Delay(CommitRetryDelays[attempt], clock, CancellationToken.None);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                logger.LogError("Token {TokenId} of app {AppId} was refreshed but the new pair could not be stored ({ExceptionType}); if the provider rotates refresh tokens, the owner must connect again",
                    row.Id, row.AppId, ex.GetType().Name);
                throw;
            }
        }
    }

    async Task<RefreshResult> DeclareDeadAsync(OutboundToken row, string claim, ProviderException ex)
    {
        // Another instance may have refreshed with this same token a moment ago (its lease expired mid-call,
        // or an upload replaced the row): then the token we were refused with is simply old. Re-read first.
        var current = await ReadAsync(row.Id);
        if (current is null) return RefreshResult.NotFound;
        if (current.Version != row.Version)
        {
            await ReleaseQuietlyAsync(row.Id, claim);
            return RefreshResult.Current(current);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var error = $"The provider refused the refresh token ({ex.ProviderError ?? "invalid_grant"}): the owner must connect again";
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            if (await TokenLeases.MarkNeedsReconnectAsync(db, row.Id, row.Version, claim, error, now, CancellationToken.None) == 0)
                return await ReadAsync(row.Id) is { } changed ? RefreshResult.Current(changed) : RefreshResult.NotFound;
            webhooks.Stage(db, Webhooks.WebhookEvents.NeedsReconnect, Webhooks.WebhookData.Of(row, "invalid_grant"));
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        logger.LogWarning("Token {TokenId} of app {AppId} needs a reconnect: the provider refused its refresh token", row.Id, row.AppId);
        metrics.Refreshed("invalid_grant");
        return new RefreshResult(RefreshOutcome.Dead, await ReadAsync(row.Id), error, ProviderFailureKind.InvalidGrant);
    }

    async Task<RefreshResult> RecordFailureAsync(OutboundToken row, string claim, string error, ProviderFailureKind? kind)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var backoff = options.Value.BackoffAfter(row.RefreshAttempts + 1);
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            if (await TokenLeases.RecordFailureAsync(db, row.Id, claim, error, now, now + backoff, CancellationToken.None) == 1)
            {
                webhooks.Stage(db, Webhooks.WebhookEvents.RefreshFailed, Webhooks.WebhookData.Of(row, error));
                await db.SaveChangesAsync(CancellationToken.None);
            }
            await transaction.CommitAsync(CancellationToken.None);
        }
        logger.LogWarning("Refreshing token {TokenId} of app {AppId} failed ({Kind}); next try after {Backoff}", row.Id, row.AppId, kind?.ToString() ?? "internal", backoff);
        metrics.Refreshed(kind?.ToString().ToLowerInvariant() ?? "internal");
        return new RefreshResult(RefreshOutcome.Failed, await ReadAsync(row.Id), error, kind);
    }

    /// <summary>
    /// The heartbeat: renews the lease every <see cref="RefreshOptions.LeaseRenewal"/> until the provider call ends,
    /// on a context of its own scope (the attempt's is busy, and a context is not to be shared across threads). A renewal that fails is tried again
    /// at the next beat; the lease is long enough to miss one.
    /// </summary>
    async Task RenewWhileRunningAsync(string id, string claim, CancellationToken running)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            using var beat = new PeriodicTimer(options.Value.LeaseRenewal, clock);
            while (await beat.WaitForNextTickAsync(running))
            {
                try
                {
                    await TokenLeases.RenewAsync(db, id, claim, clock.GetUtcNow().UtcDateTime, options.Value.LeaseDuration, running);
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException)
                {
                    logger.LogWarning("Renewing the lease on token {TokenId} failed ({ExceptionType}); trying again", id, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
        }
    }

    async Task ReleaseQuietlyAsync(string id, string claim)
    {
        try
        {
            await TokenLeases.ReleaseAsync(db, [id], claim, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            logger.LogDebug("Releasing the lease on token {TokenId} failed ({ExceptionType}); it expires on its own", id, ex.GetType().Name);
        }
    }

    Task<OutboundToken?> ReadAsync(string id) =>
        db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, CancellationToken.None);

    DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
