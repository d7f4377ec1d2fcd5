using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Data;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>What one worker iteration did.</summary>
sealed record SweepResult(int Claimed, int Refreshed, int Failed, int Dead, int Skipped);

/// <summary>
/// One worker iteration: claims batches of valid, refreshable tokens that expire within Refresh:Margin
/// (soonest first; not backing off; attempts below the cap; lease free) and refreshes them with bounded
/// concurrency, until none is due. Claimed rows are leased, so other instances' sweeps take other rows.
/// </summary>
sealed class RefreshSweep(IServiceScopeFactory scopes, RefreshCoordinator coordinator, IOptions<RefreshOptions> options, TimeProvider clock, ILogger<RefreshSweep> logger)
{
    public async Task<SweepResult> RunOnceAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var counts = new int[Enum.GetValues<RefreshOutcome>().Length];
        var failures = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var o = options.Value;
        while (!ct.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            var readAt = Now();
            var candidates = await DueAsync(db, o, ct);
            // A row that comes back in the same iteration could not be settled (its failure could not be
            // recorded): leave it for the next iteration rather than spin.
            candidates.RemoveAll(id => !seen.Add(id));
            if (candidates.Count == 0) break;

            var claim = Leases.NewClaim();
            await TokenLeases.ClaimBatchAsync(db, candidates, claim, Now(), Recently(readAt, o), o.LeaseDuration, ct);
            var claimed = await db.Tokens.AsNoTracking().Where(t => candidates.Contains(t.Id) && t.LeaseOwner == claim)
                .OrderBy(t => t.AccessTokenExpiresAt).ToListAsync(ct);
            var appIds = claimed.Select(t => t.AppId).Distinct().ToList();
            var apps = await db.Apps.AsNoTracking().Where(a => appIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, ct);
            try
            {
                await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = o.MaxConcurrency, CancellationToken = ct },
                    async (row, token) =>
                    {
                        try
                        {
                            var result = await coordinator.RefreshClaimedAsync(row, claim, apps.GetValueOrDefault(row.AppId), token);
                            Interlocked.Increment(ref counts[(int)result.Outcome]);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // One bad token must not stop the batch.
                            Interlocked.Increment(ref failures);
                            logger.LogWarning("Refreshing token {TokenId} failed unexpectedly ({ExceptionType})", row.Id, ex.GetType().Name);
                        }
                    });
            }
            finally
            {
                await ReleaseLeftoversAsync(db, claimed.ConvertAll(t => t.Id), claim);
            }
        }

        var result = new SweepResult(
            Claimed: counts.Sum() + failures,
            Refreshed: counts[(int)RefreshOutcome.Refreshed],
            Failed: counts[(int)RefreshOutcome.Failed] + failures,
            Dead: counts[(int)RefreshOutcome.Dead],
            Skipped: counts[(int)RefreshOutcome.Current] + counts[(int)RefreshOutcome.Skipped] + counts[(int)RefreshOutcome.NotFound] + counts[(int)RefreshOutcome.NoRefreshToken]);
        var level = result.Claimed > 0 ? LogLevel.Information : LogLevel.Debug;
        logger.Log(level, "Refresh sweep: {Claimed} due, {Refreshed} refreshed, {Failed} failed, {Dead} need reconnect, {Skipped} skipped in {ElapsedMs:0} ms",
            result.Claimed, result.Refreshed, result.Failed, result.Dead, result.Skipped, clock.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    Task<List<string>> DueAsync(VaultDbContext db, RefreshOptions o, CancellationToken ct)
    {
        var now = Now();
        var horizon = now + o.Margin;
        // A token whose lifetime is shorter than the margin would otherwise be refreshed on every iteration;
        // between worker refreshes the fetch path still keeps it above Refresh:MinValidity.
        var recently = Recently(now, o);
        return db.Tokens.AsNoTracking()
            .Where(t => t.Status == TokenStatuses.Valid && t.Kind == TokenKinds.OAuth && t.RefreshTokenCipher != null
                && t.AccessTokenExpiresAt != null && t.AccessTokenExpiresAt <= horizon
                && (t.RefreshNotBefore == null || t.RefreshNotBefore <= now)
                && t.RefreshAttempts < o.MaxAttempts
                && (t.LastRefreshAt == null || t.LastRefreshAt <= recently))
            .Where(Leases.FreeAt<OutboundToken>(now))
            .OrderBy(t => t.AccessTokenExpiresAt)
            .Select(t => t.Id)
            .Take(o.BatchSize)
            .ToListAsync(ct);
    }

    async Task ReleaseLeftoversAsync(VaultDbContext db, List<string> claimed, string claim)
    {
        if (claimed.Count == 0) return;
        try
        {
            await TokenLeases.ReleaseAsync(db, claimed, claim, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            logger.LogDebug("Releasing the rest of a refresh batch failed ({ExceptionType}); the leases expire on their own", ex.GetType().Name);
        }
    }

    static DateTime Recently(DateTime now, RefreshOptions o) => now - o.Margin / 2;

    DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
