using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Connect;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Security;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>
/// One refresh of a row whose lease this process holds: exactly one provider call, then exactly one of
/// commit the new pair, record a failure with back-off, or declare the grant dead. The new pair is
/// committed before anyone receives it.
/// </summary>
internal sealed class LeasedRefresh(
    IServiceScopeFactory scopes, IOptions<RefreshOptions> options, TimeProvider clock, Hosting.VaultMetrics metrics,
    Webhooks.WebhookOutbox webhooks, ILogger<LeasedRefresh> logger)
{
    // Losing the commit after the provider rotated would lose the grant, so a database blip gets a few tries.
    static readonly TimeSpan[] CommitRetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    /// <param name="row">The row as read when the claim was taken (same version); this method may modify it.</param>
    /// <param name="knownApp">The row's app when the caller has it at hand (the worker loads a batch's apps at once).</param>
    public async Task<RefreshResult> RunAsync(OutboundToken row, string claim, OutboundApp? knownApp, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<VaultDbContext>();
        var store = services.GetRequiredService<TokenStore>();
        string refreshToken;
        ProviderTokenResponse response;
        try
        {
            var app = knownApp ?? await db.Apps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == row.AppId, ct);
            if (app is null)
            {
                await ReleaseQuietlyAsync(db, row.Id, claim);
                return RefreshResult.NotFound; // the app was deleted, and its tokens with it
            }
            refreshToken = store.ReadRefreshToken(row) ?? throw new InvalidOperationException("The claimed row has no refresh token.");
            var providerApp = app.ToProviderApp(services.GetRequiredService<SecretProtector>());
            using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var renewing = RenewWhileRunningAsync(row.Id, claim, heartbeat.Token);
            try
            {
                response = await services.GetRequiredService<ProviderClient>().RefreshAsync(providerApp, refreshToken, scopes: null, ct);
            }
            finally
            {
                await heartbeat.CancelAsync();
                await renewing;
            }
        }
        catch (ProviderException ex) when (ex.Kind == ProviderFailureKind.InvalidGrant)
        {
            return await DeclareDeadAsync(db, row, claim, ex);
        }
        catch (ProviderException ex)
        {
            return await RecordFailureAsync(db, row, claim, ex.Message, ex.Kind);
        }
        catch (VaultException ex)
        {
            // An unreadable stored secret: recorded with back-off so the worker does not spin on it.
            await RecordFailureAsync(db, row, claim, ex.Message, kind: null);
            throw;
        }
        catch
        {
            await ReleaseQuietlyAsync(db, row.Id, claim);
            throw;
        }
        return await CommitAsync(db, store, row, claim, response, refreshToken);
    }

    async Task<RefreshResult> CommitAsync(VaultDbContext db, TokenStore store, OutboundToken row, string claim, ProviderTokenResponse response, string oldRefreshToken)
    {
        var previousVersion = row.Version;
        var now = clock.GetUtcNow().UtcDateTime;
        // No refresh_token in the answer means the provider did not rotate: the old one stays valid.
        store.WriteSecrets(row, response.AccessToken, response.RefreshToken ?? oldRefreshToken);
        row.TokenType = response.TokenType;
        row.TokenSub = response.IdTokenSubject ?? row.TokenSub;
        row.AccessTokenExpiresAt = RefreshPolicy.ExpiryFrom(response.ExpiresIn, now);
        row.Status = TokenStatuses.Valid;
        row.LastRefreshAt = now;
        row.LastRefreshError = null;
        row.LastRefreshErrorAt = null;
        row.RefreshAttempts = 0;
        row.RefreshNotBefore = null;
        row.LeaseOwner = null;
        row.LeaseExpiresAt = null;
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
                var current = await ReadAsync(db, row.Id);
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

    async Task<RefreshResult> DeclareDeadAsync(VaultDbContext db, OutboundToken row, string claim, ProviderException ex)
    {
        // Another instance may have refreshed with this same token a moment ago (its lease expired mid-call,
        // or an upload replaced the row): then the token we were refused with is simply old. Re-read first.
        var current = await ReadAsync(db, row.Id);
        if (current is null) return RefreshResult.NotFound;
        if (current.Version != row.Version)
        {
            await ReleaseQuietlyAsync(db, row.Id, claim);
            return RefreshResult.Current(current);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var error = $"The provider refused the refresh token ({ex.ProviderError ?? "invalid_grant"}): the owner must connect again";
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            if (await TokenLeases.MarkNeedsReconnectAsync(db, row.Id, row.Version, claim, error, now, CancellationToken.None) == 0)
                return await ReadAsync(db, row.Id) is { } changed ? RefreshResult.Current(changed) : RefreshResult.NotFound;
            webhooks.Stage(db, Webhooks.WebhookEvents.NeedsReconnect, Webhooks.WebhookData.Of(row, "invalid_grant"));
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        logger.LogWarning("Token {TokenId} of app {AppId} needs a reconnect: the provider refused its refresh token", row.Id, row.AppId);
        metrics.Refreshed("invalid_grant");
        return new RefreshResult(RefreshOutcome.Dead, await ReadAsync(db, row.Id), error, ProviderFailureKind.InvalidGrant);
    }

    async Task<RefreshResult> RecordFailureAsync(VaultDbContext db, OutboundToken row, string claim, string error, ProviderFailureKind? kind)
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
        return new RefreshResult(RefreshOutcome.Failed, await ReadAsync(db, row.Id), error, kind);
    }

    /// <summary>
    /// The heartbeat: renews the lease every <see cref="RefreshOptions.LeaseRenewal"/> until the provider call ends,
    /// on its own context (the refresh's is not to be shared across threads). A renewal that fails is tried again
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

    async Task ReleaseQuietlyAsync(VaultDbContext db, string id, string claim)
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

    static Task<OutboundToken?> ReadAsync(VaultDbContext db, string id) =>
        db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, CancellationToken.None);
}
