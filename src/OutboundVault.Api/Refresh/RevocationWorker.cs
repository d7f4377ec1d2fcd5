using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Providers;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>
/// Drains <see cref="TokenRevocationQueue"/>: revokes each deleted token's refresh token, then its
/// access token, at the app's RFC 7009 endpoint. Outcomes are logged by token and app id, never with a secret.
/// </summary>
sealed class RevocationWorker(TokenRevocationQueue queue, IServiceScopeFactory scopes, IOptions<RefreshOptions> options, ILogger<RevocationWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await InScopeAsync(revocation => revocation.QueueSupersededAsync(stoppingToken));
            await Parallel.ForEachAsync(queue.Reader.ReadAllAsync(stoppingToken),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.RevocationConcurrency, CancellationToken = stoppingToken },
                (request, ct) => new ValueTask(InScopeAsync(revocation => revocation.RevokeAsync(request, ct))));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (queue.Reader.Count > 0) logger.LogWarning("Stopping with {Count} deleted tokens not yet revoked at their provider", queue.Reader.Count);
        }
    }

    /// <summary>Each revocation in a scope of its own, so one slow provider holds no other revocation's context.</summary>
    async Task InScopeAsync(Func<TokenRevocation, Task> run)
    {
        await using var scope = scopes.CreateAsyncScope();
        await run(scope.ServiceProvider.GetRequiredService<TokenRevocation>());
    }
}

/// <summary>Revoking one deleted token at its provider; outcomes are logged by token and app id, never with a secret.</summary>
sealed class TokenRevocation(
    VaultDbContext db, OutboundApps apps, ProviderClient client, TokenStore store, ITokenRevoker revoker, ILogger<TokenRevocation> logger)
{
    /// <summary>Duplicates a migration merged away: deleted here, and revoked like any deleted token.</summary>
    public async Task QueueSupersededAsync(CancellationToken ct)
    {
        var superseded = await db.Tokens.AsNoTracking().Where(t => t.Status == TokenStatuses.Superseded).ToListAsync(ct);
        if (superseded.Count == 0) return;
        await db.Tokens.Where(t => t.Status == TokenStatuses.Superseded).ExecuteDeleteAsync(ct);
        logger.LogInformation("Deleting {Count} duplicate tokens merged away by a migration; they are revoked at their provider", superseded.Count);
        revoker.RevokeDeleted(superseded);
    }

    public async Task RevokeAsync(RevocationRequest request, CancellationToken ct)
    {
        var token = request.Token;
        try
        {
            var app = request.App ?? await apps.FindAsync(token.AppId, ct);
            if (app is null)
            {
                logger.LogInformation("Token {TokenId} was not revoked: its app {AppId} no longer exists", token.Id, token.AppId);
                return;
            }
            var providerApp = apps.ToProviderApp(app);
            if ((await client.ResolveEndpointsAsync(providerApp, ct)).RevocationUrl is null)
            {
                logger.LogDebug("Token {TokenId} was not revoked: app {AppId} has no revocation endpoint", token.Id, token.AppId);
                return;
            }
            // The refresh token first: revoking it ends the grant, and most providers drop its access tokens with it.
            var refreshRevoked = await TryRevokeAsync(providerApp, token, store.ReadRefreshToken(token), "refresh_token", ct);
            var accessRevoked = await TryRevokeAsync(providerApp, token, store.ReadAccessToken(token), "access_token", ct);
            if (refreshRevoked || accessRevoked)
            {
                logger.LogInformation("Revoked deleted token {TokenId} of app {AppId} at the provider (refresh token: {Refresh}, access token: {Access})",
                    token.Id, token.AppId, refreshRevoked, accessRevoked);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var reason = ex is ProviderException ? ex.Message : ex.GetType().Name;
            logger.LogWarning("Revoking deleted token {TokenId} of app {AppId} failed: {Reason}", token.Id, token.AppId, reason);
        }
    }

    async Task<bool> TryRevokeAsync(ProviderApp app, OutboundToken token, string? secret, string hint, CancellationToken ct)
    {
        if (secret is null) return false;
        try
        {
            await client.RevokeAsync(app, secret, hint, ct);
            return true;
        }
        catch (ProviderException ex)
        {
            logger.LogWarning("Revoking the {TokenTypeHint} of deleted token {TokenId} (app {AppId}) failed: {Reason}", hint, token.Id, token.AppId, ex.Message);
            return false;
        }
    }
}
