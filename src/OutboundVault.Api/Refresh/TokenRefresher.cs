using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>The fetch path's and the upload's view of the refresh engine (see <see cref="ITokenRefresher"/>).</summary>
sealed class TokenRefresher(
    RefreshCoordinator coordinator, OutboundApps apps, ProviderClient providers, IOptions<RefreshOptions> options, TimeProvider clock)
    : ITokenRefresher
{
    public async Task<OutboundToken> EnsureFreshAsync(OutboundToken token, bool force, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        // API keys do not expire and cannot be refreshed; forceRefresh has nothing to do for them.
        if (token.Kind == TokenKinds.ApiKey) return token;
        var now = clock.GetUtcNow().UtcDateTime;
        if (token.Status == TokenStatuses.NeedsReconnect)
            return RefreshPolicy.IsStillWorking(token, now) && !force ? token : throw RefreshErrors.Reconnect(token);
        if (force && !token.HasRefreshToken) throw RefreshErrors.NothingToRefresh(token);
        if (!force && (!token.HasRefreshToken || !RefreshPolicy.IsDue(token, now, options.Value.MinValidity))) return token;

        var result = await coordinator.RefreshAsync(token.Id, token.Version, force, ct);
        if (result.Outcome == RefreshOutcome.Skipped) result = await coordinator.RefreshAsync(token.Id, token.Version, force, ct);
        return RefreshErrors.TokenOrThrow(result, token, force, handsOutStored: true, clock.GetUtcNow().UtcDateTime);
    }

    public async Task<Grant> VerifyGrantAsync(Grant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.Kind == TokenKinds.ApiKey) return grant;
        var refreshToken = grant.RefreshToken is { Length: > 0 } value ? value
            : throw VaultException.Missing("verifyRefresh needs a refreshToken to verify");
        var app = await apps.GetProviderAppAsync(grant.AppId, ct);
        ProviderTokenResponse response;
        try
        {
            response = await providers.RefreshAsync(app, refreshToken, scopes: null, ct);
        }
        catch (ProviderException ex)
        {
            throw RefreshErrors.VerifyFailed(ex);
        }
        // The provider may have rotated the uploaded refresh token away just now: store what it answered.
        return grant with
        {
            AccessToken = response.AccessToken,
            RefreshToken = response.RefreshToken ?? refreshToken,
            TokenType = response.TokenType,
            ExpiresAt = TokenExpiry.FromLifetime(response.ExpiresIn, clock.GetUtcNow().UtcDateTime),
            Scopes = response.ScopesOr(grant.Scopes),
            TokenSub = response.IdTokenSubject ?? grant.TokenSub,
        };
    }
}
