using System.Collections.Concurrent;
using OutboundVault.Apps;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>
/// One refresh per token at a time. In a process, concurrent callers share one task per token; across
/// instances, the row's lease decides who calls the provider, and everyone else re-reads the row until
/// the holder has committed (new version) or given up (lease released), then takes what it left.
/// The shared task runs on the host's lifetime, not on the first caller's request, so a caller who
/// gives up does not abort the refresh for the others.
/// </summary>
sealed class RefreshCoordinator(IServiceScopeFactory scopes)
{
    readonly ConcurrentDictionary<(string Id, bool Force), Lazy<Task<RefreshResult>>> flights = new();

    /// <summary>
    /// Refreshes the token unless that is no longer needed: without <paramref name="force"/>, when the row
    /// is no longer due; with it, when the row changed since the caller read it at <paramref name="seenVersion"/>.
    /// </summary>
    public Task<RefreshResult> RefreshAsync(string tokenId, Guid seenVersion, bool force, CancellationToken ct)
    {
        var key = (tokenId, force);
        Lazy<Task<RefreshResult>> mine = null!;
        mine = new Lazy<Task<RefreshResult>>(() => FlyAsync(key, mine, attempt => attempt.ClaimOrWaitAsync(tokenId, seenVersion, force)));
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
        mine = new Lazy<Task<RefreshResult>>(() => FlyAsync(key, mine, attempt => attempt.RunClaimedAsync(row, batchClaim, app, ct)));
        // A fetch already in flight for this token is waiting on our batch lease: run beside it, it will see our commit.
        return flights.TryAdd(key, mine) ? mine.Value : InScopeAsync(attempt => attempt.RunClaimedAsync(row, batchClaim, app, ct));
    }

    async Task<RefreshResult> FlyAsync((string, bool) key, Lazy<Task<RefreshResult>> self, Func<RefreshAttempt, Task<RefreshResult>> run)
    {
        try
        {
            // Hand the task back at once: Lazy.Value holds its lock until this method first yields, and every
            // other caller of the flight would block a thread on that lock meanwhile.
            await Task.Yield();
            return await InScopeAsync(run);
        }
        finally
        {
            flights.TryRemove(KeyValuePair.Create(key, self));
        }
    }

    async Task<RefreshResult> InScopeAsync(Func<RefreshAttempt, Task<RefreshResult>> run)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await run(scope.ServiceProvider.GetRequiredService<RefreshAttempt>());
    }
}
