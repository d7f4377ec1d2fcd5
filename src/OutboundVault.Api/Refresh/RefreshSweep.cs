using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>What one worker iteration did.</summary>
sealed record SweepResult(int Claimed, int Refreshed, int Failed, int Dead, int Skipped);

/// <summary>
/// One worker iteration: claims batches of valid, refreshable tokens that expire within Refresh:Margin
/// (soonest first; not backing off; attempts below the cap; lease free) and refreshes them with bounded
/// concurrency, until none is due. Claimed rows are leased, so other instances' sweeps take other rows. The next
/// batch is claimed as soon as the refreshes have taken every row of the last one, so the Refresh:MaxConcurrency
/// slots stay busy across batches instead of waiting on each batch's slowest refresh.
/// </summary>
sealed class RefreshSweep(IServiceScopeFactory scopes, RefreshCoordinator coordinator, IOptions<RefreshOptions> options, TimeProvider clock, ILogger<RefreshSweep> logger)
{
    public async Task<SweepResult> RunOnceAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var counts = new int[Enum.GetValues<RefreshOutcome>().Length];
        var failures = 0;
        var claims = new Claims();
        var o = options.Value;
        try
        {
            await Parallel.ForEachAsync(ClaimAsync(o, claims, ct), new ParallelOptions { MaxDegreeOfParallelism = o.MaxConcurrency, CancellationToken = ct },
                async (claimed, token) =>
                {
                    try
                    {
                        var result = await coordinator.RefreshClaimedAsync(claimed.Row, claimed.Batch.Claim, claimed.Batch.AppOf(claimed.Row), token);
                        Interlocked.Increment(ref counts[(int)result.Outcome]);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // One bad token must not stop the batch.
                        Interlocked.Increment(ref failures);
                        logger.LogWarning("Refreshing token {TokenId} failed unexpectedly ({ExceptionType})", claimed.Row.Id, ex.GetType().Name);
                    }
                    finally
                    {
                        if (claimed.Batch.Finish()) await ReleaseLeftoversAsync(claimed.Batch);
                    }
                });
        }
        finally
        {
            // Batches whose rows were not all taken (the iteration was stopped) still hold their leases.
            foreach (var batch in claims.Batches.Where(b => !b.Finished)) await ReleaseLeftoversAsync(batch);
        }
        // Only now that the refreshes in flight are over: the iteration failed, and the worker says so.
        claims.Failure?.Throw();

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

    /// <summary>
    /// The claimed rows, a batch at a time; the parallel loop asks for the next one when a slot is free. A claim that
    /// fails (the database is away) ends the rows instead of throwing: a throw would cancel the refreshes in flight,
    /// whose provider may already have rotated their refresh tokens.
    /// </summary>
    async IAsyncEnumerable<Claimed> ClaimAsync(RefreshOptions o, Claims claims, [EnumeratorCancellation] CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            Batch? batch;
            try
            {
                batch = await ClaimBatchAsync(o, seen, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                claims.Failure = ExceptionDispatchInfo.Capture(ex);
                batch = null;
            }
            if (batch is null) yield break;
            claims.Batches.Add(batch);
            foreach (var row in batch.Rows) yield return new Claimed(row, batch);
        }
    }

    /// <summary>The batches one iteration claimed, and what stopped the claiming early, if anything did.</summary>
    sealed class Claims
    {
        public List<Batch> Batches { get; } = [];
        public ExceptionDispatchInfo? Failure { get; set; }
    }

    async Task<Batch?> ClaimBatchAsync(RefreshOptions o, HashSet<string> seen, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
        var readAt = Now();
        var candidates = await DueAsync(db, o, ct);
        // A row that comes back in the same iteration could not be settled (its failure could not be
        // recorded): leave it for the next iteration rather than spin.
        candidates.RemoveAll(id => !seen.Add(id));
        if (candidates.Count == 0) return null;

        var claim = Leases.NewClaim();
        await TokenLeases.ClaimBatchAsync(db, candidates, claim, Now(), Recently(readAt, o), o.LeaseDuration, ct);
        var rows = await db.Tokens.AsNoTracking().Where(t => candidates.Contains(t.Id) && t.LeaseOwner == claim)
            .OrderBy(t => t.AccessTokenExpiresAt).ToListAsync(ct);
        var appIds = rows.Select(t => t.AppId).Distinct().ToList();
        var apps = await db.Apps.AsNoTracking().Where(a => appIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, ct);
        // Every candidate may have been claimed by another instance meanwhile: an empty batch, and on to the next.
        return new Batch(claim, rows, apps);
    }

    /// <summary>One batch claim: its rows, their apps, and how many of its refreshes have yet to finish.</summary>
    sealed class Batch(string claim, List<OutboundToken> rows, Dictionary<string, OutboundApp> apps)
    {
        int unfinished = rows.Count;

        public string Claim => claim;
        public List<OutboundToken> Rows => rows;
        public bool Finished => Volatile.Read(ref unfinished) <= 0;

        public OutboundApp? AppOf(OutboundToken row) => apps.GetValueOrDefault(row.AppId);

        /// <summary>One refresh of the batch is over; true for the last one.</summary>
        public bool Finish() => Interlocked.Decrement(ref unfinished) == 0;
    }

    sealed record Claimed(OutboundToken Row, Batch Batch);

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

    /// <summary>Rows of the batch no refresh took over (skipped, or never started) go back at once.</summary>
    async Task ReleaseLeftoversAsync(Batch batch)
    {
        if (batch.Rows.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            await TokenLeases.ReleaseAsync(db, batch.Rows.ConvertAll(t => t.Id), batch.Claim, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            logger.LogDebug("Releasing the rest of a refresh batch failed ({ExceptionType}); the leases expire on their own", ex.GetType().Name);
        }
    }

    static DateTime Recently(DateTime now, RefreshOptions o) => now - o.Margin / 2;

    DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
