using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>
/// One refresh per token at a time. In a process, concurrent callers share one task per token; across
/// instances, the row's lease decides who calls the provider, and everyone else re-reads the row until
/// the holder has committed (new version) or given up (lease released), then takes what it left.
/// The shared task runs on the host's lifetime, not on the first caller's request, so a caller who
/// gives up does not abort the refresh for the others.
/// </summary>
internal sealed class RefreshCoordinator
{
    static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(250);

    readonly ConcurrentDictionary<(string Id, bool Force), Lazy<Task<RefreshResult>>> flights = new();
    readonly IServiceScopeFactory scopes;
    readonly LeasedRefresh leased;
    readonly IOptions<RefreshOptions> options;
    readonly TimeProvider clock;
    readonly CancellationToken stopping;

    public RefreshCoordinator(IServiceScopeFactory scopes, LeasedRefresh leased, IOptions<RefreshOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        this.scopes = scopes;
        this.leased = leased;
        this.options = options;
        this.clock = clock;
        stopping = lifetime.ApplicationStopping;
    }

    /// <summary>
    /// Refreshes the token unless that is no longer needed: without <paramref name="force"/>, when the row
    /// is no longer due; with it, when the row changed since the caller read it at <paramref name="seenVersion"/>.
    /// </summary>
    public Task<RefreshResult> RefreshAsync(string tokenId, Guid seenVersion, bool force, CancellationToken ct)
    {
        var key = (tokenId, force);
        Lazy<Task<RefreshResult>> mine = null!;
        mine = new Lazy<Task<RefreshResult>>(() => FlyAsync(key, mine, () => ClaimOrWaitAsync(tokenId, seenVersion, force)));
        return flights.GetOrAdd(key, mine).Value.WaitAsync(ct);
    }

    /// <summary>
    /// The worker's path for a row it holds in a batch claim (<paramref name="row"/> as read under that
    /// claim): moves the row to this refresh's own claim, renewing the lease, and refreshes. Fetches of
    /// the token arriving meanwhile join this refresh.
    /// </summary>
    public Task<RefreshResult> RefreshClaimedAsync(OutboundToken row, string batchClaim, OutboundApp? app, CancellationToken ct)
    {
        var key = (row.Id, false);
        Lazy<Task<RefreshResult>> mine = null!;
        mine = new Lazy<Task<RefreshResult>>(() => FlyAsync(key, mine, () => RunClaimedAsync(row, batchClaim, app, ct)));
        // A fetch already in flight for this token is waiting on our batch lease: run beside it, it will see our commit.
        return flights.TryAdd(key, mine) ? mine.Value : RunClaimedAsync(row, batchClaim, app, ct);
    }

    async Task<RefreshResult> FlyAsync((string, bool) key, Lazy<Task<RefreshResult>> self, Func<Task<RefreshResult>> run)
    {
        try
        {
            // Hand the task back at once: Lazy.Value holds its lock until this method first yields, and every
            // other caller of the flight would block a thread on that lock meanwhile.
            await Task.Yield();
            return await run();
        }
        finally
        {
            flights.TryRemove(KeyValuePair.Create(key, self));
        }
    }

    async Task<RefreshResult> RunClaimedAsync(OutboundToken row, string batchClaim, OutboundApp? app, CancellationToken ct)
    {
        string claim;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            claim = TokenLeases.NewClaim();
            if (!await TokenLeases.TransferAsync(db, row.Id, row.Version, batchClaim, claim, Now(), options.Value.LeaseDuration, ct)) return RefreshResult.Skipped;
        }
        return await leased.RunAsync(row, claim, app, ct);
    }

    async Task<RefreshResult> ClaimOrWaitAsync(string tokenId, Guid seenVersion, bool force)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
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

            if (row.LeaseOwner is null || row.LeaseExpiresAt is null || row.LeaseExpiresAt <= now)
            {
                var claim = TokenLeases.NewClaim();
                if (await TokenLeases.TryClaimAsync(db, tokenId, row.Version, claim, now, options.Value.LeaseDuration, stopping))
                    return await leased.RunAsync(row, claim, knownApp: null, stopping);
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

    DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
